"""Trained vs. not-yet-trained employees on a competency gap: the predikat distribution of the years after
the assessment, side by side per year, with counts ("data belum cukup" under the minimum group size).

Population: active employees whose latest assessment shows a gap (in one competency, or any). *Trained*: a
development referral suggested for that gap (reason "kesenjangan kompetensi", same assessment) is finished
(status selesai). A constant number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ...domain.competency import DEFAULT_MIN_GROUP, enough
from ...domain.development import ReasonKind, ReferralStatus
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import ANNUAL, PerformanceRating, Period, RatingStatus, Referral
from .gaps import gap_triggers

GROUPS = ("Sudah dilatih", "Belum dilatih")
PREDIKAT_ORDER = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG_MISCONDUCT,
    Predikat.SANGAT_KURANG,
)


@dataclass
class GroupYear:
    counts: Counter = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return sum(self.counts.values())


@dataclass
class EffectReport:
    min_group: int
    population: dict[str, int]
    years: list[int]
    cells: dict[tuple[int, str], GroupYear]
    predikat: tuple = PREDIKAT_ORDER

    def enough(self, year: int, group: str) -> bool:
        return enough(self.cells[(year, group)].n, self.min_group)

    def share(self, year: int, group: str, p: Predikat) -> str:
        cell = self.cells[(year, group)]
        return f"{round(cell.counts.get(p, 0) * 100 / cell.n)} %" if cell.n else "–"


def trained_vs_untrained(code: str | None, today: date, min_group: int = DEFAULT_MIN_GROUP) -> EffectReport:
    triggers = [t for t in gap_triggers(today) if code is None or t.code == code]
    people: dict[int, tuple[int, int]] = {}  # employee → (participant id, assessment year)
    for t in triggers:
        people.setdefault(t.employee_id, (t.participant_id, t.held_on.year))
    trained_ids: set[int] = set()
    if people:
        stmt = select(Referral.employee_id, Referral.assessment_participant_id, Referral.competency_code).where(
            Referral.reason_kind == ReasonKind.GAP_KOMPETENSI,
            Referral.status == ReferralStatus.SELESAI,
            Referral.employee_id.in_(list(people)),
        )
        for eid, pid, c in db.session.execute(stmt):
            if people[eid][0] == pid and (code is None or c == code):
                trained_ids.add(eid)
    group_of = {eid: GROUPS[0] if eid in trained_ids else GROUPS[1] for eid in people}
    ratings = (
        db.session.execute(
            select(PerformanceRating.employee_id, Period.year, PerformanceRating.predikat)
            .join(Period, Period.id == PerformanceRating.period_id)
            .where(
                PerformanceRating.employee_id.in_(list(people)),
                PerformanceRating.window_no == ANNUAL,
                PerformanceRating.status == RatingStatus.FINAL,
            )
        ).all()
        if people
        else []
    )
    cells: dict[tuple[int, str], GroupYear] = {}
    for eid, year, predikat in ratings:
        if year <= people[eid][1]:
            continue  # only the years after the assessment
        cells.setdefault((year, group_of[eid]), GroupYear()).counts[Predikat(predikat)] += 1
    years = sorted({y for y, _ in cells})
    for y in years:
        for g in GROUPS:
            cells.setdefault((y, g), GroupYear())
    population = Counter(group_of.values())
    return EffectReport(min_group, {g: population.get(g, 0) for g in GROUPS}, years, cells)
