"""Regional rule tables edited through their own forms (issue 19 item 3): prefilled from the version in force,
every cell checked with its message at the cell, the rule set's checks as before, and the saved version used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kinerja_web.domain.predikat import Predikat
from kinerja_web.extensions import db
from kinerja_web.models import PayrollRuleVersion
from kinerja_web.services.golive import readiness
from kinerja_web.services.payroll import rules
from tests.web.payroll.test_payroll_flow import as_user

BASE = {"version_id": "v-perbup-2026", "citation": "Perbup Lampung Utara 7/2026 Pasal 5", "berlaku_mulai": "2026-01-01"}


def versions() -> int:
    return db.session.scalar(select(func.count(PayrollRuleVersion.id)))


def test_the_form_starts_from_the_version_in_force(admin):
    page = admin.get("/gaji/aturan/tpp_komposisi/formulir").text
    assert 'name="nilai-kinerja" value="60"' in page and 'name="nilai-disiplin" value="40"' in page
    pagu = admin.get("/gaji/aturan/tpp_pagu/formulir").text
    assert 'name="nilai-5" value="6.500.000"' in pagu
    assert "/gaji/aturan/tpp_persen_predikat/formulir" in admin.get("/gaji/aturan").text


@pytest.mark.parametrize(
    ("code", "cells", "message"),
    [
        ("tpp_komposisi", {"nilai-kinerja": "enam puluh", "nilai-disiplin": "40"}, "isi persen berupa angka 0–100"),
        ("tpp_komposisi", {"nilai-kinerja": "120", "nilai-disiplin": "40"}, "persen harus antara 0 dan 100"),
        ("tpp_pagu", {"nilai-5": "6.500.000,50"}, "isi jumlah rupiah tanpa desimal"),
        ("tpp_persen_predikat", {"nilai-baik": ""}, "Baik wajib diisi."),
    ],
)
def test_a_bad_cell_gets_its_message_and_everything_typed_stays(admin, code, cells, message):
    before = versions()
    current = admin.get(f"/gaji/aturan/{code}/formulir").text
    data = {**BASE, **cells}
    resp = admin.post(f"/gaji/aturan/{code}/formulir", data=_full(current, data))
    assert resp.status_code == 422 and message in resp.text
    (bad, typed), *others = cells.items()  # the first cell is the bad one
    assert f'name="{bad}" value="{typed}" aria-invalid="true"' in resp.text
    for name, value in others:
        assert f'name="{name}" value="{value}" inputmode=' in resp.text  # kept, not marked
    assert f'value="{BASE["citation"]}"' in resp.text
    assert versions() == before


def test_the_rule_sets_own_check_refuses_a_split_that_is_not_100_percent(admin):
    before = versions()
    resp = admin.post(
        "/gaji/aturan/tpp_komposisi/formulir", data={**BASE, "nilai-kinerja": "70", "nilai-disiplin": "20"}
    )
    assert resp.status_code == 422 and "harus berjumlah 100%" in resp.text
    assert versions() == before


def test_a_saved_version_is_read_back_by_the_rules_and_clears_the_checklist_row(admin):
    resp = admin.post(
        "/gaji/aturan/tpp_persen_predikat/formulir",
        data={
            **BASE,
            "nilai-sangat_baik": "100",
            "nilai-baik": "100",
            "nilai-butuh_perbaikan": "50",
            "nilai-kurang_misconduct": "25,5",
            "nilai-sangat_kurang": "0",
        },
    )
    assert resp.status_code == 303 and resp.location.endswith("/gaji/aturan#versi-v-perbup-2026")
    table = rules.load_rules().tpp_persen_predikat
    version = table.in_force(date(2026, 10, 1))
    assert version.version_id == "v-perbup-2026" and version.citation == BASE["citation"]
    assert version.data.persen[Predikat.BUTUH_PERBAIKAN] == Decimal("0.5")
    assert version.data.persen[Predikat.KURANG_MISCONDUCT] == Decimal("0.255")
    listed = [i.title for i in readiness.example_rules(date(2026, 10, 1))]
    assert "Persentase TPP kinerja per predikat" not in listed and "Pagu TPP per kelas jabatan" in listed


def test_only_the_administrator_and_only_known_tables(app, admin, org_chart):
    assert as_user(app, org_chart.u_hr).get("/gaji/aturan/tpp_komposisi/formulir").status_code == 403
    assert as_user(app, org_chart.u_operator).post("/gaji/aturan/tpp_komposisi/formulir", data=BASE).status_code == 403
    assert admin.get("/gaji/aturan/gaji_pokok_pns/formulir").status_code == 404  # national table: JSON only
    assert admin.get("/gaji/aturan/tidak_ada/formulir").status_code == 404


def _full(page: str, data: dict) -> dict:
    """Every cell of the form with its prefilled value, overridden by `data`."""
    import re

    cells = dict(re.findall(r'name="(nilai-[^"]+)" value="([^"]*)"', page))
    return {**cells, **data}
