"""Every "may this user …?" answer lives here: views, templates and list queries all ask these functions.

404 is used where even the existence of a record is private (`get_visible_or_404`); 403 where the
record may be seen but the action is not allowed (`require`).
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from .extensions import db
from .models import Employee, Job, Notification, Role, User
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
    return is_hr(user) and role in (Role.PEGAWAI,)


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


# --- official documents ----------------------------------------------------------------------------


def can_configure_documents(user: User) -> bool:
    """Kop surat, signers and number registers: administrator and HR (BKPSDM)."""
    return is_hr(user)


def can_view_document_archive(user: User) -> bool:
    return is_hr(user)


def can_issue_documents(user: User) -> bool:
    return is_hr(user)


def can_revoke_document(user: User, doc=None) -> bool:
    return is_hr(user) and (doc is None or doc.is_valid)


# --- records owned by a user -----------------------------------------------------------------------


def visible_notifications(user: User) -> Select:
    return select(Notification).where(Notification.user_id == user.id)


def visible_jobs(user: User) -> Select:
    stmt = select(Job)
    if not is_hr(user) and not is_finance(user):
        stmt = stmt.where(Job.created_by_id == user.id)
    return stmt


_SCOPES = {Notification: visible_notifications, Job: visible_jobs}


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
