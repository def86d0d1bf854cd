from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ... import access
from ...extensions import db
from ...models import Employee, Notification, StatusAsn, User
from ...services import datacache
from ...services.org import appraisers
from ...timeutil import today_wib
from ...todos import todos_for
from . import bp


@bp.get("/")
@login_required
def index():
    today = today_wib()
    user = current_user._get_current_object()
    # The to-do counts and the atasan/team cards only change with audited data, so they are cached per worker
    # under the data version (services/datacache.py); the dashboard is the page everybody opens all day.
    ctx: dict = {"todos": datacache.cached("dashboard_todos", lambda: tuple(todos_for(user)), user.id, today)}
    ctx["today"] = today
    emp = user.employee
    if emp is not None:
        ctx["me"] = emp
        ctx["my_position"], ctx["appraiser"], ctx["team"] = datacache.cached(
            "dashboard_people", lambda: _people(emp, today), emp.id, today
        )
    ctx["recent"] = list(
        db.session.scalars(access.visible_notifications(current_user).order_by(Notification.created_at.desc()).limit(5))
    )
    if access.is_hr(current_user) or access.is_finance(current_user):
        rows = datacache.cached("dashboard_by_status", _count_by_status)
        ctx["by_status"] = {StatusAsn(s).label: n for s, n in rows}
        ctx["total_employees"] = sum(n for _, n in rows)
    if access.is_finance(current_user):
        ctx["missing_bank"], ctx["missing_ptkp"] = datacache.cached("dashboard_payroll_gaps", _payroll_gaps)
    if access.is_admin(current_user):
        ctx["user_count"] = db.session.scalar(select(func.count()).select_from(User))
        ctx["locked_count"] = db.session.scalar(
            select(func.count()).select_from(User).where(User.locked_until.is_not(None))
        )
    return render_template("dashboard/index.html", **ctx)


@dataclass(frozen=True)
class _Person:
    id: int
    full_name: str


@dataclass(frozen=True)
class _AppraiserCard:
    employee: _Person
    acting_prefix: str


def _people(emp: Employee, today) -> tuple[str | None, _AppraiserCard | None, tuple[_Person, ...]]:
    """Own post, appraiser and team as plain values (never ORM objects: the cache is shared by the worker's
    requests)."""
    found = appraisers.appraiser_of(emp, today)
    card = _AppraiserCard(_Person(found.employee.id, found.employee.full_name), found.acting_prefix) if found else None
    team = tuple(_Person(t.id, t.full_name) for t in appraisers.direct_subordinates(emp, today))
    return (emp.position.full_name if emp.position else None), card, team


def _count_by_status() -> tuple[tuple[str, int], ...]:
    rows = db.session.execute(
        select(Employee.status_asn, func.count()).where(Employee.active.is_(True)).group_by(Employee.status_asn)
    ).all()
    return tuple((s, n) for s, n in rows)


def _payroll_gaps() -> tuple[int, int]:
    active = Employee.active.is_(True)
    no_bank = (Employee.bank_account.is_(None)) | (Employee.bank_account == "")
    return (
        db.session.scalar(select(func.count()).select_from(Employee).where(active, no_bank)) or 0,
        db.session.scalar(select(func.count()).select_from(Employee).where(active, Employee.ptkp_status.is_(None)))
        or 0,
    )
