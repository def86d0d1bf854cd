"""TPP dashboards: spend vs pagu anggaran per OPD, reductions by cause, predikat; XLSX; the pagu form; access."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, PayrollPredikat, TppBudget
from kinerja_web.services.payroll import attendance, compute, dashboard, rules, runs
from tests.web.payroll.test_payroll_flow import as_user

OCT = date(2026, 10, 1)
ROLES = ("u_staff", "u_kasi", "u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin")
FINANCE_AND_HR = {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}


@pytest.fixture
def final(org_chart):
    rules.seed_rules()
    ns = org_chart
    for e in (ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other):
        e.ptkp_status = "TK/0"
        predikat = "sangat_kurang" if e is ns.staff2 else "baik"
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat=predikat, source="uji"))
    db.session.commit()
    attendance.correct_attendance(ns.staff1, date(2026, 10, 6), 45, 0, None, None, "Terlambat")
    run = runs.create_run(OCT, None, ns.u_operator)
    compute.compute_run(run, ns.u_operator)
    runs.transition(run, "verify", ns.u_verifikator)
    runs.transition(run, "approve", ns.u_pejabat)
    runs.transition(run, "finalise", ns.u_pejabat)
    db.session.commit()
    ns.run = run
    return ns


def test_hr_sets_a_pagu_and_it_is_audited(app, final):
    resp = as_user(app, final.u_hr).post(
        "/gaji/pagu-tpp",
        data={"opd_id": final.opd.id, "year": 2026, "amount": "Rp 1.250.000.000", "note": "DPA 2026"},
    )
    assert resp.status_code == 303
    budget = db.session.scalars(select(TppBudget)).one()
    assert (budget.opd_id, budget.year, budget.amount, budget.note) == (final.opd.id, 2026, 1_250_000_000, "DPA 2026")
    assert db.session.scalar(select(func.count()).where(AuditLog.entity == "tpp_budget")) >= 1


def test_a_repeated_pagu_submit_replaces_instead_of_duplicating(app, final):
    client = as_user(app, final.u_operator)
    for amount in ("1.000.000", "2.000.000", "2.000.000"):
        client.post("/gaji/pagu-tpp", data={"opd_id": final.opd.id, "year": 2026, "amount": amount})
    assert [b.amount for b in db.session.scalars(select(TppBudget))] == [2_000_000]


def test_a_bad_pagu_is_refused_next_to_the_field_keeping_the_input(app, final):
    resp = as_user(app, final.u_hr).post(
        "/gaji/pagu-tpp", data={"opd_id": final.opd.id, "year": 2026, "amount": "12.500,50"}
    )
    assert resp.status_code == 422
    assert 'id="err-amount"' in resp.text and "tanpa sen" in resp.text and 'value="12.500,50"' in resp.text
    assert db.session.scalar(select(func.count(TppBudget.id))) == 0


def test_dashboard_compares_spend_with_pagu_and_explains_the_reductions(app, final):
    dashboard.set_budget(final.opd.id, 2026, 500_000_000, "", final.u_hr)
    db.session.commit()
    period = dashboard.Period(2026, 12)
    spend = {s.opd_id: s for s in dashboard.spend_by_opd(period)}[final.opd.id]
    assert spend.pagu == 500_000_000 and spend.tpp > 0 and spend.total > spend.tpp
    assert spend.sisa == 500_000_000 - spend.total
    analysis = dashboard.analyse(period)
    causes = {label: rp for label, rp, _ in analysis.causes}
    assert any("terlambat" in label and rp > 0 for label, rp in causes.items())
    assert any("Predikat" in label and rp > 0 for label, rp in causes.items())
    assert {label for label, _, _ in analysis.predikat} == {"Baik", "Sangat Kurang"}
    page = as_user(app, final.u_verifikator).get("/gaji/dasbor?tahun=2026&sampai=12")
    assert page.status_code == 200
    assert page.text.count("<svg") == 3 and "melebihi pagu" not in page.text
    assert final.opd.name in page.text and "Rp 500.000.000" in page.text


def test_an_earlier_period_or_another_year_shows_nothing_paid(app, final):
    assert dashboard.analyse(dashboard.Period(2026, 9)).causes == []
    page = as_user(app, final.u_hr).get("/gaji/dasbor?tahun=2025")
    assert "Belum ada pagu anggaran maupun proses penggajian final" in page.text


def test_xlsx_export_has_the_three_tables_with_the_dashboard_figures(app, final):
    dashboard.set_budget(final.opd.id, 2026, 500_000_000, "", final.u_hr)
    db.session.commit()
    resp = as_user(app, final.u_pejabat).get("/gaji/dasbor.xlsx?tahun=2026")
    assert resp.status_code == 200 and resp.headers["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == ["Serapan per OPD", "Potongan menurut penyebab", "Kinerja menurut predikat"]
    period = dashboard.Period(2026, 12)
    spend = {s.name: s for s in dashboard.spend_by_opd(period)}
    rows = {r[0]: r for r in wb["Serapan per OPD"].iter_rows(min_row=3, values_only=True)}
    assert rows[final.opd.name][1] == 500_000_000 and rows[final.opd.name][4] == spend[final.opd.name].total
    causes = [r for r in wb["Potongan menurut penyebab"].iter_rows(min_row=3, values_only=True)]
    assert causes == [tuple(c) for c in dashboard.analyse(period).causes]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/gaji/dasbor", FINANCE_AND_HR),
        ("get", "/gaji/dasbor.xlsx", FINANCE_AND_HR),
        ("get", "/gaji/pagu-tpp", FINANCE_AND_HR),
        ("post", "/gaji/pagu-tpp", FINANCE_AND_HR),
    ],
)
def test_dashboard_access_matrix(app, final, method, path, allowed):
    for role in ROLES:
        client = as_user(app, getattr(final, role))
        if method == "get":
            resp = client.get(path)
            ok = resp.status_code == 200
        else:
            resp = client.post(path, data={"opd_id": final.other_opd.id, "year": 2026, "amount": "1000"})
            ok = resp.status_code == 303
        assert ok if role in allowed else resp.status_code == 403, (role, method, path, resp.status_code)
    stored = db.session.scalars(select(TppBudget)).all()
    if method == "post":  # only the allowed roles' submits reached the table (all the same OPD and year)
        assert len(stored) == 1 and stored[0].opd_id == final.other_opd.id
