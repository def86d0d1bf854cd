"""Last year's closed period and final annual ratings: what the demo's follow-up (pembinaan, penghargaan) acts on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...domain.predikat import Ekspektasi, predikat
from ...domain.skp import Frequency, PeriodStatus
from ...extensions import db
from ...models import ANNUAL, Employee, PerformanceRating, Period, RatingStatus
from .. import rating_rules


def closed_period(year: int) -> Period:
    """The period of `year`, added as a closed one when the demo has none."""
    period = db.session.scalar(select(Period).where(Period.year == year))
    if period is None:
        period = Period(
            year=year,
            frequency=Frequency.TRIWULAN,
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
            status=PeriodStatus.CLOSED,
        )
        db.session.add(period)
        db.session.flush()
    return period


def final_annual_rating(
    period: Period, emp: Employee, appraiser: Employee, hasil: Ekspektasi, perilaku: Ekspektasi, today: date
) -> PerformanceRating:
    """The employee's annual rating of `period`; a final one is added when there is none (existing ones are kept)."""
    found = db.session.scalar(
        select(PerformanceRating).where(
            PerformanceRating.employee_id == emp.id,
            PerformanceRating.period_id == period.id,
            PerformanceRating.window_no == ANNUAL,
        )
    )
    if found is not None:
        return found
    version = rating_rules.matriks_for(period)
    r = PerformanceRating(
        employee_id=emp.id,
        period_id=period.id,
        window_no=ANNUAL,
        hasil_kerja=hasil,
        perilaku_kerja=perilaku,
        predikat=predikat(hasil, perilaku, version.data),
        rule_version=version.version_id,
        status=RatingStatus.FINAL,
        appraiser_id=appraiser.id,
        rated_on=min(date(period.year + 1, 1, 15), today),
    )
    db.session.add(r)
    db.session.flush()
    return r
