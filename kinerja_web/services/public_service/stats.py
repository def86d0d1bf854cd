"""Monthly pre-aggregates of the service log, and the figures read from them.

`refresh(unit_id, months)` rebuilds the `ServiceMonthStat` rows of a unit for the given months from its
transactions (one pass over the rows that touch those months); `summary(...)` merges any range of months into
counts, median and p90 completion time, share within the standard and the backlog at the range's end, with one
query whatever the range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import String, delete, or_, select, type_coerce

from ...domain.public_service import (
    HIST_CAP,
    MEDIAN,
    P90,
    CompletionUnit,
    TransactionStatus,
    merge_histograms,
    month_start,
    next_month,
    percentile,
    share_percent,
)
from ...extensions import db
from ...models import ServiceMonthStat, ServiceTransaction

OPEN_STATUSES = (TransactionStatus.DONE, TransactionStatus.IN_PROGRESS)


@dataclass
class _Acc:
    received: int = 0
    completed: int = 0
    within: int = 0
    backlog: int = 0

    def __post_init__(self):
        self.hist_days: dict[int, int] = defaultdict(int)
        self.hist_hours: dict[int, int] = defaultdict(int)


def _month_reader() -> Callable[[object], date | None]:
    """First day of the month of a stored datetime; SQLite's rows come as text (read without parsing them into
    datetimes, which costs more than the whole aggregation), PostgreSQL's as datetimes."""
    cache: dict = {}

    def month_of(value) -> date | None:
        if value is None:
            return None
        key = value[:7] if isinstance(value, str) else (value.year, value.month)
        found = cache.get(key)
        if found is None:
            found = cache[key] = date(int(key[:4]), int(key[5:7]), 1) if isinstance(key, str) else date(*key, 1)
        return found

    return month_of


def refresh(unit_id: int, months: Iterable[date]) -> int:
    """Rebuild the unit's aggregates for `months` (first days); returns the number of rows written."""
    wanted = sorted({month_start(m) for m in months})
    if not wanted:
        return 0
    first, last_end = wanted[0], next_month(wanted[-1])
    wanted_set = set(wanted)
    t = ServiceTransaction
    as_text = db.session.get_bind().dialect.name == "sqlite"
    received_col = type_coerce(t.received_at, String) if as_text else t.received_at
    completed_col = type_coerce(t.completed_at, String) if as_text else t.completed_at
    rows = db.session.execute(
        select(
            t.service_id, t.officer_id, received_col, completed_col, type_coerce(t.status, String), t.elapsed_days,
            t.elapsed_hours,
            t.within_standard,
        ).where(
            t.unit_id == unit_id,
            t.received_at < datetime.combine(last_end, time.min),
            or_(t.completed_at.is_(None), t.completed_at >= datetime.combine(first, time.min)),
        )
    )  # fmt: skip
    month_of = _month_reader()
    accs: dict[tuple[date, int, int], _Acc] = {}

    def accs_for(month: date, service_id: int, officer_id: int | None) -> list[_Acc]:
        keys = ((month, 0, 0), (month, service_id, 0), (month, 0, officer_id)) if officer_id else (
            (month, 0, 0), (month, service_id, 0))  # fmt: skip
        out = []
        for key in keys:
            acc = accs.get(key)
            if acc is None:
                acc = accs[key] = _Acc()
            out.append(acc)
        return out

    done_status, cap = TransactionStatus.DONE.value, HIST_CAP
    open_statuses = {s.value for s in OPEN_STATUSES}
    for service_id, officer_id, received_at, completed_at, status, days, hours, within in rows:
        rm = month_of(received_at)
        if rm in wanted_set:
            for acc in accs_for(rm, service_id, officer_id):
                acc.received += 1
        cm = month_of(completed_at)
        if status == done_status and cm in wanted_set and days is not None:
            d_bucket = days if days < cap else cap
            h_bucket = (hours or 0) if (hours or 0) < cap else cap
            for acc in accs_for(cm, service_id, officer_id):
                acc.completed += 1
                if within:
                    acc.within += 1
                acc.hist_days[d_bucket] += 1
                acc.hist_hours[h_bucket] += 1
        if status in open_statuses:
            # open at the end of every month from its reception's up to the one before its completion
            m = max(rm, first)
            while m < last_end and (cm is None or m < cm):
                if m in wanted_set:
                    for acc in accs_for(m, service_id, officer_id):
                        acc.backlog += 1
                m = next_month(m)
    db.session.execute(
        delete(ServiceMonthStat).where(ServiceMonthStat.unit_id == unit_id, ServiceMonthStat.month.in_(wanted))
    )
    values = [
        {
            "month": month,
            "unit_id": unit_id,
            "service_id": service_id,
            "officer_id": officer_id,
            "received": a.received,
            "completed": a.completed,
            "within": a.within,
            "backlog": a.backlog,
            "hist_days": {str(k): v for k, v in sorted(a.hist_days.items())},
            "hist_hours": {str(k): v for k, v in sorted(a.hist_hours.items())},
        }
        for (month, service_id, officer_id), a in accs.items()
    ]
    if values:
        db.session.execute(ServiceMonthStat.__table__.insert(), values)
    return len(values)


@dataclass(frozen=True)
class Summary:
    """Figures for a range of months at one level; times in `unit` (working days unless a service counts hours)."""

    received: int
    completed: int
    within: int
    backlog: int  # open at the end of the range's last month
    median: int | None
    p90: int | None
    unit: CompletionUnit = CompletionUnit.WORKING_DAYS

    @property
    def within_share(self) -> Decimal | None:
        return share_percent(self.within, self.completed)

    @property
    def empty(self) -> bool:
        return not (self.received or self.completed or self.backlog)


EMPTY = Summary(0, 0, 0, 0, None, None)


def summarize(rows: list[ServiceMonthStat], unit: CompletionUnit = CompletionUnit.WORKING_DAYS) -> Summary:
    """Merge monthly rows (any order) of one level into a Summary."""
    if not rows:
        return Summary(0, 0, 0, 0, None, None, unit)
    hist = merge_histograms(r.hist_days if unit is CompletionUnit.WORKING_DAYS else r.hist_hours for r in rows)
    last = max(r.month for r in rows)
    return Summary(
        received=sum(r.received for r in rows),
        completed=sum(r.completed for r in rows),
        within=sum(r.within for r in rows),
        backlog=sum(r.backlog for r in rows if r.month == last),
        median=percentile(hist, MEDIAN),
        p90=percentile(hist, P90),
        unit=unit,
    )


def month_rows(
    start: date, end: date, *, unit_ids: Iterable[int] | None = None, service_id: int | None = 0,
    officer_id: int | None = 0,
) -> list[ServiceMonthStat]:  # fmt: skip
    """Aggregate rows of the months touching [start, end]; `service_id`/`officer_id` 0 for "all", None for any."""
    s = ServiceMonthStat
    stmt = select(s).where(s.month >= month_start(start), s.month <= month_start(end))
    if unit_ids is not None:
        stmt = stmt.where(s.unit_id.in_(list(unit_ids)))
    if service_id is not None:
        stmt = stmt.where(s.service_id == service_id)
    if officer_id is not None:
        stmt = stmt.where(s.officer_id == officer_id)
    return list(db.session.scalars(stmt.order_by(s.month)))
