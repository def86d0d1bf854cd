"""The units' feedback operators (pengelola SKM dan pengaduan), named by HR."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...extensions import db
from ...models import Employee, FeedbackOperator, Unit


def operators() -> list[FeedbackOperator]:
    return list(
        db.session.scalars(
            select(FeedbackOperator)
            .options(joinedload(FeedbackOperator.unit), joinedload(FeedbackOperator.employee))
            .order_by(FeedbackOperator.unit_id, FeedbackOperator.id)
        )
    )


def add_operator(unit: Unit, employee: Employee) -> FeedbackOperator:
    """Name an employee the operator of a unit's SKM and complaints (and of the units below it)."""
    exists = db.session.scalar(
        select(FeedbackOperator).where(FeedbackOperator.unit_id == unit.id, FeedbackOperator.employee_id == employee.id)
    )
    if exists is not None:
        raise DomainError(f"{employee.name} sudah menjadi operator {unit.name}.", field="nip")
    row = FeedbackOperator(unit_id=unit.id, employee_id=employee.id)
    db.session.add(row)
    db.session.flush()
    return row


def remove_operator(row: FeedbackOperator) -> None:
    db.session.delete(row)
    db.session.flush()


def service_units() -> list[Unit]:
    """Units that can run a survey: every unit, by name (the OPD or one of its service units)."""
    return list(db.session.scalars(select(Unit).order_by(Unit.name)))
