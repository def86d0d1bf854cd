"""Where an employee sits on the 9-box: the final annual predikat × the potensial entered by HR.

`talent_box(employee_id, period_id)` is the entry point other areas call (training referrals: "top box →
talent pool"); `talent_boxes` reads a whole population in two queries. Functions flush, never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, true

from ...domain.predikat import Predikat
from ...domain.talent import KotakTalenta, posisi
from ...extensions import db
from ...models import ANNUAL, PerformanceRating, Period, RatingStatus, TalentPotensial
from .. import rating_rules


def final_predikat(employee_id: int, period_id: int) -> Predikat | None:
    """The final annual predikat of the period (a draft does not place anyone on the 9-box)."""
    return db.session.scalar(
        select(PerformanceRating.predikat).where(
            PerformanceRating.employee_id == employee_id,
            PerformanceRating.period_id == period_id,
            PerformanceRating.window_no == ANNUAL,
            PerformanceRating.status == RatingStatus.FINAL,
        )
    )


def potensial_of(employee_id: int, period_id: int) -> TalentPotensial | None:
    return db.session.scalars(
        select(TalentPotensial).where(
            TalentPotensial.employee_id == employee_id, TalentPotensial.period_id == period_id
        )
    ).first()


def talent_box(employee_id: int, period_id: int) -> KotakTalenta | None:
    """The employee's 9-box position for the period, or None while the final predikat or the potensial is missing.

    Boxes 7–9 are the talent pool (`KotakTalenta.talent_pool`; domain reference §3.3).
    """
    p = final_predikat(employee_id, period_id)
    pot = potensial_of(employee_id, period_id)
    if p is None or pot is None:
        return None
    return posisi(p, pot.potensial, rating_rules.penomoran_for(db.session.get(Period, period_id)))


def talent_boxes(period_id: int, employee_ids: Sequence[int] | None = None) -> dict[int, KotakTalenta]:
    """`talent_box` for a whole population: employee id → box, for everyone with both a final annual predikat
    and a potensial in the period (two queries, whatever the number of employees; None = everyone)."""
    rating_filter = true() if employee_ids is None else PerformanceRating.employee_id.in_(list(employee_ids))
    potensial_filter = true() if employee_ids is None else TalentPotensial.employee_id.in_(list(employee_ids))
    potensial = dict(
        db.session.execute(
            select(TalentPotensial.employee_id, TalentPotensial.potensial).where(
                potensial_filter, TalentPotensial.period_id == period_id
            )
        ).all()
    )
    if not potensial:
        return {}
    rows = db.session.execute(
        select(PerformanceRating.employee_id, PerformanceRating.predikat).where(
            rating_filter,
            PerformanceRating.period_id == period_id,
            PerformanceRating.window_no == ANNUAL,
            PerformanceRating.status == RatingStatus.FINAL,
        )
    ).all()
    penomoran = rating_rules.penomoran_for(db.session.get(Period, period_id))
    return {eid: posisi(p, potensial[eid], penomoran) for eid, p in rows if eid in potensial}


def kotak_by_employee(period_id: int) -> dict[int, int]:
    """Box numbers of the period's population, the map award suggestions take (`awards.generate_suggestions`)."""
    return {eid: box.nomor for eid, box in talent_boxes(period_id).items()}
