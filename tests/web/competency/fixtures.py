"""Shared helpers for competency tests: the dictionary, a standard, an event with finalised results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.extensions import db
from kinerja_web.services.competency import assessments, dictionary
from kinerja_web.services.competency.standards import competency_map


def assess(employee, levels: dict[str, str] | str, held_on=date(2026, 3, 10), event=None, actor=None):
    """A finalised assessment of `employee` (levels per code, or one level for all 9)."""
    dictionary.ensure_national_competencies()
    if event is None:
        event = assessments.create_event(
            "Asesmen Uji", "assessment_center", held_on, "UPT Penilaian Kompetensi", actor, assessors=["Asesor A"]
        )
    p = assessments.add_participant(event, employee)
    if isinstance(levels, str):
        levels = {c: levels for c in NATIONAL_CODES}
    assessments.put_results(p, {c: Decimal(v.replace(",", ".")) for c, v in levels.items()}, {}, competency_map())
    assessments.finalise_if_complete(p)
    db.session.commit()
    return p
