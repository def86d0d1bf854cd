from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ... import access
from ...extensions import db
from ...models import Employee, Notification, StatusAsn, User
from ...services import datacache, org
from ...services.notify import todos_for
from ...timeutil import today_wib
from . import bp


@bp.get("/")
@login_required
def index():
    today = today_wib()
    ctx: dict = {"todos": todos_for(current_user), "today": today}
    emp = current_user.employee
    if emp is not None:
        ctx["me"] = emp
        ctx["appraiser"] = org.appraiser_of(emp, today)
        ctx["team"] = org.direct_subordinates(emp, today)
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
