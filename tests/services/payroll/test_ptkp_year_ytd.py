"""PTKP status per tax year and the mid-year go-live import (issue 20 items 1 and 9)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import EmployeeInputs, YtdValues, compute_monthly
from kinerja_web.domain.payroll.codec import decode
from kinerja_web.domain.payroll.ptkp_year import PtkpSource
from kinerja_web.extensions import db
from kinerja_web.models import (
    FamilyMember,
    FamilyRelation,
    PayrollPredikat,
    PayrollRunEmployee,
    PtkpYear,
    YtdEntry,
    YtdImport,
)
from kinerja_web.services.payroll import compute, explain, ptkp_years, rules, runs, verification, ytd_import

from .test_payroll_services import final_run

OCT = date(2026, 10, 1)


@pytest.fixture
def pay(org_chart):
    rules.seed_rules()
    ns = org_chart
    ns.people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other]
    for e in ns.people:
        e.ptkp_status = "TK/0"
        for m in range(1, 13):
            db.session.add(PayrollPredikat(employee_id=e.id, month=date(2026, m, 1), predikat="baik", source="uji"))
    db.session.commit()
    return ns


def _snapshot(run, employee) -> dict:
    return json.loads(
        db.session.scalar(
            select(PayrollRunEmployee.inputs).where(
                PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.employee_id == employee.id
            )
        )
    )


def _marry(emp, day: date):
    emp.family.append(FamilyMember(relation=FamilyRelation.ISTRI, name="Istri Uji", tanggungan_sejak=day))
    db.session.flush()


# --- PTKP per tax year ------------------------------------------------------------------------------


def test_the_run_uses_the_tax_years_status_not_todays_field(app, pay):
    _marry(pay.staff1, date(2026, 7, 11))
    pay.staff1.ptkp_status = "K/0"  # HR updated the current field after the wedding in July
    opened = ptkp_years.open_year(2026, pay.u_hr)
    row = ptkp_years.row_for(pay.staff1.id, 2026)
    assert row.status == "TK/0" and row.source is PtkpSource.KELUARGA
    assert opened.created == 6
    db.session.commit()
    run = final_run(pay, OCT)
    assert _snapshot(run, pay.staff1)["status_ptkp"] == "TK/0"
    # next year the family data gives K/0, a change HR confirms
    ptkp_years.open_year(2027, pay.u_hr)
    nxt = ptkp_years.row_for(pay.staff1.id, 2027)
    assert nxt.status == "K/0" and nxt.pending
    assert "1 Januari 2027" in nxt.basis
    ptkp_years.confirm(nxt, pay.u_hr)
    assert not nxt.pending
    sentence = ptkp_years.explanation(pay.staff1, OCT, "TK/0")
    assert "tahun pajak 2026" in sentence and "2027 menjadi K/0" in sentence


def test_months_computed_before_the_per_year_rows_still_verify_identical(app, pay):
    run = final_run(pay, OCT)
    db.session.add(
        PtkpYear(
            employee_id=pay.staff1.id,
            tahun=2026,
            status="K/3",
            source=PtkpSource.KOREKSI,
            as_of=date(2026, 1, 1),
            basis="",
            reason="uji",
        )
    )
    db.session.commit()
    assert verification.verify_run(run).ok


def test_a_married_female_employee_is_tk0_unless_the_kecamatan_statement_is_recorded(app, pay):
    emp = pay.staff2  # female
    emp.family.append(FamilyMember(relation=FamilyRelation.SUAMI, name="Suami", tanggungan_sejak=date(2020, 1, 5)))
    emp.family.append(FamilyMember(relation=FamilyRelation.ANAK, name="Anak", birth_date=date(2021, 3, 3)))
    db.session.flush()
    assert ptkp_years.derive_for(emp, 2026).status == "TK/0"
    ptkp_years.open_year(2026, pay.u_hr)
    row = ptkp_years.row_for(emp.id, 2026)
    with pytest.raises(DomainError, match="Pasal 9 ayat"):
        ptkp_years.override(row, "K/1", "Suami tidak bekerja", pay.u_hr)
    emp.family[0].keterangan_tanpa_penghasilan = "474/12/KEC/2025"
    db.session.flush()
    assert ptkp_years.derive_for(emp, 2026).status == "K/1"
    ptkp_years.override(row, "K/1", "Surat keterangan camat diterima", pay.u_hr)
    assert row.status == "K/1" and row.source is PtkpSource.KOREKSI


def test_a_status_contradicting_the_family_data_is_refused_at_the_field(app, pay):
    ptkp_years.open_year(2026, pay.u_hr)
    row = ptkp_years.row_for(pay.staff1.id, 2026)
    with pytest.raises(DomainError, match="memerlukan suami/istri") as e:
        ptkp_years.override(row, "K/0", "salah", pay.u_hr)
    assert e.value.field == "status"
    with pytest.raises(DomainError, match="hanya mendukung 0"):
        ptkp_years.override(row, "TK/2", "salah", pay.u_hr)
    with pytest.raises(DomainError, match="Alasan"):
        ptkp_years.override(row, "TK/0", " ", pay.u_hr)
    with pytest.raises(DomainError, match="TK/0 s.d."):
        ptkp_years.override(row, "X/9", "salah", pay.u_hr)
    assert row.status == "TK/0"


def test_four_children_give_three_dependants_and_a_mid_year_joiner_counts_from_the_start(app, pay):
    emp = pay.staff1
    emp.family.append(FamilyMember(relation=FamilyRelation.ISTRI, name="I", tanggungan_sejak=date(2010, 1, 1)))
    for i in range(4):
        emp.family.append(FamilyMember(relation=FamilyRelation.ANAK, name=f"A{i}", birth_date=date(2012 + i, 1, 2)))
    db.session.flush()
    d = ptkp_years.derive_for(emp, 2026)
    assert d.status == "K/3" and "dari 4, paling banyak 3" in d.basis
    emp.tmt_cpns = date(2026, 4, 1)  # joined in April: the state at the start of employment
    emp.family[-1].birth_date = date(2026, 3, 15)
    assert ptkp_years.derive_for(emp, 2026).as_of == date(2026, 4, 1)


# --- mid-year go-live ---------------------------------------------------------------------------------


def test_preview_lists_every_bad_row_in_indonesian_and_confirm_writes_nothing(app, pay):
    content = ytd_import.workbook(
        [
            [pay.staff1.nip, 2026, 1, 6, "45.000.000", "2.000.000", "600.000"],
            ["199999999999999999", 2026, 1, 6, 1, 0, 0],
            [pay.staff2.nip, 2026, 7, 6, "abc", 0, 0],
            [pay.staff1.nip, 2026, 1, 6, 1, 0, 0],
        ]
    )
    p = ytd_import.preview("ytd.xlsx", content)
    assert not p.ok and p.error_count == 3
    errs = {r.line: " ".join(r.errors) for r in p.rows}
    assert "tidak dikenal" in errs[3]
    assert "Masa akhir tidak boleh sebelum" in errs[4] and "bukan jumlah rupiah" in errs[4]
    assert "sudah ada pada baris 2" in errs[5]
    with pytest.raises(DomainError, match="tidak ada yang disimpan"):
        ytd_import.confirm("ytd.xlsx", content, pay.u_hr)
    assert db.session.scalar(select(func.count()).select_from(YtdEntry)) == 0


def test_months_already_paid_by_kinerja_are_refused(app, pay):
    final_run(pay, OCT)
    p = ytd_import.preview("a.xlsx", ytd_import.workbook([[pay.staff1.nip, 2026, 1, 10, 1000, 0, 0]]))
    assert "Oktober 2026 sudah dibayar melalui Kinerja" in p.rows[0].errors[0]


def _all_year_reference(pay, december_run):
    """Each employee's twelve months computed by the domain from the same inputs as the December run, with
    Kinerja's year-to-date carried month by month: (Jan..Jun sums, December netto)."""
    rule_set = rules.load_rules()
    out = {}
    for emp in pay.people:
        base = decode(EmployeeInputs, _snapshot(december_run, emp))
        ytd = YtdValues()
        first_half = None
        for m in range(1, 13):
            if m == 7:
                first_half = ytd
            slip = compute_monthly(dataclasses.replace(base, ytd=ytd), rule_set, date(2026, m, 1))
            ytd = slip.ytd_after(ytd)
        out[emp.id] = (first_half, slip.netto(), slip.pph21)
    return out


