"""Where an employee sits on the 9-box: the final annual predikat × the potensial.

The potensial comes from evidence — the latest competency assessment up to the period's end (JPM category and
weights of the JPM rule, `services.competency.potential`) — unless HR set a manual value for the period, which
then overrides it and carries its reason (`TalentPotensial.dasar`, audited). `PotensialSource` says which.

`talent_box(employee_id, period_id)` is the entry point other areas call (training referrals: "top box →
talent pool"); `talent_boxes` reads a whole population in a constant number of queries. Functions flush, never
commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, true

from ...domain.predikat import Predikat
from ...domain.talent import KotakTalenta, Potensial, posisi
from ...extensions import db
from ...models import ANNUAL, PerformanceRating, Period, RatingStatus, TalentPotensial
from ..competency.potential import potensial_from_assessments

MANUAL = "manual"
ASESMEN = "asesmen"


@dataclass(frozen=True)
class PotensialSource:
    """The potensial used for the 9-box and where it comes from (HR's override, or the latest assessment)."""

    potensial: Potensial
    source: str  # MANUAL or ASESMEN
    text: str
    row: TalentPotensial | None = None  # the override row, when manual

    @property
    def manual(self) -> bool:
        return self.source == MANUAL

    @property
    def dasar(self) -> str | None:
        return self.row.dasar if self.row is not None else self.text

    @property
    def source_label(self) -> str:
        return "Ditetapkan manual oleh BKPSDM" if self.manual else "Dihitung dari penilaian kompetensi"


def potensial_sources(period: Period, employee_ids: Sequence[int] | None = None) -> dict[int, PotensialSource]:
    """employee id → potensial and its source for the period (None = everyone; three queries)."""
    flt = true() if employee_ids is None else TalentPotensial.employee_id.in_(list(employee_ids))
    manual = {
        r.employee_id: r
        for r in db.session.scalars(select(TalentPotensial).where(flt, TalentPotensial.period_id == period.id))
    }
    out = {
        eid: PotensialSource(a.potensial, ASESMEN, a.text)
        for eid, a in potensial_from_assessments(employee_ids, period.end_date).items()
    }
    for eid, r in manual.items():
        out[eid] = PotensialSource(r.potensial, MANUAL, f"Ditetapkan BKPSDM: {r.dasar or 'tanpa alasan tercatat'}", r)
    return out


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
    period = db.session.get(Period, period_id)
    pot = potensial_sources(period, [employee_id]).get(employee_id) if period is not None else None
    if p is None or pot is None:
        return None
    return posisi(p, pot.potensial)


def talent_boxes(period_id: int, employee_ids: Sequence[int] | None = None) -> dict[int, KotakTalenta]:
    """`talent_box` for a whole population: employee id → box, for everyone with both a final annual predikat
    and a potensial in the period (a constant number of queries, whatever the number of employees; None =
    everyone)."""
    rating_filter = true() if employee_ids is None else PerformanceRating.employee_id.in_(list(employee_ids))
    period = db.session.get(Period, period_id)
    if period is None:
        return {}
    sources = potensial_sources(period, None if employee_ids is None else list(employee_ids))
    potensial = {eid: s.potensial for eid, s in sources.items()}
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
    return {eid: posisi(p, potensial[eid]) for eid, p in rows if eid in potensial}


def kotak_by_employee(period_id: int) -> dict[int, int]:
    """Box numbers of the period's population, the map award suggestions take (`awards.generate_suggestions`)."""
    return {eid: box.nomor for eid, box in talent_boxes(period_id).items()}
