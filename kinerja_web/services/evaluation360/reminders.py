"""Evaluation360 reminders (daily, from the worker) and the to-dos of raters and appraisers.

Only completion status is used, never answers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import AssignmentStatus, CycleStatus, Evaluatee, EvaluationCycle, Notification, RaterAssignment, User
from ...timeutil import WIB, today_wib
from ..notifications.notify import Todo, notify

REMINDER_KIND = "penilaian360_pengingat"


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
            url_for("evaluation360.inbox", _external=False),  # also from the daily job, outside any request
        )
        sent += 1
    db.session.flush()
    return sent


def send_all_reminders(today: date) -> int:
    cycles = db.session.scalars(select(EvaluationCycle).where(EvaluationCycle.status == CycleStatus.OPEN)).all()
    return sum(send_reminders(c, today) for c in cycles)


def _open_cycle_assignments(*where) -> int:
    """How many assignments in open cycles match `where` (SQL: one count)."""
    stmt = (
        select(func.count(RaterAssignment.id))
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(EvaluationCycle.status == CycleStatus.OPEN, *where)
    )
    return db.session.scalar(stmt) or 0


def pending_ratings_count(employee_id: int, today: date) -> int:
    return _open_cycle_assignments(
        RaterAssignment.rater_id == employee_id,
        RaterAssignment.status == AssignmentStatus.APPROVED,
        EvaluationCycle.deadline >= today,
    )


def pending_nominations_count(employee_id: int) -> int:
    return _open_cycle_assignments(
        Evaluatee.appraiser_id == employee_id, RaterAssignment.status == AssignmentStatus.PENDING
    )


def evaluation360_todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.employee_id is None:
        return []
    todos = []
    n = pending_ratings_count(user.employee_id, today_wib())
    if n:
        todos.append(Todo(n, f"{n} penilaian 360 menunggu Anda isi", url_for("evaluation360.inbox", _external=False)))
    m = pending_nominations_count(user.employee_id)
    if m:
        todos.append(
            Todo(
                m,
                f"{m} usulan penilai 360 menunggu persetujuan Anda",
                url_for("evaluation360.approvals", _external=False),
            )
        )
    return todos


def schedule_daily_reminders(app, huey) -> None:
    """Every morning at 08.00 WIB (01.00 UTC; huey crontabs are in UTC) the worker sends the"""
    from huey import crontab

    @huey.periodic_task(crontab(hour="1", minute="0"), name="penilaian360_pengingat")
    def daily_reminders() -> None:
        with app.app_context():
            send_all_reminders(today_wib())
            db.session.commit()
            db.session.remove()
