"""Rule payloads survive the trip to JSON rows and back exactly (stored rule versions = shipped defaults)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import AttendanceEvent, EmployeeInputs, YtdValues, default_rules
from kinerja_web.domain.payroll.codec import decode, encode, payload_types
from kinerja_web.domain.payroll.tables import TppKomposisi
from kinerja_web.domain.predikat import Predikat


@pytest.mark.parametrize("table", default_rules().tables(), ids=lambda t: t.code)
def test_every_default_rule_payload_round_trips_through_json(table):
    for version in table.versions:
        data = json.loads(json.dumps(encode(version.data)))
        assert decode(payload_types()[table.code], data) == version.data


def test_decimals_are_stored_as_exact_text_never_float():
    assert encode(TppKomposisi()) == {"kinerja": "0.60", "disiplin": "0.40"}
    with pytest.raises(DomainError):
        decode(TppKomposisi, {"kinerja": 0.6, "disiplin": "0.40"})


def test_employee_inputs_round_trip_with_attendance_predikat_and_ytd():
    inputs = EmployeeInputs(
        status=StatusAsn.PNS,
        golongan="III/b",
        mkg=9,
        ptkp_status="K/1",
        suami_istri_ditanggung=True,
        jumlah_anak_ditanggung=1,
        kelas_jabatan=7,
        predikat=Predikat.BAIK,
        attendance=(AttendanceEvent(date(2026, 10, 5), 45, 0, None), AttendanceEvent(date(2026, 10, 6), 0, 0, "TK")),
        ytd=YtdValues(1_000_000, 10_000, 5_000, 9),
    )
    assert decode(EmployeeInputs, json.loads(json.dumps(encode(inputs)))) == inputs


def test_a_malformed_payload_is_refused_in_indonesian():
    with pytest.raises(DomainError, match="Data aturan tidak sesuai"):
        decode(TppKomposisi, {"kinerja": "banyak", "disiplin": "0.40"})
    assert decode(TppKomposisi, {"kinerja": "0.7", "disiplin": "0.3"}).kinerja == Decimal("0.7")


def test_ptkp_status_keeps_its_stored_name_so_old_snapshots_decode_and_hash_the_same():
    inputs = EmployeeInputs(status=StatusAsn.PNS, golongan="III/a", mkg=2, ptkp_status="K/2")
    stored = encode(inputs)
    assert stored["status_ptkp"] == "K/2" and "ptkp_status" not in stored  # snapshots and hashes unchanged
    old = {"status": "pns", "golongan": "III/a", "mkg": 2, "status_ptkp": "K/2"}  # a snapshot of an old month
    assert decode(EmployeeInputs, old) == inputs
    del old["status_ptkp"]
    assert decode(EmployeeInputs, {**old, "ptkp_status": "TK/0"}).ptkp_status == "TK/0"
