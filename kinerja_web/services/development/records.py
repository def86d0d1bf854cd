"""One employee's development record: JP progress toward 20 JP, open referrals, history and their outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.development import (
    JP_TARGET,
    OPEN,
    ReferralStatus,
    jp_progress,
)
from ...extensions import db
from ...models import (
    Employee,
    JpEntry,
    Referral,
)
from .jp import jp_total
from .outcomes import referral_outcomes

# --- one employee's development ------------------------------------------------------------------------


@dataclass(frozen=True)
class Development:
    employee: Employee
    year: int
    jp: int
    target: int
    percent: int
    ledger: list[JpEntry]
    open: list[Referral]
    history: list[Referral]
    outcomes: dict = field(default_factory=dict)  # referral id → outcomes.Outcome


def development_of(employee: Employee, year: int) -> Development:
    refs = list(
        db.session.scalars(
            select(Referral)
            .where(Referral.employee_id == employee.id)
            .options(joinedload(Referral.programme), selectinload(Referral.certificates))
            .order_by(Referral.created_at.desc(), Referral.id.desc())
        )
    )
    ledger = list(
        db.session.scalars(
            select(JpEntry)
            .where(JpEntry.employee_id == employee.id)
            .order_by(JpEntry.year.desc(), JpEntry.on_date.desc(), JpEntry.id.desc())
        )
    )
    total = jp_total(employee.id, year)
    # A suggestion is HR's working state: the employee sees a referral once it is assigned.
    visible = [r for r in refs if r.status not in (ReferralStatus.DIUSULKAN, ReferralStatus.DITOLAK)]
    history = [r for r in visible if r.status not in OPEN]
    return Development(
        employee=employee,
        year=year,
        jp=total,
        target=JP_TARGET,
        percent=jp_progress(total),
        ledger=ledger,
        open=[r for r in visible if r.status in OPEN],
        history=history,
        outcomes=referral_outcomes(history),
    )


def suggestions_of(employee: Employee) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(
                Referral.employee_id == employee.id,
                Referral.status.in_([ReferralStatus.DIUSULKAN, ReferralStatus.DITOLAK]),
            )
            .options(joinedload(Referral.programme))
            .order_by(Referral.id.desc())
        )
    )
