"""Penilaian 360. Anonymity (issue #5): a rating form is reachable only by its own rater (everyone else gets 404, HR
too); results are aggregates only, for the employee, their appraiser (frozen when the cycle opened) and HR, and
only once the cycle is closed, so nobody can diff results before/after one rater submits.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from ..models import AssignmentStatus, CycleStatus, Evaluatee, EvaluationCycle, RaterAssignment, User
from .core import is_hr, is_self, staff_scope


def visible_assignments(user: User) -> Select:
    """Rater assignments a user may open: their own, whatever their role."""
    if not user.is_authenticated or user.employee_id is None:
        return select(RaterAssignment).where(false())
    return select(RaterAssignment).where(RaterAssignment.rater_id == user.employee_id)


def can_rate(user: User, assignment: RaterAssignment) -> bool:
    """Only the assigned rater, on an approved (not yet submitted) assignment, while the cycle is open."""
    return (
        user.is_authenticated
        and assignment.rater_id == user.employee_id
        and assignment.status == AssignmentStatus.APPROVED
        and assignment.evaluatee.cycle.status == CycleStatus.OPEN
    )


def can_decline(user: User, assignment: RaterAssignment) -> bool:
    return can_rate(user, assignment) and assignment.evaluatee.employee_id != user.employee_id


def visible_evaluatees(user: User) -> Select:
    """Evaluatee records a user may open: their own, those they appraise (snapshot), all for HR."""
    return staff_scope(
        select(Evaluatee),
        user,
        lambda u: [(Evaluatee.employee_id == u.employee_id) | (Evaluatee.appraiser_id == u.employee_id)],
    )


def can_view_results(user: User, evaluatee: Evaluatee) -> bool:
    """Aggregated results: self, appraiser or HR, after the cycle is closed (never per rater)."""
    if evaluatee.cycle.status != CycleStatus.CLOSED:
        return False
    return is_hr(user) or (
        user.is_authenticated and user.employee_id in (evaluatee.employee_id, evaluatee.appraiser_id)
    )


def can_nominate(user: User, evaluatee: Evaluatee) -> bool:
    """The employee proposes extra peers while the cycle is open and the rules allow nominations."""
    cycle = evaluatee.cycle
    return (
        is_self(user, evaluatee.employee)
        and cycle.status == CycleStatus.OPEN
        and cycle.use_rekan
        and cycle.max_nominations > 0
    )


def decidable_nominations(user: User) -> Select:
    """Pending nominations the user may approve: the evaluatee's appraiser, or HR (override)."""
    stmt = (
        select(RaterAssignment)
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .where(RaterAssignment.status == AssignmentStatus.PENDING)
    )
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    return stmt.where(Evaluatee.appraiser_id == user.employee_id)


def can_decide_nomination(user: User, assignment: RaterAssignment) -> bool:
    if assignment.status != AssignmentStatus.PENDING or assignment.evaluatee.cycle.status != CycleStatus.OPEN:
        return False
    return is_hr(user) or (user.is_authenticated and assignment.evaluatee.appraiser_id == user.employee_id)


def can_edit_cycle(user: User, cycle: EvaluationCycle) -> bool:
    return is_hr(user) and cycle.status == CycleStatus.DRAFT


def can_override_raters(user: User, evaluatee: Evaluatee) -> bool:
    return is_hr(user) and evaluatee.cycle.status == CycleStatus.OPEN
