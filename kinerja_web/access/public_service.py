"""Who may see and maintain the public-service data (catalogue, service log, dashboards, IKI signals).

- HR (BKPSDM) does everything, grants unit operators and keeps the holiday calendar.
- A unit operator (granted per unit by HR) maintains the unit's catalogue and imports its service log.
- The unit's leader, the pimpinan whose scope covers it, and the staff of the unit's OPD read its dashboard;
  the per-officer breakdown is for HR, operators and the leader only.
- An IKI is linked to a signal by the employee who reports its realisasi (they stay the author).
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from ..extensions import db
from ..models import ServiceOperator, Skp, Unit, User
from .core import is_hr, leads_unit
from .dashboards import dashboard_units, is_pimpinan
from .skp import can_report_realisasi


def operator_unit_ids(user: User) -> frozenset[int]:
    """Units the user is a service operator of (memoised per request)."""
    if not user.is_authenticated:
        return frozenset()
    memo = g.setdefault("_service_operator_units", {}) if has_request_context() else {}
    if user.id not in memo:
        memo[user.id] = frozenset(
            db.session.scalars(select(ServiceOperator.unit_id).where(ServiceOperator.user_id == user.id))
        )
    return memo[user.id]


def is_service_operator(user: User, unit: Unit) -> bool:
    return unit.id in operator_unit_ids(user)


def can_manage_unit_services(user: User, unit: Unit) -> bool:
    """Catalogue, standar pelayanan and service-log import of the unit: HR and the unit's operators."""
    return is_hr(user) or is_service_operator(user, unit)


def can_view_unit_officers(user: User, unit: Unit) -> bool:
    """Figures per officer (a person's performance data): HR, the unit's operators and its leader."""
    return can_manage_unit_services(user, unit) or leads_unit(user, unit)


def can_view_unit_dashboard(user: User, unit: Unit) -> bool:
    """The unit's service dashboard: the above, the pimpinan over it, and the staff of the unit's OPD."""
    if not user.is_authenticated:
        return False
    if can_view_unit_officers(user, unit):
        return True
    if is_pimpinan(user) and unit.id in (dashboard_units(user) or []):
        return True
    emp = user.employee
    return bool(emp and emp.unit and emp.unit.opd.id == unit.opd.id)


def can_view_regency_services(user: User) -> bool:
    """The regency-wide service dashboard: HR and pimpinan (their scope)."""
    return is_hr(user) or is_pimpinan(user)


def can_manage_holidays(user: User) -> bool:
    return is_hr(user)


def can_manage_service_operators(user: User) -> bool:
    return is_hr(user)


def can_link_signal(user: User, skp: Skp) -> bool:
    """Linking an IKI to a measured signal is part of reporting realisasi: the SKP's own employee."""
    return can_report_realisasi(user, skp)
