"""Roles and the relations every rule builds on: HR, finance, self, superior, pejabat penilai, unit leader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, g
from sqlalchemy import Select, false, or_, select

from ..extensions import db
from ..models import Employee, Role, Unit, User
from ..models.user import HR_ROLES
from ..services.org import appraisers
from ..timeutil import today_wib

FINANCE_ROLES = (Role.OPERATOR_KEUANGAN, Role.VERIFIKATOR_KEUANGAN, Role.PEJABAT_KEUANGAN)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def is_hr(user: User) -> bool:
    return user.is_authenticated and user.has_role(*HR_ROLES)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def is_finance(user: User) -> bool:
    return user.is_authenticated and user.has_role(*FINANCE_ROLES)


def is_superior_of(user: User, employee: Employee, on: date | None = None) -> bool:
    """ "Atasan" is derived from the organisation data on the date, never a role flag."""
    if not user.is_authenticated or user.employee is None:
        return False
    return appraisers.is_superior(user.employee, employee, on or today_wib())


def is_self(user: User, employee: Employee) -> bool:
    return user.is_authenticated and user.employee_id == employee.id


def appraiser_today(employee: Employee, on: date | None = None) -> appraisers.Appraiser | None:
    """The pejabat penilai on `on` (today by default; Plt/Plh aware), memoised per request: pages ask it often."""
    on = on or today_wib()
    cache = g.setdefault("_appraiser_ids", {})
    key = (employee.id, on)
    if key not in cache:
        cache[key] = appraisers.appraiser_of(employee, on)
    return cache[key]


def _appraiser_id_of(employee: Employee, on: date | None = None) -> int | None:
    found = appraiser_today(employee, on)
    return found.employee.id if found else None


def is_appraiser_of(user: User, employee: Employee, on: date | None = None) -> bool:
    """Pejabat penilai = atasan langsung on that date (PermenPANRB 6/2022), derived from org data."""
    if not user.is_authenticated or user.employee_id is None:
        return False
    return _appraiser_id_of(employee, on) == user.employee_id


def leads_unit(user: User, unit: Unit | None, on: date | None = None) -> bool:
    """True when the user exercises (definitive or Plt/Plh) a leader post of `unit` on the date."""
    if unit is None or not user.is_authenticated or user.employee is None:
        return False
    return any(
        p.is_leader and p.unit_id == unit.id for p in appraisers.positions_held(user.employee, on or today_wib())
    )


def get_employee_or_404(employee_id: int) -> Employee:
    emp = db.session.get(Employee, employee_id)
    if emp is None:
        abort(404)
    return emp


def staff_scope(stmt: Select, user: User, rows_of: Callable[[User], list]) -> Select:
    """A list scope: HR sees every row, a signed-in employee the rows matching any of `rows_of(user)`, others none."""
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    return stmt.where(or_(*rows_of(user)))


def subordinates(user: User) -> Select | None:
    """Ids of the employees in the posts below the user's today (any level), or None when there are none."""
    below = appraisers.subordinate_position_ids(user.employee, today_wib())
    return select(Employee.id).where(Employee.position_id.in_(below)) if below else None
