"""The demo's tax year (issue 20 items 1 and 9): the PTKP status per tax year opened from the family data, an
employee who married in July (this year keeps TK/0; next year's K/0 waits for HR's confirmation and the
explanation says so), and a mid-year go-live import of January–June for two employees."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import select

from ...domain.payroll import YtdValues, compute_monthly
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import Employee, FamilyMember, FamilyRelation, Gender, PayrollRun, PayrollRunScope, User, YtdEntry
from ..payroll import loading, ptkp_years, ytd_import
from ..payroll.rules import load_rules

MARRIED_IN_JULY = "Pernikahan Juli (data demo)"


def _married_in_july(today: date) -> Employee | None:
    """The demo pegawai (or else the first unmarried man) marries on 12 July of this year."""
    if db.session.scalar(select(FamilyMember.id).where(FamilyMember.name == MARRIED_IN_JULY)):
        return None
    pegawai = db.session.scalar(select(User.employee_id).where(User.username == "pegawai"))
    men = db.session.scalars(
        select(Employee).where(Employee.active.is_(True), Employee.gender == Gender.L).order_by(Employee.id).limit(400)
    ).all()
    men.sort(key=lambda e: e.id != pegawai)
    for emp in men:
        if not any(f.relation != FamilyRelation.ANAK for f in emp.family):
            emp.family.append(
                FamilyMember(
                    relation=FamilyRelation.ISTRI,
                    name=MARRIED_IN_JULY,
                    birth_date=date(today.year - 27, 3, 3),
                    tanggungan_sejak=date(today.year, 7, 12),
                    receives_allowance=True,
                )
            )
            emp.ptkp_status = "TK/0"  # the status this tax year keeps
            db.session.flush()
            return emp
    return None


def _ytd_demo(today: date, actor: User | None) -> int:
    """January–June of this year for two employees without a demo account, as the real import writes them:
    each month computed from the employee's inputs, carried like Kinerja's own year-to-date."""
    if today.month < 8 or actor is None or db.session.scalar(select(YtdEntry.id).limit(1)):
        return 0
    taken = set(db.session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    emps = [
        e
        for e in db.session.scalars(select(Employee).where(Employee.active.is_(True)).order_by(Employee.id).limit(60))
        if e.id not in taken and e.unit is not None
    ][2:4]
    if not emps:
        return 0
    month = date(today.year, 7, 1)
    run = PayrollRun(month=month, whole_pemda=True)  # transient: only to load the July inputs
    run.scope_rows = [PayrollRunScope(month=month, opd_id=e.unit.opd.id, slot="demo") for e in emps]
    rule_set = load_rules()
    loaded = loading.load_month(run, rule_set.resolve(month))
    rows = []
    for row in loaded.employees:
        if row.id not in {e.id for e in emps}:
            continue
        base = loading.build_inputs(row, loaded)
        base = dataclasses.replace(base, predikat=base.predikat or Predikat.BAIK, attendance=())
        ytd = YtdValues()
        for m in range(1, 7):
            ytd = compute_monthly(dataclasses.replace(base, ytd=ytd), rule_set, date(today.year, m, 1)).ytd_after(ytd)
        rows.append([row.nip, today.year, 1, 6, ytd.bruto, ytd.iuran_pensiun, ytd.pph21])
    for s in list(run.scope_rows):
        if s in db.session:
            db.session.expunge(s)
    if run in db.session:
        db.session.expunge(run)
    imp, _ = ytd_import.confirm("demo-gaji-januari-juni.xlsx", ytd_import.workbook(rows), actor)
    return imp.rows


def seed_tax_year_demo(today: date) -> dict[str, int]:
    hr = db.session.scalar(select(User).where(User.username == "kepegawaian"))
    married = _married_in_july(today)
    opened = ptkp_years.open_year(today.year, hr)
    upcoming = ptkp_years.open_year(today.year + 1, hr)
    return {
        "ptkp": opened.created + upcoming.created,
        "ptkp_pending": upcoming.pending,
        "married_in_july": int(married is not None),
        "ytd": _ytd_demo(today, hr),
    }
