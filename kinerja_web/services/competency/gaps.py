"""Competency gaps as evidence for other areas: the gaps that suggest development (development referrals) and
whether a gap closed at the next assessment (the referral effectiveness report). Set-wise, constant queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...domain.competency import CompetencyGroup, from_x2
from ...extensions import db
from ...models import AssessmentEvent, AssessmentParticipant, AssessmentResult, Competency, Employee
from .jpm import latest_snapshots


@dataclass(frozen=True)
class GapTrigger:
    participant_id: int
    employee_id: int
    code: str
    name: str
    group: CompetencyGroup
    required: int
    reached: Decimal
    event_name: str
    held_on: date

    @property
    def gap(self) -> Decimal:
        return Decimal(self.required) - self.reached


def gap_triggers(on: date, min_gap: Decimal = Decimal("0.5")) -> list[GapTrigger]:
    """Every gap of at least `min_gap` in the latest finalised assessment (held on or before `on`) of each active
    employee, against the post held when assessed (three queries)."""
    active = set(db.session.scalars(select(Employee.id).where(Employee.active.is_(True))))
    latest = {eid: s for eid, s in latest_snapshots(None, on).items() if eid in active}
    if not latest:
        return []
    by_pid = {s.participant_id: s for s in latest.values()}
    events = dict(db.session.execute(select(AssessmentEvent.id, AssessmentEvent.name)).all())
    rows = db.session.execute(
        select(
            AssessmentResult.participant_id,
            Competency.code,
            Competency.name,
            Competency.group,
            AssessmentResult.required_level,
            AssessmentResult.level_x2,
        )
        .join(Competency)
        .where(
            AssessmentResult.participant_id.in_(list(by_pid)),
            AssessmentResult.required_level.is_not(None),
            AssessmentResult.level_x2 < AssessmentResult.required_level * 2,
        )
        .order_by(AssessmentResult.participant_id, Competency.sort_order, Competency.code)
    ).all()
    out = []
    for pid, code, name, group, required, x2 in rows:
        s = by_pid[pid]
        t = GapTrigger(
            pid, s.employee_id, code, name, group, required, from_x2(x2), events.get(s.event_id, ""), s.held_on
        )
        if t.gap >= min_gap:
            out.append(t)
    return out


@dataclass(frozen=True)
class NextLevel:
    before: Decimal
    required: int | None
    after: Decimal | None  # None: no later assessment measured this competency yet
    held_on: date | None

    @property
    def closed(self) -> bool:
        return self.after is not None and self.required is not None and self.after >= self.required


def next_levels(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], NextLevel]:
    """(participant id, competency code) → the level then and in the employee's next finalised assessment."""
    pairs = list(pairs)
    if not pairs:
        return {}
    pids = {p for p, _ in pairs}
    parts = {
        pid: (eid, held)
        for pid, eid, held in db.session.execute(
            select(AssessmentParticipant.id, AssessmentParticipant.employee_id, AssessmentEvent.held_on)
            .join(AssessmentEvent)
            .where(AssessmentParticipant.id.in_(list(pids)))
        )
    }
    employees = {eid for eid, _ in parts.values()}
    later = db.session.execute(
        select(
            AssessmentParticipant.id,
            AssessmentParticipant.employee_id,
            AssessmentEvent.held_on,
            Competency.code,
            AssessmentResult.level_x2,
            AssessmentResult.required_level,
        )
        .join(AssessmentEvent, AssessmentEvent.id == AssessmentParticipant.event_id)
        .join(AssessmentResult, AssessmentResult.participant_id == AssessmentParticipant.id)
        .join(Competency, Competency.id == AssessmentResult.competency_id)
        .where(AssessmentParticipant.employee_id.in_(list(employees)), AssessmentParticipant.finalised_at.is_not(None))
        .order_by(AssessmentEvent.held_on, AssessmentParticipant.id)
    ).all()
    levels: dict[tuple[int, str], tuple[Decimal, int | None]] = {}
    series: dict[tuple[int, str], list[tuple[date, int, Decimal]]] = {}
    for pid, eid, held, code, x2, req in later:
        levels[(pid, code)] = (from_x2(x2), req)
        series.setdefault((eid, code), []).append((held, pid, from_x2(x2)))
    out = {}
    for pid, code in pairs:
        if (pid, code) not in levels or pid not in parts:
            continue
        before, req = levels[(pid, code)]
        eid, held = parts[pid]
        nxt = next(((h, v) for h, p, v in series.get((eid, code), []) if h > held), None)
        out[(pid, code)] = NextLevel(before, req, nxt[1] if nxt else None, nxt[0] if nxt else None)
    return out
