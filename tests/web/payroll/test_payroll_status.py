"""TPP status periods (page, validation, effect on the run, explanation) and tunjangan jabatan from the
rule table in a computed run."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, PayrollLine, PayrollRunEmployee, PayrollStatusPeriod, PositionKind
from kinerja_web.services.payroll import compute, loading, verification
from kinerja_web.services.payroll import rules as pay_rules
from tests.web.payroll.test_payroll_flow import as_user, make_computed_run
from tests.web.payroll.test_payroll_flow import pay as _pay_fixture

pay = _pay_fixture  # the flow tests' fixture: rules loaded, PTKP and October predikat for everyone


def amount(run, emp, code) -> int:
    return (
        db.session.scalar(
            select(PayrollLine.amount).where(
                PayrollLine.run_id == run.id, PayrollLine.employee_id == emp.id, PayrollLine.code == code
            )
        )
        or 0
    )


def add(client, **data):
    form = {"month": "2026-10", "kind": "HUKDIS_SEDANG", "mulai": "2026-09-01", "sampai": "", "dasar": "SK 800/12"}
    form.update(data)
    return client.post("/gaji/status-tpp", data=form)


def test_a_status_period_reduces_tpp_in_the_next_computed_run_and_is_explained(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    run = make_computed_run(app, ns)
    before = amount(run, ns.staff1, "TPP_KINERJA")
    assert before > 0

    resp = add(op, nip=ns.staff1.nip, alasan="Hukuman disiplin sedang PP 94/2021")
    assert resp.status_code == 303, resp.text
    assert "SK 800/12" in op.get("/gaji/status-tpp?month=2026-10").text

    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    after = amount(run, ns.staff1, "TPP_KINERJA")
    assert after == before // 2  # HUKDIS_SEDANG factor 0,50 (CONTOH)
    assert amount(run, ns.staff2, "TPP_KINERJA") == before  # others unchanged
    snap = json.loads(
        db.session.scalar(
            select(PayrollRunEmployee.inputs).where(
                PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.employee_id == ns.staff1.id
            )
        )
    )
    assert snap["status_tpp"] == ["HUKDIS_SEDANG"]
    assert verification.verify_run(run).ok

    page = op.get(f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}").text
    assert "Hukuman disiplin sedang" in page and "SK 800/12" in page and "Status yang memengaruhi TPP" in page


def test_partial_month_leave_does_not_stop_tpp(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    assert add(op, nip=ns.staff1.nip, kind="CUTI_SEBULAN", mulai="2026-10-05", sampai="2026-11-20").status_code == 303
    run = make_computed_run(app, ns)
    assert amount(run, ns.staff1, "TPP_KINERJA") == amount(run, ns.staff2, "TPP_KINERJA") > 0


def test_overlapping_period_of_the_same_kind_is_refused_next_to_the_field(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    assert add(op, nip=ns.staff1.nip, mulai="2026-01-01", sampai="2026-12-31").status_code == 303
    resp = add(op, nip=ns.staff1.nip, mulai="2026-06-01", dasar="SK lain/2026")
    assert resp.status_code == 422
    assert "tumpang tindih" in resp.text and 'value="SK lain/2026"' in resp.text
    assert db.session.scalar(select(func.count(PayrollStatusPeriod.id))) == 1


def test_end_before_start_and_unknown_employee_are_refused(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    resp = add(op, nip=ns.staff1.nip, mulai="2026-10-10", sampai="2026-10-01")
    assert resp.status_code == 422 and "tidak boleh sebelum" in resp.text
    resp = add(op, nip="199901012020011999")
    assert resp.status_code == 422 and "tidak dikenal" in resp.text
    resp = add(op, nip=ns.staff1.nip, dasar=" ")
    assert resp.status_code == 422 and "nomor SK" in resp.text
    assert db.session.scalar(select(func.count(PayrollStatusPeriod.id))) == 0


def test_ending_an_open_period(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    assert add(op, nip=ns.staff1.nip, kind="TUGAS_BELAJAR", mulai="2026-09-01").status_code == 303
    period = db.session.scalars(select(PayrollStatusPeriod)).one()
    resp = op.post(f"/gaji/status-tpp/{period.id}/akhiri", data={"sampai": "2026-08-01", "month": "2026-10"})
    assert resp.status_code == 422 and "tidak boleh sebelum" in resp.text
    resp = op.post(f"/gaji/status-tpp/{period.id}/akhiri", data={"sampai": "2026-09-30", "month": "2026-10"})
    assert resp.status_code == 303
    db.session.refresh(period)
    assert period.sampai.isoformat() == "2026-09-30"
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.entity == "payroll_status_period", AuditLog.entity_id == period.id)
    ).all()
    assert "create" in actions and "update" in actions  # pay inputs are audited
    run = make_computed_run(app, ns)  # ended in September: October TPP is paid in full
    assert amount(run, ns.staff1, "TPP_KINERJA") == amount(run, ns.staff2, "TPP_KINERJA") > 0


def test_tunjangan_jabatan_replaces_tunjangan_umum_with_its_citation(app, pay):
    ns = pay
    ns.p_staff2.kind, ns.p_staff2.name, ns.p_staff2.jenjang = PositionKind.FUNGSIONAL, "Arsiparis", "Terampil"
    db.session.commit()
    run = make_computed_run(app, ns)
    assert amount(run, ns.kasi, "TJ_JABATAN") == 540_000 and amount(run, ns.kasi, "TJ_UMUM") == 0
    assert amount(run, ns.staff2, "TJ_JABATAN") == 350_000 and amount(run, ns.staff2, "TJ_UMUM") == 0
    assert amount(run, ns.staff1, "TJ_JABATAN") == 0 and amount(run, ns.staff1, "TJ_UMUM") > 0
    assert verification.verify_run(run).ok

    op = as_user(app, ns.u_operator)
    page = op.get(f"/gaji/run/{run.id}/pegawai/{ns.kasi.id}").text
    assert "Tunjangan jabatan struktural" in page and "Perpres 26/2007" in page and "eselon IV.a" in page
    assert "tunjangan_jabatan@2024-01-01" in page
    page = op.get(f"/gaji/run/{run.id}/pegawai/{ns.staff2.id}").text
    assert "Tunjangan jabatan fungsional" in page and "CONTOH" in page and "Arsiparis Terampil" in page


def test_demo_seed_gives_two_employees_without_accounts_a_status_period_once(app, org_chart):
    from datetime import date

    from kinerja_web.services.seed.payroll import seed_payroll_status_demo

    today = date(2026, 11, 15)
    assert seed_payroll_status_demo(today) == 2
    assert seed_payroll_status_demo(today) == 0
    periods = loading.status_periods_in(date(2026, 10, 1))
    with_accounts = {org_chart.staff1.id, org_chart.kasi.id, org_chart.other.id}
    assert len(periods) == 2 and not set(periods) & with_accounts


def test_a_run_recorded_before_the_tunjangan_jabatan_table_still_verifies(app, pay, monkeypatch):
    """Old runs recorded 20 rule versions and no tunjangan jabatan; `flask payroll verify` must still
    reproduce them byte for byte with today's code."""
    from dataclasses import replace

    ns = pay
    real_load_rules = pay_rules.load_rules

    class OldRules:
        def __init__(self, rules):
            self._rules = rules

        def problems(self):
            return self._rules.problems()

        def resolve(self, month):
            return replace(self._rules.resolve(month), tunjangan_jabatan=None)

    monkeypatch.setattr(compute, "load_rules", lambda *a: OldRules(real_load_rules(*a)))
    run = make_computed_run(app, ns)
    monkeypatch.undo()
    assert "tunjangan_jabatan" not in run.rule_versions and len(run.rule_versions) == 22
    assert amount(run, ns.kasi, "TJ_JABATAN") == 0 and amount(run, ns.kasi, "TJ_UMUM") > 0
    assert verification.verify_run(run).ok
