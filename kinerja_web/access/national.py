"""Exports to national systems: SIASN layouts and the master-data reconciliation are kepegawaian's; the Taspen and
BPJS contribution recaps are finance's (who may see payroll) and kepegawaian's."""

from __future__ import annotations

from ..models import User
from .core import is_hr
from .payroll import can_view_payroll


def can_export_siasn(user: User) -> bool:
    return is_hr(user)


def can_export_contributions(user: User) -> bool:
    return can_view_payroll(user)


def can_view_national_exports(user: User) -> bool:
    return can_export_siasn(user) or can_export_contributions(user)
