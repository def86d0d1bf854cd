"""Rating rule versions as rows: loading the tables, the version that applies, adding a version, the history.

The tables and their payloads are in `domain.rating_rules`. A table without any stored version uses the shipped
first version (today's constants, the same version id the migration stores), so a fresh database behaves as
before. Functions flush, never commit; inserts are audited through the model (`__audited__`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import g, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain import DomainError
from ..domain import rating_rules as rr
from ..domain.payroll.rules import RuleTable, RuleVersion
from ..extensions import db
from ..models import Period, RatingRuleVersion, User


def stored_rows(code: str | None = None) -> list[RatingRuleVersion]:
    stmt = select(RatingRuleVersion).options(joinedload(RatingRuleVersion.created_by))
    if code is not None:
        stmt = stmt.where(RatingRuleVersion.code == code)
    return list(db.session.scalars(stmt.order_by(RatingRuleVersion.code, RatingRuleVersion.berlaku_mulai)))


def _version(row: RatingRuleVersion) -> RuleVersion:
    return RuleVersion(
        row.version_id, row.berlaku_mulai, row.citation, rr.decode(row.code, row.data, row.citation), row.berlaku_sampai
    )


def _load_tables() -> dict[str, RuleTable]:
    by_code: dict[str, list[RuleVersion]] = {}
    for row in db.session.scalars(select(RatingRuleVersion)):
        by_code.setdefault(row.code, []).append(_version(row))
    out = rr.default_tables()
    for code, versions in by_code.items():
        if code in out:
            out[code] = RuleTable(code, rr.LABELS[code], tuple(sorted(versions, key=lambda v: v.berlaku_mulai)))
    return out


def tables() -> dict[str, RuleTable]:
    """Every rating rule table (stored versions, else the shipped first version); read once per request."""
    if not has_app_context():
        return _load_tables()
    cached = g.get("_rating_rule_tables")
    if cached is None:
        cached = g._rating_rule_tables = _load_tables()
    return cached


def _forget() -> None:
    if has_app_context():
        g.pop("_rating_rule_tables", None)


def in_force(code: str, on: date) -> RuleVersion:
    """The version of `code` in force on `on`; `DomainError` (Indonesian) when none."""
    return rr.version_on(tables()[code], on)


def by_id(code: str, version_id: str | None) -> RuleVersion | None:
    """A recorded version (None when `version_id` is empty or unknown)."""
    if not version_id:
        return None
    return next((v for v in tables()[code].versions if v.version_id == version_id), None)


def for_period(code: str, period: Period, recorded: str | None = None) -> RuleVersion:
    """The version a rating of `period` uses: the one it recorded, else the one in force on the period's first day."""
    return by_id(code, recorded) or in_force(code, period.start_date)


def matriks_for(period: Period, recorded: str | None = None) -> RuleVersion:
    return for_period(rr.PREDIKAT, period, recorded)


def kurva_for(period: Period, recorded: str | None = None) -> RuleVersion | None:
    """The curve for a period; None before the first version (no curve to check against)."""
    try:
        return for_period(rr.KURVA, period, recorded)
    except DomainError:
        return None


def penomoran_for(period: Period) -> dict:
    return for_period(rr.KOTAK, period).data


def batas_on(result_given_on: date | None) -> RuleVersion:
    """The keberatan deadline rule for a result given on that day (today's first version when not given yet)."""
    if result_given_on is None:
        return max(tables()[rr.KEBERATAN].versions, key=lambda v: v.berlaku_mulai)
    return in_force(rr.KEBERATAN, result_given_on)


def nip_rules(on: date):
    return in_force(rr.NIP, on).data


# --- adding a version --------------------------------------------------------------------------------------


class RuleRefused(DomainError):
    """A new version was refused: `errors` maps each form field to its Indonesian message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), field=next(iter(errors), None))
        self.errors = errors


def add_version(
    code: str,
    data: Any,
    berlaku_mulai: date,
    berlaku_sampai: date | None,
    citation: str,
    note: str | None,
    actor: User,
) -> RatingRuleVersion:
    """Add a version of one rating rule after checking its validity dates against the table (overlap, gap);
    `RuleRefused` with the messages per field, nothing saved."""
    if code not in rr.LABELS:
        raise DomainError(f"Tabel aturan '{code}' tidak dikenal.")
    version_id = f"{code}@{berlaku_mulai.isoformat()}"
    new = RuleVersion(version_id, berlaku_mulai, citation, data, berlaku_sampai)
    table = tables()[code]
    errors = dict(reversed(rr.new_version_problems(table, new)))
    if not (citation or "").strip():
        errors["citation"] = "Dasar hukum wajib diisi."
    if "berlaku_mulai" not in errors and db.session.scalar(
        select(RatingRuleVersion.id).where(RatingRuleVersion.version_id == version_id)
    ):
        errors["berlaku_mulai"] = "Sudah ada versi yang mulai berlaku pada tanggal ini."
    if errors:
        raise RuleRefused(errors)
    if not stored_rows(code):  # keep the shipped first version as a row before the new one (its history)
        first = rr.default_version(code)
        db.session.add(
            RatingRuleVersion(
                code=code,
                version_id=first.version_id,
                berlaku_mulai=first.berlaku_mulai,
                citation=first.citation,
                data=rr.encode(code, first.data),
            )
        )
    row = RatingRuleVersion(
        code=code,
        version_id=version_id,
        berlaku_mulai=berlaku_mulai,
        berlaku_sampai=berlaku_sampai,
        citation=citation.strip(),
        data=rr.encode(code, data),
        note=(note or "").strip()[:500] or None,
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    _forget()
    return row


def seed_rules() -> int:
    """Store the shipped first version of every table that has none (the demo, a fresh install without migrations)."""
    have = {r.code for r in stored_rows()}
    added = 0
    for code in rr.CODES:
        if code in have:
            continue
        v = rr.default_version(code)
        db.session.add(
            RatingRuleVersion(
                code=code,
                version_id=v.version_id,
                berlaku_mulai=v.berlaku_mulai,
                citation=v.citation,
                data=rr.encode(code, v.data),
            )
        )
        added += 1
    db.session.flush()
    _forget()
    return added


# --- the history for the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    version: RuleVersion
    by: str
    at: datetime | None
    note: str | None
    changes: tuple[str, ...]
    in_force_today: bool


def history(code: str, today: date) -> list[HistoryEntry]:
    """The versions of one table, newest first, each with who added it, when, and what it changed."""
    rows = {r.version_id: r for r in stored_rows(code)}
    table = tables()[code]
    try:
        current = rr.version_on(table, today).version_id
    except DomainError:
        current = None
    out, before = [], None
    for v in sorted(table.versions, key=lambda v: v.berlaku_mulai):
        row = rows.get(v.version_id)
        user = row.created_by if row is not None else None
        by = (user.employee.full_name if user.employee else user.username) if user else "Sistem (versi bawaan)"
        out.append(
            HistoryEntry(
                v,
                by,
                row.created_at if row else None,
                row.note if row else None,
                tuple(rr.describe_changes(code, before, v.data)),
                v.version_id == current,
            )
        )
        before = v.data
    return list(reversed(out))
