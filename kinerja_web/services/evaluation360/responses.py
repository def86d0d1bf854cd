"""Evaluation360 responses: a rater's answers on the BerAKHLAK values, saved as draft or submitted.

Every function flushes and never commits; the view commits once. Answers are never audited (anonymity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ... import audit
from ...domain import DomainError, berakhlak
from ...extensions import db
from ...models import (
    AssignmentStatus,
    RaterAssignment,
    Response,
)

COMMENT_MAX = 2000
CANNOT_RATE = "tdm"  # form value for "tidak dapat menilai"


# --- answers -----------------------------------------------------------------------------------------


@dataclass
class ParsedAnswers:
    scores: dict[str, int | None]  # only values answered in this post; None = tidak dapat menilai
    comments: dict[str, str]  # only comment fields present in this post
    overall: str | None
    errors: dict[str, str]


def parse_answers(form: Mapping[str, str]) -> ParsedAnswers:
    """Read `nilai_<code>` (1–5 or "tdm"), `komentar_<code>` and `komentar_umum` from a posted form."""
    scores: dict[str, int | None] = {}
    comments: dict[str, str] = {}
    errors: dict[str, str] = {}
    for code in berakhlak.value_codes():
        raw = (form.get(f"nilai_{code}") or "").strip()
        if raw == CANNOT_RATE:
            scores[code] = None
        elif raw:
            if raw.isdigit() and berakhlak.SCORE_MIN <= int(raw) <= berakhlak.SCORE_MAX:
                scores[code] = int(raw)
            else:
                errors[f"nilai_{code}"] = "Nilai harus 1 sampai 5, atau pilih “tidak dapat menilai”."
        if f"komentar_{code}" in form:
            text = form.get(f"komentar_{code}") or ""
            if len(text) > COMMENT_MAX:
                errors[f"komentar_{code}"] = f"Komentar maksimal {COMMENT_MAX} karakter."
            comments[code] = text.strip()
    overall = form.get("komentar_umum")
    if overall is not None and len(overall) > COMMENT_MAX:
        errors["komentar_umum"] = f"Komentar maksimal {COMMENT_MAX} karakter."
    return ParsedAnswers(scores, comments, overall.strip() if overall is not None else None, errors)


def check_deadline(assignment: RaterAssignment, today: date) -> None:
    cycle = assignment.evaluatee.cycle
    if today > cycle.deadline:
        raise DomainError(
            f"Batas waktu pengisian siklus “{cycle.name}” ({cycle.deadline.day}/{cycle.deadline.month}/"
            f"{cycle.deadline.year}) telah lewat; penilaian tidak dapat disimpan atau dikirim lagi."
        )


def save_answers(assignment: RaterAssignment, parsed: ParsedAnswers, today: date, now: datetime) -> None:
    """Upsert the answers present in this post (autosave and the Simpan button share this)."""
    check_deadline(assignment, today)
    if parsed.errors:
        raise DomainError(next(iter(parsed.errors.values())), field=next(iter(parsed.errors)))
    by_code = {r.value_code: r for r in assignment.responses}
    for code in set(parsed.scores) | set(parsed.comments):
        r = by_code.get(code)
        if r is None:
            if code not in parsed.scores and not parsed.comments.get(code):
                continue  # an empty comment alone does not create an answer row
            r = Response(value_code=code)
            assignment.responses.append(r)
        if code in parsed.scores:
            r.score = parsed.scores[code]
        if code in parsed.comments:
            r.comment = parsed.comments[code] or None
        r.saved_at = now
    if parsed.overall is not None:
        assignment.overall_comment = parsed.overall or None
    assignment.saved_at = now
    db.session.flush()


def submit(assignment: RaterAssignment, parsed: ParsedAnswers, today: date, now: datetime) -> None:
    """Save, check completeness and submit; the audit gets counts only, never the answers."""
    save_answers(assignment, parsed, today, now)
    missing = [r for r in berakhlak.value_codes() if r not in {x.value_code for x in assignment.responses}]
    if missing:
        names = berakhlak.value_names()
        raise DomainError(
            "Semua nilai harus diisi (atau pilih “tidak dapat menilai”) sebelum dikirim. Belum diisi: "
            + ", ".join(names[c] for c in missing)
            + ".",
            field=f"nilai_{missing[0]}",
        )
    assignment.status, assignment.submitted_at = AssignmentStatus.SUBMITTED, now
    scored = sum(1 for r in assignment.responses if r.score is not None)
    audit.record(
        db.session,
        "submit_360",
        "rater_assignment",
        assignment.id,
        summary="Penilaian 360 dikirim (isi jawaban tidak dicatat demi anonimitas)",
        after={"dinilai": scored, "tidak_dapat_menilai": len(assignment.responses) - scored},
    )
    db.session.flush()
