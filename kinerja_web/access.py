"""Every "may this user …?" answer lives here: views, templates and list queries all ask these functions.

404 is used where even the existence of a record is private (`get_visible_or_404`); 403 where the
record may be seen but the action is not allowed (`require`).
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, false, select

from .extensions import db
from .models import (
    AssignmentStatus,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    Job,
    Notification,
    RaterAssignment,
    Role,
    User,
)
from .services import org
from .timeutil import today_wib

HR_ROLES = (Role.ADMIN_KEPEGAWAIAN, Role.ADMINISTRATOR)
FINANCE_ROLES = (Role.OPERATOR_KEUANGAN, Role.VERIFIKATOR_KEUANGAN, Role.PEJABAT_KEUANGAN)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def roles_required(*roles: Role):
    """View decorator: login, then one of `roles` or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require(current_user.has_role(*roles))
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- roles -----------------------------------------------------------------------------------------


def is_hr(user: User) -> bool:
    return user.is_authenticated and user.has_role(*HR_ROLES)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def is_finance(user: User) -> bool:
    return user.is_authenticated and user.has_role(*FINANCE_ROLES)


# --- people ----------------------------------------------------------------------------------------


def is_superior_of(user: User, employee: Employee, on: date | None = None) -> bool:
    """ "Atasan" is derived from the organisation data on the date, never a role flag."""
    if not user.is_authenticated or user.employee is None:
        return False
    return org.is_superior(user.employee, employee, on or today_wib())


def is_self(user: User, employee: Employee) -> bool:
    return user.is_authenticated and user.employee_id == employee.id


def can_view_directory(user: User) -> bool:
    """The directory is the agency phone book: name, NIP, jabatan and unit of active staff."""
    return user.is_authenticated


def can_view_employee_work(user: User, employee: Employee) -> bool:
    """Jabatan history, golongan, atasan chain: self, superiors, HR, finance."""
    return is_self(user, employee) or is_hr(user) or is_finance(user) or is_superior_of(user, employee)


def can_view_employee_private(user: User, employee: Employee) -> bool:
    """Birth date, family, PTKP and bank account: self, HR and finance (payroll needs them), not the atasan."""
    return is_self(user, employee) or is_hr(user) or is_finance(user)


def can_edit_employee(user: User, employee: Employee | None = None) -> bool:
    return is_hr(user)


def can_import_employees(user: User) -> bool:
    return is_hr(user)


def can_manage_accounts(user: User) -> bool:
    return is_hr(user)


def can_assign_role(user: User, role: Role) -> bool:
    """HR grants pegawai/HR-level roles; only an administrator grants finance or administrator roles."""
    if is_admin(user):
        return True
    return is_hr(user) and role in (Role.PEGAWAI, Role.ADMIN_KEPEGAWAIAN)


def can_manage_account(user: User, target: User) -> bool:
    """Roles and activation of one account: an administrator's account only by an administrator, so HR
    cannot lock the administrators out."""
    if target.has_role(Role.ADMINISTRATOR):
        return is_admin(user)
    return can_manage_accounts(user)


def can_reset_password(user: User, target: User) -> bool:
    """HR resets passwords on the LAN; an administrator's password only by another administrator."""
    if target.id == user.id:
        return False
    if target.has_role(Role.ADMINISTRATOR):
        return is_admin(user)
    return is_hr(user)


def can_view_audit(user: User) -> bool:
    return is_hr(user)


def can_view_data_quality(user: User) -> bool:
    return is_hr(user)


def can_edit_org(user: User) -> bool:
    return is_hr(user)


# --- records owned by a user -----------------------------------------------------------------------


def visible_notifications(user: User) -> Select:
    return select(Notification).where(Notification.user_id == user.id)


def visible_jobs(user: User) -> Select:
    stmt = select(Job)
    if not is_hr(user) and not is_finance(user):
        stmt = stmt.where(Job.created_by_id == user.id)
    return stmt


# --- penilaian 360 ------------------------------------------------------------------------------------
# Anonymity (issue #5): a rating form is reachable only by its own rater (everyone else gets 404, HR too);
# results are aggregates only, for the employee, their appraiser (frozen when the cycle opened) and HR,
# and only once the cycle is closed, so nobody can diff results before/after one rater submits.


def can_manage_cycles(user: User) -> bool:
    return is_hr(user)


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
    stmt = select(Evaluatee)
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    return stmt.where((Evaluatee.employee_id == user.employee_id) | (Evaluatee.appraiser_id == user.employee_id))


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


_SCOPES = {
    Notification: visible_notifications,
    Job: visible_jobs,
    RaterAssignment: visible_assignments,
    Evaluatee: visible_evaluatees,
}


def get_visible_or_404(model, record_id: int, user: User):
    """Load a record through the same scope the lists use; invisible and missing look the same (404)."""
    scope = _SCOPES[model](user)
    obj = db.session.scalars(scope.where(model.id == record_id)).first()
    if obj is None:
        abort(404)
    return obj


def get_employee_or_404(employee_id: int) -> Employee:
    emp = db.session.get(Employee, employee_id)
    if emp is None:
        abort(404)
    return emp


JINJA_GLOBALS = {name: obj for name, obj in globals().items() if name.startswith(("can_", "is_")) and callable(obj)}


def init_app(app) -> None:
    app.jinja_env.globals.update(JINJA_GLOBALS)
