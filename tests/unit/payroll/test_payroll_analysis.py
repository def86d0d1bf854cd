"""TPP reductions by cause read back from stored lines, and rupiah input parsing."""

import json
from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import AttendanceEvent, EmployeeInputs, compute_monthly
from kinerja_web.domain.payroll.analysis import cause_label, parse_rupiah, tpp_cuts
from kinerja_web.domain.predikat import Predikat

OCT = date(2026, 10, 1)


def stored(line) -> dict:
    """The line's inputs as the run stores them (JSON, Decimal as text) and reads them back."""
    return dict(json.loads(json.dumps(line.inputs, default=str)))


def slip(rules, **kw):
    base = {"status": StatusAsn.PNS, "golongan": "III/a", "mkg": 4, "ptkp_status": "TK/0", "kelas_jabatan": 8}
    return compute_monthly(EmployeeInputs(**{**base, "predikat": Predikat.BAIK, **kw}), rules, OCT)


def test_full_tpp_has_no_cuts(rules):
    s = slip(rules)
    for code in ("TPP_KINERJA", "TPP_DISIPLIN"):
        ln = s.line(code)
        assert tpp_cuts(code, stored(ln), ln.amount) == {}


def test_disiplin_cuts_are_split_by_event_kind_and_add_up_to_what_was_lost(rules):
    events = (
        AttendanceEvent(date(2026, 10, 5), terlambat_menit=45),
        AttendanceEvent(date(2026, 10, 6), kode_absen="TK"),
        AttendanceEvent(date(2026, 10, 7), pulang_cepat_menit=20),
    )
    full, cut = slip(rules).line("TPP_DISIPLIN"), slip(rules, attendance=events).line("TPP_DISIPLIN")
    got = tpp_cuts("TPP_DISIPLIN", stored(cut), cut.amount)
    assert set(got) == {"TL", "TK", "PSW"}
    assert sum(got.values()) == full.amount - cut.amount
    assert got["TK"] > got["TL"] > 0


def test_a_low_predikat_is_a_predikat_cut_and_a_cpns_a_status_cut(rules):
    low = slip(rules, predikat=Predikat.SANGAT_KURANG).line("TPP_KINERJA")
    full = slip(rules).line("TPP_KINERJA")
    assert tpp_cuts("TPP_KINERJA", stored(low), low.amount) == {"predikat": full.amount - low.amount}
    cpns = slip(rules, status=StatusAsn.CPNS, golongan="III/a", mkg=0).line("TPP_KINERJA")
    cuts = tpp_cuts("TPP_KINERJA", stored(cpns), cpns.amount)
    assert set(cuts) == {"status"} and cuts["status"] == full.amount - cpns.amount


def test_other_lines_and_compensating_reversals_have_no_cuts():
    assert tpp_cuts("GAPOK", {"gaji_pokok_tabel": 1}, 1) == {}
    assert tpp_cuts("TPP_DISIPLIN", {}, -500_000) == {}


def test_cause_labels_are_indonesian():
    assert "terlambat" in cause_label("TL") and "Predikat" in cause_label("predikat")
    assert cause_label("XYZ") == "Disiplin: XYZ"


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.250.000.000", 1_250_000_000), ("Rp 1.250.000", 1_250_000), ("1250000,00", 1_250_000), ("0", 0)],
)
def test_parse_rupiah_accepts_indonesian_notation(text, value):
    assert parse_rupiah(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.25", "12,50", "1.2345", "1" * 16])
def test_parse_rupiah_refuses_what_is_not_whole_rupiah(text):
    with pytest.raises(DomainError):
        parse_rupiah(text)
