"""When the holiday calendar changes, the completion times of the requests open over the changed days are
worked out again (against the standard in force when each was received) and their months' aggregates rebuilt."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from ...domain.public_service import Calendar, TransactionStatus, month_start, months_between
from ...extensions import db
from ...models import Holiday, PublicService, ServiceTransaction
from . import dashboards, stats


def current_calendar() -> Calendar:
    """The holiday calendar as stored now."""
    return Calendar(db.session.scalars(select(Holiday.day)))


def after_holiday_change(days: Iterable[date]) -> int:
    """Recompute the requests completed across any of `days`; returns how many changed."""
    days = sorted(set(days))
    if not days:
        return 0
    cal = current_calendar()
    t = ServiceTransaction
    spans = [
        (t.received_at < datetime.combine(d + timedelta(days=1), time.min))
        & (t.completed_at >= datetime.combine(d, time.min))
        for d in days
    ]
    rows = db.session.execute(
        select(t.id, t.unit_id, t.service_id, t.received_at, t.completed_at, t.elapsed_days, t.elapsed_hours,
               t.within_standard)
        .where(t.status == TransactionStatus.DONE, t.completed_at.is_not(None), or_(*spans))
    ).all()  # fmt: skip
    if not rows:
        return 0
    services = {
        s.id: s
        for s in db.session.scalars(
            select(PublicService)
            .where(PublicService.id.in_({r.service_id for r in rows}))
            .options(selectinload(PublicService.standards))
        )
    }
    changes, touched = [], {}
    for r in rows:
        spent = cal.elapsed(r.received_at, r.completed_at)
        std = dashboards.standard_on(services[r.service_id], r.received_at.date())
        within = spent.value_in(std.completion_unit) <= std.completion_time if std else None
        if (spent.days, spent.hours, within) != (r.elapsed_days, r.elapsed_hours, r.within_standard):
            changes.append({"id": r.id, "elapsed_days": spent.days, "elapsed_hours": spent.hours,
                            "within_standard": within})  # fmt: skip
            touched.setdefault(r.unit_id, set()).add(month_start(r.completed_at.date()))
    for start in range(0, len(changes), 5000):
        db.session.execute(update(ServiceTransaction), changes[start : start + 5000])
    for unit_id, months in touched.items():
        stats.refresh(unit_id, months_between(min(months), max(months)))
    return len(changes)
