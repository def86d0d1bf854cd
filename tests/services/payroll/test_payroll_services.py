"""Payroll services: reproducibility, the predikat seam, background compute, variance review."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import AttendanceEvent, EmployeeInputs
from kinerja_web.domain.payroll.codec import encode
from kinerja_web.domain.payroll.deductions import JenisPotonganLain, PotonganTetap
from kinerja_web.domain.predikat import Predikat
from kinerja_web.extensions import db
from kinerja_web.models import (
    Job,
    JobStatus,
    PayrollLine,
    PayrollPredikat,
    PayrollRuleVersion,
    PayrollRun,
    RunKind,
    RunStatus,
)
from kinerja_web.services.payroll import (
    attendance,
    compute,
    copy_writer,
    loading,
    months,
    predikat,
    rules,
    runs,
    variance,
    verification,
)

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def pay(org_chart):
    rules.seed_rules()
    ns = org_chart
    ns.people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other]
    for e in ns.people:
        e.ptkp_status = "TK/0"
        for m in (OCT, NOV):
            db.session.add(PayrollPredikat(employee_id=e.id, month=m, predikat="baik", source="uji"))
    db.session.commit()
    return ns


def final_run(ns, month):
    run = runs.create_run(month, None, ns.u_operator)
    compute.compute_run(run, ns.u_operator)
    runs.transition(run, "verify", ns.u_verifikator)
    runs.transition(run, "approve", ns.u_pejabat)
    runs.transition(run, "finalise", ns.u_pejabat)
    db.session.commit()
    return run


def test_employee_inputs_json_is_the_canonical_codec_json():
    inputs = EmployeeInputs(
        status=StatusAsn.CPNS,
        golongan="II/a",
        mkg=0,
        ptkp_status="TK/0",
        kelas_jabatan=5,
        predikat=Predikat.SANGAT_BAIK,
        attendance=(AttendanceEvent(date(2026, 10, 5), 3, 0, "C"),),
        status_tpp=("TUGAS_BELAJAR",),
        potongan_lain=(
            PotonganTetap("PT#1", JenisPotonganLain.ZAKAT, "BAZNAS", dasar="persetujuan.pdf"),
            PotonganTetap("PT#2", JenisPotonganLain.KOPERASI, "KPRI", persen=Decimal("0.05")),
            PotonganTetap("PT#3", JenisPotonganLain.KOPERASI, "KPRI", jumlah=250_000),
            PotonganTetap("KB", JenisPotonganLain.KELEBIHAN, "Kas daerah", sisa=12_345, dasar="#7"),
        ),
    )
    expected = json.dumps(encode(inputs), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert loading.inputs_json(inputs) == expected


def test_recomputing_a_final_month_from_its_recorded_versions_and_inputs_is_byte_identical(app, pay):
    run = final_run(pay, OCT)
    # Today's data and rules change after the month was locked; the recorded snapshot still reproduces it.
    pay.staff1.golongan = "III/d"
    db.session.add(
        PayrollRuleVersion(
            code="tpp_komposisi",
            version_id="tpp_komposisi@2026-11-01",
            berlaku_mulai=NOV,
            citation="uji",
            data={"kinerja": "0.70", "disiplin": "0.30"},
        )
    )
    db.session.commit()
    result = verification.verify_run(run)
    assert result.ok and result.recomputed_hash == run.lines_hash


def test_verify_reports_a_difference_when_a_stored_line_was_tampered_with(app, pay):
    run = final_run(pay, OCT)
    db.session.execute(
        update(PayrollLine)
        .where(PayrollLine.run_id == run.id, PayrollLine.seq == 0)
        .values(amount=PayrollLine.amount + 1)
    )
    result = verification.verify_run(run)
    assert not result.ok and result.recomputed_hash == result.recorded_hash != result.stored_hash


def test_predikat_for_is_the_seam_the_evaluation_feature_feeds(app, pay):
    got = predikat.predikat_for([pay.staff1.id, pay.staff2.id], OCT)
    assert got[pay.staff1.id] == (Predikat.BAIK, "uji")
    predikat.set_predikat(pay.staff1, OCT, Predikat.SANGAT_KURANG, "evaluasi kinerja")
    assert predikat.predikat_for([pay.staff1.id], OCT)[pay.staff1.id][0] is Predikat.SANGAT_KURANG


def test_a_missing_predikat_refuses_the_run(app, pay):
    db.session.execute(PayrollPredikat.__table__.delete().where(PayrollPredikat.employee_id == pay.staff1.id))
    run = runs.create_run(OCT, None, pay.u_operator)
    with pytest.raises(months.PayrollRefused) as exc:
        compute.compute_run(run, pay.u_operator)
    assert any("Staf Satu" in p and "Predikat" in p for p in exc.value.problems)


def test_a_large_population_computes_as_a_background_job_with_progress(app, pay, monkeypatch):
    from tests.web.payroll.test_payroll_flow import as_user

    monkeypatch.setattr(compute, "INLINE_MAX", 2)
    op = as_user(app, pay.u_operator)
    op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    run = db.session.scalars(select(PayrollRun)).one()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 303 and "job=" in resp.location
    job = db.session.scalars(select(Job).where(Job.kind == "payroll_compute")).one()
    assert job.status == JobStatus.DONE, job.message
    db.session.refresh(run)
    assert run.status == RunStatus.DIHITUNG and run.employee_count == 6
    assert "Menghitung" in op.get(resp.location).text


def test_variance_lists_big_changes_new_and_missing_employees_with_reasons(app, pay, make_employee):
    final_run(pay, OCT)
    pay.kabid.active = False  # missing in November
    predikat.set_predikat(pay.staff2, NOV, Predikat.SANGAT_KURANG, "uji")  # TPP kinerja falls to 0%
    newcomer = make_employee("Pegawai Baru", pay.p_staff1, ptkp_status="TK/0")
    db.session.add(PayrollPredikat(employee_id=newcomer.id, month=NOV, predikat="baik", source="uji"))
    db.session.commit()
    run = runs.create_run(NOV, None, pay.u_operator)
    compute.compute_run(run, pay.u_operator)
    items = {(i.category, i.name): i.reason for i in variance.variance(run)}
    assert ("baru", "Pegawai Baru") in items
    assert ("hilang", "Kabid Uji") in items
    assert "melebihi batas" in items[("selisih", "Staf Dua")]
    assert db.session.scalar(select(func.count(PayrollLine.id)).where(PayrollLine.run_id == run.id)) > 0


def test_copy_text_escapes_backslash_tab_and_newline_and_writes_null():
    assert copy_writer.copy_field("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert copy_writer.copy_field(None) == "\\N"
    assert copy_writer.copy_field(12) == "12"


def test_a_compensating_run_pays_only_the_difference_and_is_reproducible(app, pay):
    original = final_run(pay, OCT)
    attendance.correct_attendance(pay.staff1, date(2026, 10, 6), 0, 0, "TK", None, "Absen tidak tercatat di mesin")
    comp = runs.create_run(
        OCT, None, pay.u_operator, RunKind.COMPENSATING, original=original, reason="Koreksi kehadiran"
    )
    compute.compute_run(comp, pay.u_operator)
    lines = db.session.execute(
        select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.amount).where(PayrollLine.run_id == comp.id)
    ).all()
    assert {eid for eid, _, _ in lines} == {pay.staff1.id}
    codes = {code: amount for _, code, amount in lines}
    assert codes["TPP_DISIPLIN"] < 0  # 3% of the disiplin part taken back
    assert comp.total_netto < 0 and comp.employee_count == 6
    for step, who in (("verify", pay.u_verifikator), ("approve", pay.u_pejabat), ("finalise", pay.u_pejabat)):
        runs.transition(comp, step, who)
    assert verification.verify_run(comp).ok and verification.verify_run(original).ok


def test_approved_manual_amounts_of_a_whole_pemda_run_are_read_without_an_in_list(app, make_employee, make_user):
    """A run of 100,000 employees must not send them as bound parameters (PostgreSQL takes at most 65,535):
    past 1,000 ids the month's approved amounts are read whole and filtered here, with the same answer."""
    from kinerja_web.models import ManualStatus, PayrollManualAmount
    from kinerja_web.services.payroll import manual

    paid, other = make_employee("Dibayar"), make_employee("Di luar proses")
    maker = make_user()
    common = {"month": OCT, "kind": "penghasilan", "bagian": "gaji", "reason": "r", "document": "d"}
    for emp, status in ((paid, ManualStatus.DISETUJUI), (other, ManualStatus.DISETUJUI), (paid, ManualStatus.MENUNGGU)):
        db.session.add(
            PayrollManualAmount(
                employee_id=emp.id, label="Koreksi", amount=1000, status=status, created_by_id=maker.id, **common
            )
        )
    db.session.commit()
    few = manual.approved_manual(OCT, [paid.id])
    many = manual.approved_manual(OCT, [paid.id, *range(10**6, 10**6 + 70_000)])
    assert set(few) == set(many) == {paid.id} and len(many[paid.id]) == 1
    assert few[paid.id][0].amount == many[paid.id][0].amount == 1000
