"""Periods and their evaluation windows, the ratings of a window, and whether HR has locked it.

PermenPANRB 6/2022: an evaluation is periodic (a window of the performance year) or annual (`ANNUAL`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from ...domain import DomainError
from ...extensions import db
from ...models import ANNUAL, PerformanceRating, Period, RatingLock, RatingStatus

# --- periods and windows -----------------------------------------------------------------------------


def periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


def window_label(period: Period, window_no: int) -> str:
    if window_no == ANNUAL:
        return f"Tahunan {period.year}"
    for w in period.windows:
        if w.index == window_no:
            return f"{w.label} {period.year}"
    raise DomainError("Periode penilaian tidak dikenal.", field="window_no")


def window_months(period: Period, window_no: int) -> list[date]:
    """First days of the months a rating covers: the whole period (annual) or one periodic window."""
    if window_no == ANNUAL:
        start, end = period.start_date, period.end_date
    else:
        w = next((w for w in period.windows if w.index == window_no), None)
        if w is None:
            raise DomainError("Periode penilaian tidak dikenal.", field="window_no")
        start, end = w.start, w.end
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def window_choices(period: Period) -> list[tuple[int, str]]:
    """Annual first; periodic windows too (PermenPANRB 6/2022: evaluasi periodik and tahunan)."""
    return [(ANNUAL, window_label(period, ANNUAL))] + [(w.index, f"{w.label} {period.year}") for w in period.windows]


# --- ratings and the lock ---


def final_in(period_id: int, window_no: int = ANNUAL) -> tuple:
    """WHERE clauses of the final ratings of a period's window (annual by default): drafts are the appraiser's
    working state and count nowhere else (dashboards, awards, talent)."""
    return (
        PerformanceRating.period_id == period_id,
        PerformanceRating.window_no == window_no,
        PerformanceRating.status == RatingStatus.FINAL,
    )


def rating_of(employee_id: int, period_id: int, window_no: int = ANNUAL) -> PerformanceRating | None:
    return db.session.scalars(
        select(PerformanceRating).where(
            PerformanceRating.employee_id == employee_id,
            PerformanceRating.period_id == period_id,
            PerformanceRating.window_no == window_no,
        )
    ).first()


def ratings_by_employee(
    period: Period, window_no: int, employee_ids: Iterable[int] | None = None
) -> dict[int, PerformanceRating]:
    """The window's ratings by employee id (of the given employees, or of everyone)."""
    query = select(PerformanceRating).where(
        PerformanceRating.period_id == period.id, PerformanceRating.window_no == window_no
    )
    if employee_ids is not None:
        query = query.where(PerformanceRating.employee_id.in_(list(employee_ids)))
    return {r.employee_id: r for r in db.session.scalars(query)}


def is_locked(period_id: int, window_no: int) -> bool:
    """HR locked the window (its documents are issued): only the keberatan path changes ratings then."""
    return (
        db.session.scalar(
            select(RatingLock.id).where(RatingLock.period_id == period_id, RatingLock.window_no == window_no)
        )
        is not None
    )
