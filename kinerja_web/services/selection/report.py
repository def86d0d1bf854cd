"""Does selection work? For posts filled through a selection in Kinerja versus the other definitive appointments to
JPT/administrator/pengawas posts, the following years' final annual predikat, side by side per year with counts.
A group smaller than the configured minimum (`SELECTION_REPORT_MIN_GROUP`) reads "data belum cukup": a percentage
of three people claims nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from ...domain.predikat import Predikat
from ...domain.selection import CandidateStatus, SelectionStatus
from ...extensions import db
from ...models import (
    ANNUAL,
    AssignmentKind,
    Candidate,
    PerformanceRating,
    Period,
    Position,
    PositionAssignment,
    PositionKind,
    RatingStatus,
    Selection,
)

DEFAULT_MIN_GROUP = 10
STRUCTURAL = (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)
SELECTED, OTHER = "seleksi", "lainnya"
GROUP_LABELS = {SELECTED: "Diangkat melalui seleksi", OTHER: "Pengangkatan lain"}


@dataclass
class GroupYear:
    n: int
    counts: dict[Predikat, int]
    enough: bool

    def percent(self, p: Predikat) -> str:
        return f"{self.counts.get(p, 0) * 100 / self.n:.1f}".replace(".", ",") if self.n else "0"


@dataclass
class ReportYear:
    year: int
    groups: dict[str, GroupYear]


def min_group() -> int:
    return int(current_app.config.get("SELECTION_REPORT_MIN_GROUP", DEFAULT_MIN_GROUP))


def appointments() -> dict[str, dict[int, int]]:
    """group → employee id → the year of the appointment (the first one when several)."""
    chosen = db.session.execute(
        select(Candidate.employee_id, Selection.position_id, Selection.decided_at)
        .join(Selection, Selection.id == Candidate.selection_id)
        .where(
            Candidate.status == CandidateStatus.CHOSEN,
            Selection.status == SelectionStatus.DECIDED,
            Candidate.employee_id.is_not(None),
        )
    ).all()
    via_selection = {(eid, pid) for eid, pid, _ in chosen}
    out: dict[str, dict[int, int]] = {SELECTED: {}, OTHER: {}}
    for eid, _pid, decided in chosen:
        out[SELECTED][eid] = min(out[SELECTED].get(eid, 9999), decided.year if decided else 9999)
    rows = db.session.execute(
        select(PositionAssignment.employee_id, PositionAssignment.position_id, PositionAssignment.start_date)
        .join(Position, Position.id == PositionAssignment.position_id)
        .where(PositionAssignment.kind == AssignmentKind.DEFINITIF, Position.kind.in_(list(STRUCTURAL)))
    ).all()
    for eid, pid, start in rows:
        if (eid, pid) in via_selection:
            out[SELECTED][eid] = min(out[SELECTED][eid], start.year)
        elif eid not in out[SELECTED]:
            out[OTHER][eid] = min(out[OTHER].get(eid, 9999), start.year)
    return out


def predikat_report(on: date) -> tuple[list[ReportYear], int]:
    """Per year after the appointments, each group's predikat counts (employees appointed before that year)."""
    groups = appointments()
    everyone = set(groups[SELECTED]) | set(groups[OTHER])
    first = min([y for g in groups.values() for y in g.values()] or [on.year]) + 1
    ratings: dict[int, dict[int, Predikat]] = {}
    if everyone:
        for eid, year, p in db.session.execute(
            select(PerformanceRating.employee_id, Period.year, PerformanceRating.predikat)
            .join(Period, Period.id == PerformanceRating.period_id)
            .where(
                PerformanceRating.employee_id.in_(list(everyone)),
                PerformanceRating.window_no == ANNUAL,
                PerformanceRating.status == RatingStatus.FINAL,
                Period.year >= first,
            )
        ):
            ratings.setdefault(year, {})[eid] = p
    least = min_group()
    years = []
    for year in sorted(ratings):
        row = ReportYear(year, {})
        for name, members in groups.items():
            counts: dict[Predikat, int] = {}
            n = 0
            for eid, appointed in members.items():
                p = ratings[year].get(eid)
                if p is not None and appointed < year:
                    counts[p] = counts.get(p, 0) + 1
                    n += 1
            row.groups[name] = GroupYear(n, counts, n >= least)
        years.append(row)
    return years, least
