"""Employees and accounts: the directory, profile sections, employee edits, roles and passwords."""

from __future__ import annotations

from ..models import Employee, Role, User
from .core import is_admin, is_finance, is_hr, is_self, is_superior_of


def can_view_directory(user: User) -> bool:
    """The directory is the agency phone book: name, NIP, jabatan and unit of active staff."""
    return user.is_authenticated


def can_view_employee_work(user: User, employee: Employee) -> bool:
    """Jabatan history, golongan, atasan chain: self, superiors, HR, finance."""
    return is_self(user, employee) or is_hr(user) or is_finance(user) or is_superior_of(user, employee)


def can_view_employee_private(user: User, employee: Employee) -> bool:
    """Birth date, family, PTKP and bank account: self, HR and finance (payroll needs them), not the atasan."""
    return is_self(user, employee) or is_hr(user) or is_finance(user)


def can_view_own_records(user: User, employee: Employee) -> bool:
    """The employee's own history pages (who appraised them on a date, who changed their data): the employee
    themself and HR."""
    return is_self(user, employee) or is_hr(user)


def can_edit_employee(user: User, employee: Employee | None = None) -> bool:
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
    return is_hr(user)


def can_reset_password(user: User, target: User) -> bool:
    """Whoever may grant every role an account holds may reset its password (never their own): HR resets
    pegawai and HR accounts on the LAN; an account with a finance or administrator role only an
    administrator, or HR could sign in with the temporary password as a verifikator or pejabat keuangan."""
    if target.id == user.id or not is_hr(user):
        return False
    return all(can_assign_role(user, role) for role in target.roles)
