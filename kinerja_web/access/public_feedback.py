"""Who works with the public's feedback: SKM, complaints (pengaduan) and innovations.

- The SKM kiosk is public (no login). Periods, paper entry, imports and the report belong to the unit's service
  operator (granted by HR, `ServiceOperator`, for the unit and its sub-units), the unit's leader and HR.
- A complaint is handled by the unit's operator (the pengelola pengaduan of Perpres 76/2013) and HR. A complaint
  that names an officer is visible, besides those handlers, to that officer once it is verified and to their
  atasan chain; nobody else learns it exists (404). The officer answers in writing and never edits it.
- An innovation is seen by its employee, their atasan chain, the unit's operator and HR; HR reviews it.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import Select, false, or_, select

from ..domain.public_feedback import ComplaintStatus, InnovationStatus
from ..models import Complaint, Employee, Innovation, SkmPeriod, Unit, User
from ..services.org import appraisers, units
from ..timeutil import today_wib
from .awards import can_propose_award
from .core import is_hr, is_self, is_superior_of, leads_unit
from .public_service import operator_unit_ids


def operated_unit_ids(user: User) -> list[int] | None:
    """Units whose feedback the user operates: None for every unit (HR), else the units HR made them service
    operator of and the units they lead, with every unit below (memoised per request)."""
    if is_hr(user):
        return None
    if not user.is_authenticated:
        return []
    memo = g.setdefault("_feedback_units", {}) if has_request_context() else {}
    if user.id not in memo:
        roots = set(operator_unit_ids(user))
        if user.employee is not None:
            roots |= {p.unit_id for p in appraisers.positions_held(user.employee, today_wib()) if p.is_leader}
        memo[user.id] = units.subtree_ids(*roots) if roots else []
    return memo[user.id]


def can_operate_unit(user: User, unit_id: int | None) -> bool:
    scope = operated_unit_ids(user)
    return unit_id is not None and (scope is None or unit_id in scope)


def is_feedback_operator(user: User) -> bool:
    """Has any unit to operate (menu entries)."""
    scope = operated_unit_ids(user)
    return scope is None or bool(scope)


def can_manage_skm(user: User, period: SkmPeriod) -> bool:
    return can_operate_unit(user, period.unit_id)


# --- complaints --------------------------------------------------------------------------------------------


def can_register_complaint(user: User) -> bool:
    return is_feedback_operator(user)


def can_process_complaint(user: User, complaint: Complaint) -> bool:
    """Verify, follow up, close: the unit's operator and HR (the named officer never)."""
    if complaint.employee_id is not None and is_self(user, complaint.employee):
        return False
    return can_operate_unit(user, complaint.unit_id)


def can_view_complaint(user: User, complaint: Complaint) -> bool:
    if can_process_complaint(user, complaint) or is_hr(user):
        return True
    if complaint.employee is None:
        return False
    if is_self(user, complaint.employee):
        return complaint.status != ComplaintStatus.REGISTERED
    return is_superior_of(user, complaint.employee)


def can_respond_complaint(user: User, complaint: Complaint) -> bool:
    """The named officer answers a verified complaint in writing (domain reference §12.3)."""
    return (
        complaint.employee is not None
        and is_self(user, complaint.employee)
        and complaint.status != ComplaintStatus.REGISTERED
    )


def can_edit_complaint(user: User, complaint: Complaint) -> bool:
    """Correcting the registered data: only before verification, only by its handlers."""
    return complaint.status == ComplaintStatus.REGISTERED and can_process_complaint(user, complaint)


def can_configure_complaint_deadlines(user: User) -> bool:
    return is_hr(user)


def _subordinate_ids(user: User) -> Select | None:
    below = appraisers.subordinate_position_ids(user.employee, today_wib())
    return select(Employee.id).where(Employee.position_id.in_(below)) if below else None


def visible_complaints(user: User) -> Select:
    """The complaint list scope, the same rules as `can_view_complaint` as a query."""
    stmt = select(Complaint)
    scope = operated_unit_ids(user)
    if scope is None:
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    conditions = [
        (Complaint.employee_id == user.employee_id) & (Complaint.status != ComplaintStatus.REGISTERED),
    ]
    if scope:
        conditions.append(Complaint.unit_id.in_(scope) & (Complaint.employee_id != user.employee_id))
        conditions.append(Complaint.unit_id.in_(scope) & Complaint.employee_id.is_(None))
    below = _subordinate_ids(user)
    if below is not None:
        conditions.append(Complaint.employee_id.in_(below))
    return stmt.where(or_(*conditions))


# --- innovations -------------------------------------------------------------------------------------------


def can_view_innovation(user: User, innovation: Innovation) -> bool:
    if is_hr(user) or can_operate_unit(user, innovation.unit_id):
        return True
    if not user.is_authenticated:
        return False
    if innovation.created_by_id == user.id:
        return True
    if innovation.employee is not None:
        return is_self(user, innovation.employee) or is_superior_of(user, innovation.employee)
    return False


def can_submit_innovation(user: User) -> bool:
    return user.is_authenticated and (user.employee_id is not None or is_hr(user))


def can_submit_for_unit(user: User, unit: Unit) -> bool:
    return can_operate_unit(user, unit.id) or leads_unit(user, unit)


def can_edit_innovation(user: User, innovation: Innovation) -> bool:
    """The author changes it and adds files until HR accepts it."""
    return innovation.status != InnovationStatus.ACCEPTED and (
        innovation.created_by_id == user.id or can_operate_unit(user, innovation.unit_id)
    )


def can_review_innovation(user: User, innovation: Innovation) -> bool:
    return is_hr(user)


def can_propose_award_for_innovation(user: User, innovation: Innovation) -> bool:
    """An accepted innovation of an employee is a reason an atasan (or HR) may give for an award proposal."""
    if innovation.status != InnovationStatus.ACCEPTED or innovation.employee is None:
        return False
    return is_hr(user) or can_propose_award(user, innovation.employee)


def visible_innovations(user: User) -> Select:
    stmt = select(Innovation)
    scope = operated_unit_ids(user)
    if scope is None:
        return stmt
    if not user.is_authenticated:
        return stmt.where(false())
    conditions = [Innovation.created_by_id == user.id]
    if user.employee_id is not None:
        conditions.append(Innovation.employee_id == user.employee_id)
    if scope:
        conditions.append(Innovation.unit_id.in_(scope))
    below = _subordinate_ids(user) if user.employee is not None else None
    if below is not None:
        conditions.append(Innovation.employee_id.in_(below))
    return stmt.where(or_(*conditions))
