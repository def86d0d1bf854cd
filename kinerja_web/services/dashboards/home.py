"""The home page's aggregates: own post, appraiser and team, head counts and payroll data gaps.

The people card and the counts are cached per worker by the view (services/datacache.py), so they return
plain values, never ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from ...extensions import db
from ...models import Employee, Notification, User
from ..org import appraisers


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str


@dataclass(frozen=True)
class AppraiserCard:
    employee: Person
    acting_prefix: str


def people(emp: Employee, today: date) -> tuple[str | None, AppraiserCard | None, tuple[Person, ...]]:
    """Own post, appraiser and team as plain values (never ORM objects: the cache is shared by the worker's
    requests)."""
    found = appraisers.appraiser_of(emp, today)
    card = AppraiserCard(Person(found.employee.id, found.employee.full_name), found.acting_prefix) if found else None
    team = tuple(Person(t.id, t.full_name) for t in appraisers.direct_subordinates(emp, today))
    return (emp.position.full_name if emp.position else None), card, team


def count_by_status() -> tuple[tuple[str, int], ...]:
    rows = db.session.execute(
        select(Employee.status_asn, func.count()).where(Employee.active.is_(True)).group_by(Employee.status_asn)
    ).all()
    return tuple((s, n) for s, n in rows)


def payroll_gaps() -> tuple[int, int]:
    active = Employee.active.is_(True)
    no_bank = (Employee.bank_account.is_(None)) | (Employee.bank_account == "")
    return (
        db.session.scalar(select(func.count()).select_from(Employee).where(active, no_bank)) or 0,
        db.session.scalar(select(func.count()).select_from(Employee).where(active, Employee.ptkp_status.is_(None)))
        or 0,
    )


def recent_notifications(visible: Select, limit: int = 5) -> list[Notification]:
    return list(db.session.scalars(visible.order_by(Notification.created_at.desc()).limit(limit)))


def user_counts() -> tuple[int, int]:
    """(accounts, locked accounts)."""
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(User).where(User.locked_until.is_not(None))),
    )
