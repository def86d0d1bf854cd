"""The 9-box potensial axis from evidence: the latest assessment's JPM category and JPM, weighted per the JPM rule
in force (domain reference §3.3, §11.2). Two queries for any population."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ...domain.competency import jpm_text, potensial_from_assessment
from ...domain.labels import tanggal
from ...domain.talent import Potensial
from .jpm import latest_snapshots
from .standards import rule_in_force


@dataclass(frozen=True)
class AssessedPotensial:
    potensial: Potensial
    participant_id: int
    text: str  # where it comes from, in words


def potensial_from_assessments(employee_ids: Iterable[int] | None, on: date) -> dict[int, AssessedPotensial]:
    """employee id → potensial computed from the latest finalised assessment held on or before `on`."""
    _, rule = rule_in_force(on)
    out = {}
    for eid, s in latest_snapshots(employee_ids, on).items():
        if s.jpm is None or s.kategori is None:
            continue
        level = potensial_from_assessment(s.jpm, s.kategori, rule)
        out[eid] = AssessedPotensial(
            level,
            s.participant_id,
            f"Hasil penilaian kompetensi {tanggal(s.held_on)}: JPM {jpm_text(s.jpm)} ({s.kategori.label})",
        )
    return out
