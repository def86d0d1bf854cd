"""JPM (job-person match) and gap of an employee against a post (PerBKN 26/2019 practice; domain reference §11.2).

`jpm_against(employee_id, jabatan_id, on)` is the entry point other areas call (selection: "JPM against the
target post", succession, talent). It reads the employee's latest finalised assessment held on or before `on`
and the standard of the post in force on `on`; None when the employee has no assessment.

Each participant also keeps a snapshot (`jpm_bp`, `kategori`) against the post held when assessed, the figure
the assessment report states; the OPD and talent views read those snapshots (one query for any population)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.competency import Gap, JpmKategori, JpmRule, gaps, jpm, kategori
from ...extensions import db
from ...models import AssessmentEvent, AssessmentParticipant, AssessmentResult, Position
from ...timeutil import today_wib
from .standards import RequiredLevels, required_levels, rule_in_force


@dataclass(frozen=True)
class JpmResult:
    jpm: Decimal  # percent, two decimals
    kategori: JpmKategori  # a str (StrEnum): "optimal", "cukup_optimal", "kurang_optimal"; `.label` for people
    gaps: list[tuple[str, int, Decimal | None]]  # (competency code, required level, reached level), core then teknis
    assessment_id: int  # the AssessmentParticipant row (one person's assessment in one event)
    assessed_on: date
    event_id: int = 0
    required: RequiredLevels | None = None

    @property
    def needs(self) -> list[Gap]:
        """The competencies with a positive gap (development needs)."""
        return [g for g in (Gap(c, r, v) for c, r, v in self.gaps) if g.is_need]


def reached_levels(participant: AssessmentParticipant) -> dict[str, Decimal]:
    return {r.competency.code: r.level for r in participant.results}


def latest_participant(employee_id: int, on: date | None = None) -> AssessmentParticipant | None:
    """The employee's latest finalised assessment held on or before `on` (results and competencies loaded)."""
    stmt = (
        select(AssessmentParticipant)
        .join(AssessmentEvent)
        .where(AssessmentParticipant.employee_id == employee_id, AssessmentParticipant.finalised_at.is_not(None))
        .options(
            joinedload(AssessmentParticipant.event),
            selectinload(AssessmentParticipant.results).joinedload(AssessmentResult.competency),
        )
        .order_by(AssessmentEvent.held_on.desc(), AssessmentParticipant.id.desc())
        .limit(1)
    )
    if on is not None:
        stmt = stmt.where(AssessmentEvent.held_on <= on)
    return db.session.scalars(stmt).first()


def evaluate(reached: dict[str, Decimal], required: RequiredLevels, rule: JpmRule) -> tuple[Decimal, JpmKategori]:
    """JPM over the core (manajerial + sosial kultural) competencies, and its category."""
    value = jpm(((req, reached.get(code)) for code, req in required.core.items()), rule.cap_at_required)
    value = value if value is not None else Decimal(0)
    return value, kategori(value, rule)


def result_for(participant: AssessmentParticipant, position: Position, on: date) -> JpmResult:
    _, rule = rule_in_force(on)
    required = required_levels(position, on, rule)
    reached = reached_levels(participant)
    value, kat = evaluate(reached, required, rule)
    return JpmResult(
        jpm=value,
        kategori=kat,
        gaps=[(g.code, g.required, g.reached) for g in gaps(required.all, reached)],
        assessment_id=participant.id,
        assessed_on=participant.event.held_on,
        event_id=participant.event_id,
        required=required,
    )


def jpm_against(employee_id: int, jabatan_id: int, on: date | None = None) -> JpmResult | None:
    """JPM and gaps of the employee's latest assessment (held on or before `on`) against post `jabatan_id`'s
    standard in force on `on` (today when None). None when the employee has no finalised assessment."""
    on = on or today_wib()
    participant = latest_participant(employee_id, on)
    if participant is None:
        return None
    position = db.session.get(Position, jabatan_id)
    if position is None:
        return None
    return result_for(participant, position, on)


def refresh_snapshot(participant: AssessmentParticipant) -> None:
    """Store the JPM and category against the post held when assessed (the standard in force on the event date).
    Nothing is stored while the participant has no post or no results."""
    position = participant.position or (participant.employee.position if participant.employee else None)
    if position is None or not participant.results:
        participant.jpm_bp, participant.kategori = None, None
        return
    if participant.position_id is None:
        participant.position_id = position.id
    on = participant.event.held_on
    _, rule = rule_in_force(on)
    required = required_levels(position, on, rule)
    value, kat = evaluate(reached_levels(participant), required, rule)
    participant.jpm_bp, participant.kategori = int(value * 100), kat
    every = required.all
    for r in participant.results:
        r.required_level = every.get(r.competency.code)


@dataclass(frozen=True)
class LatestSnapshot:
    participant_id: int
    employee_id: int
    event_id: int
    held_on: date
    jpm: Decimal | None
    kategori: JpmKategori | None


def latest_snapshots(employee_ids: Iterable[int] | None = None, on: date | None = None) -> dict[int, LatestSnapshot]:
    """employee id → the snapshot of their latest finalised assessment (two queries, any population size;
    None = everyone)."""
    cond = [AssessmentParticipant.finalised_at.is_not(None)]
    if on is not None:
        cond.append(AssessmentEvent.held_on <= on)
    ids = None if employee_ids is None else list(employee_ids)
    if ids is not None:
        cond.append(AssessmentParticipant.employee_id.in_(ids))
    rows = db.session.execute(
        select(
            AssessmentParticipant.id,
            AssessmentParticipant.employee_id,
            AssessmentParticipant.event_id,
            AssessmentEvent.held_on,
            AssessmentParticipant.jpm_bp,
            AssessmentParticipant.kategori,
        )
        .join(AssessmentEvent)
        .where(and_(*cond))
        .order_by(AssessmentParticipant.employee_id, AssessmentEvent.held_on, AssessmentParticipant.id)
    ).all()
    out: dict[int, LatestSnapshot] = {}
    for pid, eid, ev, held, bp, kat in rows:  # ordered: the last row per employee wins
        out[eid] = LatestSnapshot(pid, eid, ev, held, None if bp is None else Decimal(bp) / 100, kat)
    return out


def assessed_count() -> int:
    return db.session.scalar(
        select(func.count(func.distinct(AssessmentParticipant.employee_id))).where(
            AssessmentParticipant.finalised_at.is_not(None)
        )
    )
