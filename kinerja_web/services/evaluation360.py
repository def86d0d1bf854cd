"""Penilaian 360 services shared beyond its blueprint: results, the perilaku summary, reminders, to-dos.

The final-rating screen (pejabat penilai, issue #5 item 6) lives in another area and calls
`perilaku_summary_for(evaluatee)` to show the 360 aggregate beside the rating perilaku; blueprints never
import each other, so that seam lives here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..domain import berakhlak
from ..domain.feedback360 import BUCKET_LABELS, Report, Sheet, aggregate, trend
from ..extensions import db
from ..models import (
    AssignmentStatus,
    CycleStatus,
    Evaluatee,
    EvaluationCycle,
    Notification,
    RaterAssignment,
    RaterGroup,
    User,
)
from ..timeutil import WIB, today_wib
from .notifications.notify import Todo, notify

INBOX_PATH = "/penilaian-360/"  # the blueprint's url_prefix; links in e-mails are built outside requests
APPROVALS_PATH = "/penilaian-360/persetujuan"
REMINDER_KIND = "penilaian360_pengingat"


# --- results -----------------------------------------------------------------------------------------


def comment_seed(evaluatee: Evaluatee) -> int:
    """Comment-shuffle seed from the cycle and the person rated, never from raters or submission order."""
    return evaluatee.cycle_id * 100_003 + evaluatee.employee_id


def thresholds_of(cycle: EvaluationCycle) -> dict[str, int]:
    return {g.value: cycle.threshold_for(g) for g in (RaterGroup.REKAN, RaterGroup.BAWAHAN)}


def sheets_for(evaluatee_ids: Sequence[int]) -> dict[int, list[Sheet]]:
    """Submitted answers per evaluatee as anonymous sheets (two queries, whatever the number of raters)."""
    rows = db.session.scalars(
        select(RaterAssignment)
        .where(RaterAssignment.evaluatee_id.in_(evaluatee_ids), RaterAssignment.status == AssignmentStatus.SUBMITTED)
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


# --- reminders and to-dos ----------------------------------------------------------------------------


def _open_assignment_counts(cycle: EvaluationCycle) -> dict[int, int]:
    rows = db.session.execute(
        select(RaterAssignment.rater_id, func.count())
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .where(Evaluatee.cycle_id == cycle.id, RaterAssignment.status == AssignmentStatus.APPROVED)
        .group_by(RaterAssignment.rater_id)
    ).all()
    return dict(rows)


def send_reminders(cycle: EvaluationCycle, today: date) -> int:
    """Remind every rater with unfinished forms in an open cycle (in-app + e-mail), at most once a day.

    Returns the number of people reminded. Only completion status is used, never answers.
    """
    if cycle.status != CycleStatus.OPEN or today > cycle.deadline:
        return 0
    counts = _open_assignment_counts(cycle)
    if not counts:
        return 0
    users = db.session.scalars(
        select(User).where(User.employee_id.in_(counts), User.active.is_(True)).options(joinedload(User.employee))
    ).all()
    # compared in UTC: SQLite keeps timestamps as naive UTC text, so a WIB-aware bound would compare wrongly
    start_of_day = datetime.combine(today, time.min, WIB).astimezone(UTC)
    already = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.kind == REMINDER_KIND,
                Notification.created_at >= start_of_day,
                Notification.user_id.in_([u.id for u in users]),
            )
        )
    )
    sent = 0
    days_left = (cycle.deadline - today).days
    for user in users:
        if user.id in already:
            continue
        n = counts[user.employee_id]
        when = "hari ini" if days_left == 0 else f"dalam {days_left} hari"
        notify(
            user,
            REMINDER_KIND,
            f"Pengingat: {n} penilaian 360 ({cycle.name}) belum Anda selesaikan; batas waktu {when} "
            f"({cycle.deadline.day}/{cycle.deadline.month}/{cycle.deadline.year}).",
            INBOX_PATH,
        )
        sent += 1
    db.session.flush()
    return sent


def send_all_reminders(today: date) -> int:
    cycles = db.session.scalars(select(EvaluationCycle).where(EvaluationCycle.status == CycleStatus.OPEN)).all()
    return sum(send_reminders(c, today) for c in cycles)


def pending_ratings_count(employee_id: int, today: date) -> int:
    return (
        db.session.scalar(
            select(func.count(RaterAssignment.id))
            .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
            .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
            .where(
                RaterAssignment.rater_id == employee_id,
                RaterAssignment.status == AssignmentStatus.APPROVED,
                EvaluationCycle.status == CycleStatus.OPEN,
                EvaluationCycle.deadline >= today,
            )
        )
        or 0
    )


def pending_nominations_count(employee_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(RaterAssignment.id))
            .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
            .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
            .where(
                Evaluatee.appraiser_id == employee_id,
                RaterAssignment.status == AssignmentStatus.PENDING,
                EvaluationCycle.status == CycleStatus.OPEN,
            )
        )
        or 0
    )


def evaluation360_todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.employee_id is None:
        return []
    todos = []
    n = pending_ratings_count(user.employee_id, today_wib())
    if n:
        todos.append(Todo(n, f"{n} penilaian 360 menunggu Anda isi", INBOX_PATH))
    m = pending_nominations_count(user.employee_id)
    if m:
        todos.append(Todo(m, f"{m} usulan penilai 360 menunggu persetujuan Anda", APPROVALS_PATH))
    return todos