def test_a_july_go_live_with_the_import_gives_the_same_december_as_a_whole_year_in_kinerja(app, pay):
    for m in range(7, 12):
        final_run(pay, date(2026, m, 1))
    dec = runs.create_run(date(2026, 12, 1), None, pay.u_operator)
    compute.compute_run(dec, pay.u_operator)
    ref = _all_year_reference(pay, dec)
    before = {
        eid: netto
        for eid, netto in db.session.execute(
            select(PayrollRunEmployee.employee_id, PayrollRunEmployee.netto).where(PayrollRunEmployee.run_id == dec.id)
        )
    }
    assert any(before[eid] != ref[eid][1] for eid in ref)  # without the import December is wrong

    rows = [
        [emp.nip, 2026, 1, 6, ref[emp.id][0].bruto, ref[emp.id][0].iuran_pensiun, ref[emp.id][0].pph21]
        for emp in pay.people
    ]
    content = ytd_import.workbook(rows)
    imp, created = ytd_import.confirm("ytd-2026.xlsx", content, pay.u_hr)
    assert created and imp.rows == 6
    again, created_again = ytd_import.confirm("lagi.xlsx", content, pay.u_hr)  # idempotent
    assert again.id == imp.id and not created_again
    assert db.session.scalar(select(func.count()).select_from(YtdImport)) == 1
    compute.compute_run(dec, pay.u_operator)
    after = dict(
        db.session.execute(
            select(PayrollRunEmployee.employee_id, PayrollRunEmployee.netto).where(PayrollRunEmployee.run_id == dec.id)
        ).all()
    )
    assert after == {eid: r[1] for eid, r in ref.items()}
    snap = _snapshot(dec, pay.staff1)
    assert snap["ytd"]["bulan_bekerja"] == 11
    assert verification.verify_run(dec).ok


def test_explanation_names_the_year_and_source(app, pay):
    ptkp_years.open_year(2026, pay.u_hr)
    db.session.commit()
    run = final_run(pay, OCT)
    text = ptkp_years.explanation(pay.staff1, run.month, "TK/0")
    assert "status PTKP TK/0 untuk tahun pajak 2026" in text and "awal tahun pajak" in text
    assert explain is not None
