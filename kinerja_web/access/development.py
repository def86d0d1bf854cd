"""Pengembangan kompetensi: catalogue, referral rules, HR work queue, JP (tindak lanjut). The catalogue is open to
every signed-in user; rules, the queue and every change are BKPSDM's. A referral and an employee's development
record are private: the employee, superiors up the chain and HR (404 else).
"""

from __future__ import annotations

from sqlalchemy import Select, select

from ..models import Employee, Referral, User
from .core import is_hr, is_self, is_superior_of, staff_scope, subordinates


def can_browse_programmes(user: User) -> bool:
    return user.is_authenticated


def can_view_development(user: User, employee: Employee) -> bool:
    """JP, referrals and certificates of one employee: self, superiors up the chain, HR."""
    if not user.is_authenticated:
        return False
    return is_self(user, employee) or is_hr(user) or is_superior_of(user, employee)


def has_own_development(user: User) -> bool:
    return user.is_authenticated and user.employee_id is not None


def visible_referrals(user: User) -> Select:
    """Referral scope: own, subordinates' (any level, from today's org data), all for HR."""
    return staff_scope(select(Referral), user, _own_or_subordinates)


def _own_or_subordinates(user: User) -> list:
    below = subordinates(user)
    return [Referral.employee_id == user.employee_id] + ([Referral.employee_id.in_(below)] if below is not None else [])
