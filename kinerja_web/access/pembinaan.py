"""Pembinaan kinerja (PP 30/2019 Pasal 57). A plan and its coaching log are seen by the employee, the coach, the
superiors up the chain and HR; peers and everyone else get 404. Only HR starts, cancels and records the
follow-up; the coach or the pejabat penilai logs sessions; the review is recorded by them or HR once the 6 months
have passed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select

from ..domain.pembinaan import PlanStatus, review_is_due
from ..models import ImprovementPlan, User
from ..timeutil import today_wib
from .core import is_appraiser_of, is_hr, is_self, is_superior_of, staff_scope, subordinates


def _is_coach(user: User, plan: ImprovementPlan) -> bool:
    return user.is_authenticated and user.employee_id is not None and plan.coach_id == user.employee_id


def can_view_plan(user: User, plan: ImprovementPlan) -> bool:
    if not user.is_authenticated:
        return False
    return is_self(user, plan.employee) or is_hr(user) or _is_coach(user, plan) or is_superior_of(user, plan.employee)


def can_coach_plan(user: User, plan: ImprovementPlan) -> bool:
    """Log coaching sessions and update actions: the coach or today's pejabat penilai, while the plan runs."""
    if plan.status != PlanStatus.RUNNING or is_self(user, plan.employee):
        return False
    return _is_coach(user, plan) or is_appraiser_of(user, plan.employee)


def can_schedule_check_in(user: User, plan: ImprovementPlan) -> bool:
    return plan.status == PlanStatus.RUNNING and (is_hr(user) or can_coach_plan(user, plan))


def can_review_plan(user: User, plan: ImprovementPlan, on: date | None = None) -> bool:
    """The 6-month review: coach, pejabat penilai or HR, only once the period has passed (Pasal 57)."""
    if plan.status != PlanStatus.RUNNING or not review_is_due(plan.start_date, on or today_wib()):
        return False
    return is_hr(user) or can_coach_plan(user, plan)


def can_follow_up_plan(user: User, plan: ImprovementPlan) -> bool:
    return is_hr(user) and plan.status == PlanStatus.NOT_IMPROVED


def can_cancel_plan(user: User, plan: ImprovementPlan) -> bool:
    return is_hr(user) and plan.status == PlanStatus.RUNNING


def visible_plans(user: User) -> Select:
    """Plans a user may open: own, coached, subordinates' (any level), all for HR."""
    return staff_scope(select(ImprovementPlan), user, _own_coached_or_subordinates)


def _own_coached_or_subordinates(user: User) -> list:
    below = subordinates(user)
    conditions = [ImprovementPlan.employee_id == user.employee_id, ImprovementPlan.coach_id == user.employee_id]
    return conditions + ([ImprovementPlan.employee_id.in_(below)] if below is not None else [])
