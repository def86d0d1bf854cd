"""Assessment events, participants and the assessor meeting (PerBKN 26/2019 practice; domain reference §11.2).

The meeting records each assessor's level per competency and the consensus level; a consensus that differs from
the assessors' mean needs a reason. `check_meeting` validates a whole form and returns every error at its field
(nothing is written); `save_meeting` writes a checked form. A participant is *finalised* once every core
competency has a consensus level: from then on the assessee sees the result and the JPM snapshot is stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...domain import DomainError
from ...domain.competency import (
    NATIONAL_CODES,
    AssessmentMethod,
    consensus_needs_reason,
    mean_level,
    parse_level,
    to_x2,
)
from ...extensions import db
from ...models import (
    AssessmentAssessor,
    AssessmentEvent,
    AssessmentParticipant,
    AssessmentResult,
    AssessorRating,
    Competency,
    Employee,
    User,
    utcnow,
)
from .jpm import refresh_snapshot


def _text(value: str | None, limit: int) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def create_event(
    name: str,
    method: str,
    held_on: date | None,
    provider: str,
    actor: User | None,
    location: str | None = None,
    note: str | None = None,
    assessors: Iterable[str] = (),
) -> AssessmentEvent:
    name, provider = (name or "").strip(), (provider or "").strip()
    if not name:
        raise DomainError("Nama kegiatan wajib diisi.", field="name")
    try:
        method = AssessmentMethod(method)
    except ValueError:
        raise DomainError("Pilih metode penilaian.", field="method") from None
    if held_on is None:
        raise DomainError("Tanggal pelaksanaan wajib diisi.", field="held_on")
    if not provider:
        raise DomainError("Penyelenggara wajib diisi.", field="provider")
    event = AssessmentEvent(
        name=name[:200],
        method=method,
        held_on=held_on,
        provider=provider[:200],
        location=_text(location, 200),
        note=_text(note, 5000),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(event)
    names = []
    for a in assessors:
        a = (a or "").strip()
        if a and a not in names:
            names.append(a)
            event.assessors.append(AssessmentAssessor(name=a[:150]))
    db.session.flush()
    return event


def add_assessor(event: AssessmentEvent, name: str, institution: str | None = None) -> AssessmentAssessor:
    name = (name or "").strip()
    if not name:
        raise DomainError("Nama asesor wajib diisi.", field="assessor_name")
    if any(a.name == name for a in event.assessors):
        raise DomainError("Asesor dengan nama ini sudah ada.", field="assessor_name")
    a = AssessmentAssessor(event=event, name=name[:150], institution=_text(institution, 200))
    db.session.add(a)
    db.session.flush()
    return a


def add_participant(event: AssessmentEvent, employee: Employee, target_position_id: int | None = None):
    exists = db.session.scalar(
        select(AssessmentParticipant.id).where(
            AssessmentParticipant.event_id == event.id, AssessmentParticipant.employee_id == employee.id
        )
    )
    if exists is not None:
        raise DomainError(f"{employee.name} sudah menjadi peserta kegiatan ini.", field="nip")
    p = AssessmentParticipant(
        event=event, employee=employee, position_id=employee.position_id, target_position_id=target_position_id
    )
    db.session.add(p)
    db.session.flush()
    return p


def events() -> list[AssessmentEvent]:
    return list(db.session.scalars(select(AssessmentEvent).order_by(AssessmentEvent.held_on.desc())))


def participant_full(participant_id: int) -> AssessmentParticipant | None:
    return db.session.scalars(
        select(AssessmentParticipant)
        .where(AssessmentParticipant.id == participant_id)
        .options(
            joinedload(AssessmentParticipant.event).selectinload(AssessmentEvent.assessors),
            joinedload(AssessmentParticipant.employee).joinedload(Employee.position),
            selectinload(AssessmentParticipant.results).joinedload(AssessmentResult.competency),
            selectinload(AssessmentParticipant.ratings),
        )
    ).first()


def participants_of(event: AssessmentEvent) -> list[AssessmentParticipant]:
    return list(
        db.session.scalars(
            select(AssessmentParticipant)
            .where(AssessmentParticipant.event_id == event.id)
            .options(joinedload(AssessmentParticipant.employee).joinedload(Employee.position))
            .join(Employee)
            .order_by(Employee.name)
        )
    )


# --- the assessor meeting -------------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    """A checked meeting form: levels as Decimal, reasons as text."""

    ratings: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # (assessor id, code) → level
    consensus: dict[str, Decimal] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    strengths: str | None = None
    recommendations: str | None = None


def meeting_codes(participant: AssessmentParticipant) -> list[str]:
    """The competencies assessed: the 8 + 1 national ones, then any teknis already recorded."""
    extra = [r.competency.code for r in participant.results if r.competency.code not in NATIONAL_CODES]
    return list(NATIONAL_CODES) + extra


def check_meeting(
    participant: AssessmentParticipant, form: Mapping[str, str], codes: list[str]
) -> tuple[MeetingInput, dict[str, str]]:
    """Read the meeting form (`r-<assessor id>-<code>`, `c-<code>`, `alasan-<code>`, `kekuatan`, `rekomendasi`).

    Blank cells are allowed (not yet rated); a consensus that differs from the mean of the assessors' levels needs
    `alasan-<code>`. Returns the parsed input and {field: message}; nothing is written."""
    data, errors = MeetingInput(), {}
    for a in participant.event.assessors:
        for code in codes:
            key = f"r-{a.id}-{code}"
            raw = (form.get(key) or "").strip()
            if raw:
                try:
                    data.ratings[(a.id, code)] = parse_level(raw)
                except DomainError as e:
                    errors[key] = e.message
    for code in codes:
        key = f"c-{code}"
        raw = (form.get(key) or "").strip()
        if not raw:
            continue
        try:
            level = parse_level(raw)
        except DomainError as e:
            errors[key] = e.message
            continue
        data.consensus[code] = level
        given = [v for (aid, c), v in data.ratings.items() if c == code]
        reason = (form.get(f"alasan-{code}") or "").strip()
        if consensus_needs_reason(level, given) and not reason:
            errors[f"alasan-{code}"] = (
                f"Level konsensus berbeda dari rata-rata asesor ({str(mean_level(given)).replace('.', ',')}): "
                "tuliskan alasannya."
            )
        if reason:
            data.reasons[code] = reason[:500]
    data.strengths = _text(form.get("kekuatan"), 5000)
    data.recommendations = _text(form.get("rekomendasi"), 5000)
    return data, errors


def save_meeting(participant: AssessmentParticipant, data: MeetingInput) -> None:
    """Replace the participant's ratings and consensus levels with `data` (checked by `check_meeting`)."""
    comps = {c.code: c for c in db.session.scalars(select(Competency))}
    ratings = {(r.assessor_id, r.competency_id): r for r in participant.ratings}
    for (aid, code), level in data.ratings.items():
        key = (aid, comps[code].id)
        if key in ratings:
            ratings.pop(key).level_x2 = to_x2(level)
        else:
            participant.ratings.append(
                AssessorRating(assessor_id=aid, competency_id=comps[code].id, level_x2=to_x2(level))
            )
    for stale in ratings.values():
        participant.ratings.remove(stale)
    put_results(participant, data.consensus, data.reasons, comps)
    participant.strengths, participant.recommendations = data.strengths, data.recommendations
    participant.updated_at = utcnow()  # bumps the version even when only the ratings changed
    finalise_if_complete(participant)
    db.session.flush()


def put_results(
    participant: AssessmentParticipant,
    levels: Mapping[str, Decimal],
    reasons: Mapping[str, str],
    comps: Mapping[str, Competency],
) -> None:
    existing = {r.competency_id: r for r in participant.results}
    for code, level in levels.items():
        comp = comps[code]
        row = existing.pop(comp.id, None)
        if row is None:
            participant.results.append(
                AssessmentResult(competency=comp, level_x2=to_x2(level), reason=reasons.get(code))
            )
        else:
            row.level_x2, row.reason = to_x2(level), reasons.get(code)
    for stale in existing.values():
        participant.results.remove(stale)


def finalise_if_complete(participant: AssessmentParticipant) -> None:
    db.session.flush()
    have = {r.competency.code for r in participant.results}
    if all(code in have for code in NATIONAL_CODES):
        participant.finalised_at = participant.finalised_at or utcnow()
        refresh_snapshot(participant)
    else:
        participant.finalised_at = None
        participant.jpm_bp, participant.kategori = None, None


def share_summary(participant: AssessmentParticipant, shared: bool) -> None:
    """HR shares (or withdraws) a summary of the result with the assessee's atasan (§11.2)."""
    participant.summary_shared = bool(shared)
    db.session.flush()
