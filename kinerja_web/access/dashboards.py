"""Who reads the leadership dashboards, and which units' data they see.

HR sees every unit. A pimpinan (Bupati, Sekda, Kepala OPD) is granted the read-only `PIMPINAN` role by the
administrator with a unit scope: the Pemda unit for the whole regency, an OPD for its Kepala. They open the
predikat heat map, the 360 progress, TPP spend against pagu, JP coverage and the referral outcomes, each
showing only the units in their scope; every write stays closed to them (the write rules never name them).
"""

from __future__ import annotations

from flask import g, has_request_context

from ..models import Role, User
from ..services.org import units
from .core import is_finance, is_hr
from .payroll import can_view_payroll


def is_pimpinan(user: User) -> bool:
    """Holds the pimpinan role with a unit scope (a grant without a scope opens nothing)."""
    return user.is_authenticated and user.has_role(Role.PIMPINAN) and user.pimpinan_unit_id is not None


def can_view_dashboards(user: User) -> bool:
    """Predikat heat map, 360 progress, JP coverage and referral outcomes: HR, and pimpinan for their units."""
    return is_hr(user) or is_pimpinan(user)


def can_view_tpp_dashboard(user: User) -> bool:
    """TPP spend against pagu: finance and HR (all OPDs), pimpinan (their units)."""
    return can_view_payroll(user) or is_pimpinan(user)


def dashboard_units(user: User) -> list[int] | None:
    """The unit ids whose data the user's dashboards show: None for every unit (HR, finance), else the
    pimpinan's scope unit and everything below it (memoised per request), nothing for anybody else."""
    if is_hr(user) or is_finance(user):
        return None
    if not is_pimpinan(user):
        return []
    memo = g.setdefault("_dashboard_units", {}) if has_request_context() else {}
    key = user.pimpinan_unit_id
    if key not in memo:
        memo[key] = units.subtree_ids(key)
    return memo[key]
