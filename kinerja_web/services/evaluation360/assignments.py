"""Evaluation360 assignments as lists: the rater's inbox, the evaluatee's and the appraiser's pages, HR progress.

Statuses only, never answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import (
    AssignmentStatus,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    RaterAssignment,
    RaterGroup,
    Unit,
)

ACTIVE_STATUSES = (AssignmentStatus.APPROVED, AssignmentStatus.SUBMITTED)


# --- lists -------------------------------------------------------------------------------------------


def inbox_query(employee_id: int) -> Select:
    return (
        select(RaterAssignment)
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(
            RaterAssignment.rater_id == employee_id,
            RaterAssignment.status.in_(ACTIVE_STATUSES),
            EvaluationCycle.status == CycleStatus.OPEN,
        )
        .options(
            joinedload(RaterAssignment.evaluatee).joinedload(Evaluatee.employee).joinedload(Employee.position),
            joinedload(RaterAssignment.evaluatee).joinedload(Evaluatee.cycle),
        )
        .order_by(EvaluationCycle.deadline, RaterAssignment.status, RaterAssignment.id)
    )


def inbox_items(employee_id: int) -> list[RaterAssignment]:
    return list(db.session.scalars(inbox_query(employee_id)).unique())


# Built once: the dashboard asks on every request, and building the inbox statement with its loaders cost
# more than the rest of the dashboard (issue 23).
_OPEN_FORMS = (
    select(func.count(RaterAssignment.id), func.min(EvaluationCycle.deadline))
    .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
    .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
    .where(
        RaterAssignment.rater_id == bindparam("employee_id"),
        RaterAssignment.status == AssignmentStatus.APPROVED,
        EvaluationCycle.status == CycleStatus.OPEN,
    )
)


def open_forms(employee_id: int) -> tuple[int, date | None]:
    """How many 360 forms wait for this rater to fill in (open cycles), and the nearest deadline among them."""
    count, deadline = db.session.execute(_OPEN_FORMS, {"employee_id": employee_id}).one()
    return count, deadline


def open_nominations(decidable: Select) -> list[RaterAssignment]:
    """The nominations in open cycles among `decidable` (the appraiser's, from `access`), oldest first."""
    stmt = (
        decidable.join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(EvaluationCycle.status == CycleStatus.OPEN)
        .options(
            joinedload(RaterAssignment.rater),
            joinedload(RaterAssignment.evaluatee).joinedload(Evaluatee.employee),
            joinedload(RaterAssignment.evaluatee).joinedload(Evaluatee.cycle),
        )
        .order_by(RaterAssignment.id)
    )
    return list(db.session.scalars(stmt).unique())


def my_evaluations(employee_id: int) -> list[Evaluatee]:
    return list(
        db.session.scalars(
            select(Evaluatee)
            .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
            .where(Evaluatee.employee_id == employee_id, EvaluationCycle.status != CycleStatus.DRAFT)
            .options(
                joinedload(Evaluatee.cycle),
                selectinload(Evaluatee.assignments).joinedload(RaterAssignment.rater),
            )
            .order_by(EvaluationCycle.start_date.desc())
        )
    )


def team_evaluations(appraiser_id: int) -> list[Evaluatee]:
    return list(
        db.session.scalars(
            select(Evaluatee)
            .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
            .join(Employee, Employee.id == Evaluatee.employee_id)
            .where(Evaluatee.appraiser_id == appraiser_id, EvaluationCycle.status != CycleStatus.DRAFT)
            .options(joinedload(Evaluatee.cycle), joinedload(Evaluatee.employee))
            .order_by(EvaluationCycle.start_date.desc(), Employee.name)
        )
    )


@dataclass
class ProgressRow:
    evaluatee: Evaluatee
    raters: list[RaterAssignment]
    counts: dict[AssignmentStatus, int]
    short_groups: list[str]  # groups below the cycle's minimum (results may be merged or hidden)

    @property
    def done(self) -> int:
        return self.counts.get(AssignmentStatus.SUBMITTED, 0)

    @property
    def expected(self) -> int:
        return self.done + self.counts.get(AssignmentStatus.APPROVED, 0)


def progress(cycle: EvaluationCycle, unit_id: int | None = None) -> list[tuple[Unit | None, list[ProgressRow]]]:
    """Completion per evaluatee, grouped per unit: statuses only, never answers (three queries)."""
    stmt = (
        select(Evaluatee)
        .join(Employee, Employee.id == Evaluatee.employee_id)
        .where(Evaluatee.cycle_id == cycle.id)
        .options(
            joinedload(Evaluatee.employee),
            joinedload(Evaluatee.unit),
            selectinload(Evaluatee.assignments).joinedload(RaterAssignment.rater),
        )
        .order_by(Evaluatee.unit_id, Employee.name)
    )
    if unit_id:
        stmt = stmt.where(Evaluatee.unit_id == unit_id)
    groups: dict[int | None, list[ProgressRow]] = defaultdict(list)
    units: dict[int | None, Unit | None] = {}
    minimums = {RaterGroup.REKAN: cycle.min_rekan, RaterGroup.BAWAHAN: cycle.min_bawahan}
    for ev in db.session.scalars(stmt).unique():
        counts: dict[AssignmentStatus, int] = defaultdict(int)
        per_group: dict[RaterGroup, int] = defaultdict(int)
        for a in ev.assignments:
            counts[a.status] += 1
            if a.status in ACTIVE_STATUSES:
                per_group[a.group] += 1
        # Staff without subordinates have no bawahan at all; only a too-small non-empty group is worth a flag.
        short = [
            g.label
            for g, m in minimums.items()
            if cycle.uses(g) and per_group[g] < m and (g == RaterGroup.REKAN or per_group[g] > 0)
        ]
        groups[ev.unit_id].append(ProgressRow(ev, list(ev.assignments), dict(counts), short))
        units[ev.unit_id] = ev.unit
    return sorted(((units[k], rows) for k, rows in groups.items()), key=lambda t: t[0].name if t[0] else "")
