"""What Kinerja itself knows of a candidate: golongan, the last two annual predikat, hukuman disiplin in force,
training in the JP ledger, and the JPM against the target post (competency area). Read in a few queries for a
whole candidate list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...domain.predikat import Predikat
from ...domain.selection import TRACK_YEARS, CandidateFacts
from ...extensions import db
from ...models import (
    ANNUAL,
    AssessmentParticipant,
    AssessmentResult,
    Candidate,
    JpEntry,
    PayrollStatusPeriod,
    PerformanceRating,
    Period,
    Position,
    RatingStatus,
)
from ..competency.jpm import evaluate, jpm_against, latest_snapshots, reached_levels
from ..competency.standards import required_levels_many, rule_in_force

DISCIPLINE_PREFIX = "HUKDIS"  # the hukuman disiplin keys of the TPP status table (ringan/sedang/berat)


def track_years(on: date) -> list[int]:
    """The last TRACK_YEARS completed performance years before `on`, most recent first."""
    return [on.year - i for i in range(1, TRACK_YEARS + 1)]


def predikat_by_year(employee_ids: Sequence[int], years: Sequence[int]) -> dict[int, dict[int, Predikat]]:
    """employee id → {year: final annual predikat} (one query)."""
    if not employee_ids:
        return {}
    rows = db.session.execute(
        select(PerformanceRating.employee_id, Period.year, PerformanceRating.predikat)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(
            PerformanceRating.employee_id.in_(list(employee_ids)),
            Period.year.in_(list(years)),
            PerformanceRating.window_no == ANNUAL,
            PerformanceRating.status == RatingStatus.FINAL,
        )
    ).all()
    out: dict[int, dict[int, Predikat]] = {}
    for eid, year, p in rows:
        out.setdefault(eid, {})[year] = p
    return out


def under_discipline(employee_ids: Sequence[int], on: date) -> set[int]:
    """Employees with a hukuman disiplin period in force on `on` (as recorded for the TPP)."""
    if not employee_ids:
        return set()
    return set(
        db.session.scalars(
            select(PayrollStatusPeriod.employee_id).where(
                PayrollStatusPeriod.employee_id.in_(list(employee_ids)),
                PayrollStatusPeriod.kind.startswith(DISCIPLINE_PREFIX),
                PayrollStatusPeriod.mulai <= on,
                or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= on),
            )
        )
    )


def trainings(employee_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if employee_ids:
        for eid, title in db.session.execute(
            select(JpEntry.employee_id, JpEntry.title).where(JpEntry.employee_id.in_(list(employee_ids)))
        ):
            out.setdefault(eid, []).append(title)
    return out


def facts_for(candidates: Sequence[Candidate], on: date) -> dict[int, CandidateFacts]:
    """candidate id → the facts the administrasi and rekam jejak stages read (external: what HR entered)."""
    ids = [c.employee_id for c in candidates if c.employee_id]
    years = track_years(on)
    predikat = predikat_by_year(ids, years)
    discipline = under_discipline(ids, on)
    trained = trainings(ids)
    out = {}
    for c in candidates:
        if c.employee_id is None:
            out[c.id] = CandidateFacts(c.golongan, c.pendidikan, [None] * TRACK_YEARS, False, [])
            continue
        by_year = predikat.get(c.employee_id, {})
        out[c.id] = CandidateFacts(
            c.employee.golongan,
            c.pendidikan,
            [by_year.get(y) for y in years],
            c.employee_id in discipline,
            trained.get(c.employee_id, []),
        )
    return out


def jpm(employee_id: int, position_id: int, on: date) -> tuple[Decimal, dict] | None:
    """The JPM (percent) of an employee against a post from their latest competency assessment, with what it rests
    on; None without an assessment. The competency area owns the computation (`services.competency.jpm`)."""
    result = jpm_against(employee_id, position_id, on)
    if result is None:
        return None
    return Decimal(result.jpm), {
        "jpm": str(result.jpm),
        "kategori": str(getattr(result.kategori, "label", result.kategori)),
        "assessment_id": result.assessment_id,
        "assessed_on": result.assessed_on.isoformat() if result.assessed_on else None,
    }


def jpm_many(
    employee_ids: Sequence[int], positions: Sequence[Position], on: date
) -> dict[tuple[int, int], tuple[Decimal, str]]:
    """(employee id, position id) → (JPM, kategori label) for every pair, from each employee's latest finalised
    assessment: a constant number of queries for the succession list, the same figures `jpm` gives one by one."""
    latest = latest_snapshots(list(employee_ids), on)
    if not latest or not positions:
        return {}
    participants = db.session.scalars(
        select(AssessmentParticipant)
        .where(AssessmentParticipant.id.in_([s.participant_id for s in latest.values()]))
        .options(selectinload(AssessmentParticipant.results).selectinload(AssessmentResult.competency))
    ).all()
    _, rule = rule_in_force(on)
    required = required_levels_many(positions, on, rule)
    out = {}
    for p in participants:
        reached = reached_levels(p)
        for pos in positions:
            value, kat = evaluate(reached, required[pos.id], rule)
            out[(p.employee_id, pos.id)] = (value, kat.label)
    return out
