"""Page queries of the pembinaan area (the plan lifecycle itself is in `services/pembinaan/plans.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.pembinaan import PlanStatus
from ...extensions import db
from ...models import Employee, ImprovementPlan, PerformanceRating, Unit, UnitKind
from ..org.units import subtree_ids
from .plans import overdue_check_ins


def opds() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD).order_by(Unit.sort_order, Unit.name)))


@dataclass(frozen=True)
class PlanRow:
    plan: ImprovementPlan
    overdue: int  # check-ins past their date without a session
    review_overdue: bool


def plan_rows(scope: Select, today: date, opd_id: int | None = None, status: PlanStatus | None = None) -> list[PlanRow]:
    """Plans in the user's scope, newest first, with overdue check-ins counted (constant number of queries)."""
    stmt = scope.join(Employee, Employee.id == ImprovementPlan.employee_id).options(
        joinedload(ImprovementPlan.employee).joinedload(Employee.unit),
        joinedload(ImprovementPlan.coach),
        joinedload(ImprovementPlan.rating).joinedload(PerformanceRating.period),
        selectinload(ImprovementPlan.check_ins),
    )
    if opd_id:
        stmt = stmt.where(Employee.unit_id.in_(subtree_ids(opd_id)))
    if status is not None:
        stmt = stmt.where(ImprovementPlan.status == status)
    plans = db.session.scalars(stmt.order_by(ImprovementPlan.start_date.desc(), ImprovementPlan.id.desc())).unique()
    return [
        PlanRow(
            p,
            len(overdue_check_ins(p, today)),
            p.status == PlanStatus.RUNNING and p.review_date < today,
        )
        for p in plans
    ]
