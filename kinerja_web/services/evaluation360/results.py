"""Evaluation360 results: the anonymous aggregate of a closed cycle, the trend, and the perilaku summary.

The final-rating screen (pejabat penilai, issue #5 item 6, `services.rating.ratings.perilaku_input`) and the
development area read `perilaku_summary_for` / `sheets_for` from here; answers reach them only through the
pure aggregation in `domain.evaluation360`, which never receives rater ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain import berakhlak
from ...domain.evaluation360 import BUCKET_LABELS, Report, Sheet, aggregate, others_means, trend
from ...extensions import db
from ...models import (
    AssignmentStatus,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    RaterAssignment,
    RaterGroup,
    Response,
)

# --- results -----------------------------------------------------------------------------------------


def comment_seed(evaluatee: Evaluatee) -> int:
    """Comment-shuffle seed from the cycle and the person rated, never from raters or submission order."""
    return evaluatee.cycle_id * 100_003 + evaluatee.employee_id


def thresholds_of(cycle: EvaluationCycle) -> dict[str, int]:
    return {g.value: cycle.threshold_for(g) for g in (RaterGroup.REKAN, RaterGroup.BAWAHAN)}


SHEETS_CHUNK = 10_000  # evaluatees per query: PostgreSQL takes at most 65,535 bound parameters


def sheets_for(evaluatee_ids: Sequence[int]) -> dict[int, list[Sheet]]:
    """Submitted answers per evaluatee as anonymous sheets (two queries per SHEETS_CHUNK evaluatees, whatever
    the number of raters: a province's cycle of 100,000 is read in parts)."""
    ids = list(evaluatee_ids)
    rows = []
    for start in range(0, len(ids), SHEETS_CHUNK):
        rows += db.session.scalars(
            select(RaterAssignment)
            .where(
                RaterAssignment.evaluatee_id.in_(ids[start : start + SHEETS_CHUNK]),
                RaterAssignment.status == AssignmentStatus.SUBMITTED,
            )
            .options(selectinload(RaterAssignment.responses))
        ).all()
    out: dict[int, list[Sheet]] = defaultdict(list)
    for a in rows:
        out[a.evaluatee_id].append(
            Sheet(
                group=a.group.value,
                scores={r.value_code: r.score for r in a.responses},
                comments={r.value_code: r.comment for r in a.responses if r.comment},
                overall_comment=a.overall_comment or "",
            )
        )
    return out


@dataclass(frozen=True)
class OthersMeans:
    evaluatee_id: int
    employee_id: int
    cycle_id: int
    means: dict[str, Decimal | None]  # value code → the report's "semua penilai lain" mean (None: not shown)


def others_means_of_active(cycles: Mapping[int, EvaluationCycle]) -> list[OthersMeans]:
    """The others' mean per BerAKHLAK value of every active employee rated in `cycles` (id → cycle), as their
    reports show it, by evaluatee id: summed in SQL per rater group and value (two queries, whatever the number
    of evaluatees and raters), so no answer is read one by one; `domain.evaluation360.others_means` applies
    the anonymity thresholds to those sums exactly as `aggregate` does to the sheets."""
    if not cycles:
        return []
    submitted = (
        select(RaterAssignment.id, RaterAssignment.evaluatee_id, RaterAssignment.group)
        .add_columns(Evaluatee.employee_id, Evaluatee.cycle_id)
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .join(Employee, Employee.id == Evaluatee.employee_id)
        .where(
            Evaluatee.cycle_id.in_(list(cycles)),
            Employee.active.is_(True),
            RaterAssignment.status == AssignmentStatus.SUBMITTED,
            RaterAssignment.group != RaterGroup.DIRI,
        )
        .subquery()
    )
    sizes: dict[int, dict[str, int]] = defaultdict(dict)
    people: dict[int, tuple[int, int]] = {}
    by = (submitted.c.evaluatee_id, submitted.c.employee_id, submitted.c.cycle_id, submitted.c.group)
    for evaluatee_id, employee_id, cycle_id, group, n in db.session.execute(select(*by, func.count()).group_by(*by)):
        sizes[evaluatee_id][group.value] = n
        people[evaluatee_id] = (employee_id, cycle_id)
    tallies: dict[int, dict[tuple[str, str], tuple[int, int]]] = defaultdict(dict)
    for evaluatee_id, group, code, n, total in db.session.execute(
        select(
            submitted.c.evaluatee_id,
            submitted.c.group,
            Response.value_code,
            func.count(Response.score),
            func.coalesce(func.sum(Response.score), 0),
        )
        .join(Response, Response.assignment_id == submitted.c.id)
        .group_by(submitted.c.evaluatee_id, submitted.c.group, Response.value_code)
    ):
        tallies[evaluatee_id][(group.value, code)] = (n, int(total))
    codes = berakhlak.value_codes()
    return [
        OthersMeans(
            evaluatee_id,
            employee_id,
            cycle_id,
            others_means(sizes[evaluatee_id], tallies[evaluatee_id], codes, thresholds_of(cycles[cycle_id])),
        )
        for evaluatee_id, (employee_id, cycle_id) in sorted(people.items())
    ]


def previous_evaluatee(evaluatee: Evaluatee) -> Evaluatee | None:
    """The same employee in the latest closed cycle that ended before this one started."""
    return db.session.scalars(
        select(Evaluatee)
        .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(
            Evaluatee.employee_id == evaluatee.employee_id,
            EvaluationCycle.status == CycleStatus.CLOSED,
            EvaluationCycle.end_date < evaluatee.cycle.start_date,
        )
        .options(joinedload(Evaluatee.cycle))
        .order_by(EvaluationCycle.end_date.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Results:
    report: Report
    previous: Evaluatee | None
    trend: dict[str, Decimal | None]


def results_for(evaluatee: Evaluatee) -> Results:
    """Aggregated report of one evaluatee plus the trend against the previous cycle (constant queries)."""
    prev = previous_evaluatee(evaluatee)
    ids = [evaluatee.id] + ([prev.id] if prev else [])
    sheets = sheets_for(ids)
    codes = berakhlak.value_codes()
    report = aggregate(sheets.get(evaluatee.id, []), codes, thresholds_of(evaluatee.cycle), comment_seed(evaluatee))
    prev_report = None
    if prev is not None:
        prev_report = aggregate(sheets.get(prev.id, []), codes, thresholds_of(prev.cycle), comment_seed(prev))
    return Results(report, prev, trend(report, prev_report))


# --- seam for the final rating by the pejabat penilai -------------------------------------------------


@dataclass(frozen=True)
class PerilakuRow:
    code: str
    name: str
    others_mean: Decimal | None
    self_score: int | None
    gap: Decimal | None
    blind_spot: bool
    hidden_strength: bool


@dataclass(frozen=True)
class PerilakuSummary:
    """Plain data shown beside the rating perilaku: an input for the pejabat penilai, not a vote."""

    cycle_name: str
    period_label: str
    rater_count: int
    groups: tuple[tuple[str, int], ...]  # (label, raters) of the groups shown
    rows: tuple[PerilakuRow, ...]
    hidden_groups: tuple[str, ...]  # labels of groups with too few raters to show
    note: str = (
        "Umpan balik 360 adalah masukan bagi pejabat penilai; rating perilaku kerja tetap ditetapkan oleh "
        "pejabat penilai (PermenPANRB 6/2022)."
    )


def perilaku_summary_for(evaluatee: Evaluatee) -> PerilakuSummary | None:
    """Aggregated 360 view for the final-rating screen; None until the cycle is closed (anonymity)."""
    if evaluatee.cycle.status != CycleStatus.CLOSED:
        return None
    sheets = sheets_for([evaluatee.id]).get(evaluatee.id, [])
    report = aggregate(sheets, berakhlak.value_codes(), thresholds_of(evaluatee.cycle), comment_seed(evaluatee))
    names = berakhlak.value_names()
    return PerilakuSummary(
        cycle_name=evaluatee.cycle.name,
        period_label=evaluatee.cycle.period_label,
        rater_count=report.rater_count,
        groups=tuple((b.label, b.raters) for b in report.buckets),
        rows=tuple(
            PerilakuRow(v.code, names[v.code], v.others.mean, v.self_score, v.gap, v.blind_spot, v.hidden_strength)
            for v in report.values
        ),
        hidden_groups=tuple(BUCKET_LABELS[g] for g in report.hidden_groups + report.merged_groups),
    )


def latest_closed_evaluatee(employee_id: int, on_or_before: date) -> Evaluatee | None:
    """The employee's most recent closed cycle ending on or before a date (e.g. the SKP period end)."""
    return db.session.scalars(
        select(Evaluatee)
        .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(
            Evaluatee.employee_id == employee_id,
            EvaluationCycle.status == CycleStatus.CLOSED,
            EvaluationCycle.end_date <= on_or_before,
        )
        .order_by(EvaluationCycle.end_date.desc())
        .limit(1)
    ).first()
