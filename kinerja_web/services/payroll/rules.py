"""Payroll rule tables from their versioned rows: seeding, loading, adding a version, resolving a run's versions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...domain import DomainError
from ...domain.payroll import (
    PayrollRules,
    ResolvedRules,
    RuleTable,
    RuleVersion,
    default_rules,
)
from ...domain.payroll.codec import decode, encode, payload_types, rules_from_rows
from ...domain.payroll.special import (
    SPECIAL_RULE_CODE,
    SPECIAL_RULE_LABEL,
    ThrGaji13Config,
    default_special_table,
    special_table_problems,
)
from ...extensions import db
from ...models import (
    PayrollRuleVersion,
    User,
)
from .months import PayrollRefused

# -------------------------------------------------------------------------------------------- rules


def rule_versions() -> list[PayrollRuleVersion]:
    """Every stored rule version, by code and start date (the rules page)."""
    return list(
        db.session.scalars(
            select(PayrollRuleVersion).order_by(PayrollRuleVersion.code, PayrollRuleVersion.berlaku_mulai)
        )
    )


def rule_labels() -> dict[str, str]:
    return {**{t.code: t.label for t in default_rules().tables()}, SPECIAL_RULE_CODE: SPECIAL_RULE_LABEL}


def seed_rules(actor_id: int | None = None) -> int:
    """Store the shipped default versions that are not in the database yet (`flask payroll muat-aturan`)."""
    have = set(db.session.scalars(select(PayrollRuleVersion.version_id)))
    added = 0
    for table in (*default_rules().tables(), default_special_table()):  # THR/gaji ke-13 last
        for v in table.versions:
            if v.version_id in have:
                continue
            have.add(v.version_id)
            db.session.add(
                PayrollRuleVersion(
                    code=table.code,
                    version_id=v.version_id,
                    berlaku_mulai=v.berlaku_mulai,
                    berlaku_sampai=v.berlaku_sampai,
                    citation=v.citation,
                    data=encode(v.data),
                    created_by_id=actor_id,
                )
            )
            added += 1
    db.session.flush()
    return added


def load_rules(extra: Iterable = ()) -> PayrollRules:
    """All stored versions as `PayrollRules` (plus `extra` candidate rows, for validating an edit)."""
    rows = list(db.session.scalars(select(PayrollRuleVersion))) + list(extra)
    return rules_from_rows(rows, rule_labels())


def table_history(code: str) -> list[PayrollRuleVersion]:
    """Every version of one table, newest first (with who added it: `created_by_id`, `created_at`)."""
    return list(
        db.session.scalars(
            select(PayrollRuleVersion)
            .where(PayrollRuleVersion.code == code)
            .order_by(PayrollRuleVersion.berlaku_mulai.desc(), PayrollRuleVersion.id.desc())
        )
    )


def latest_version(code: str) -> PayrollRuleVersion | None:
    """The table's version that starts last (what a new version usually continues from)."""
    return db.session.scalars(
        select(PayrollRuleVersion)
        .where(PayrollRuleVersion.code == code)
        .order_by(PayrollRuleVersion.berlaku_mulai.desc(), PayrollRuleVersion.id.desc())
    ).first()


@dataclass
class RuleVersionDraft:
    code: str
    version_id: str
    berlaku_mulai: date
    berlaku_sampai: date | None
    citation: str
    data: dict


def add_rule_version(draft: RuleVersionDraft, actor: User) -> PayrollRuleVersion:
    """Add a version after checking its payload and the table's effective dates (overlap, gap): the whole
    rule set must stay valid. `PayrollRefused` lists the problems (Indonesian)."""
    if draft.code not in payload_types() and draft.code != SPECIAL_RULE_CODE:
        raise PayrollRefused([f"Tabel aturan '{draft.code}' tidak dikenal."])
    if db.session.scalar(select(PayrollRuleVersion.id).where(PayrollRuleVersion.version_id == draft.version_id)):
        raise PayrollRefused([f"Kode versi '{draft.version_id}' sudah dipakai."])
    if draft.code == SPECIAL_RULE_CODE:
        problems = check_special_draft(draft)
    else:
        decode(payload_types()[draft.code], draft.data)  # DomainError on a malformed payload
        rules = load_rules([draft])
        table = getattr(rules, draft.code)
        problems = table.problems()
        for v in table.versions:
            check = getattr(v.data, "problems", None)
            if check is not None:
                problems += [f"Versi '{v.version_id}': {p}" for p in check()]
    if problems:
        raise PayrollRefused(problems)
    row = PayrollRuleVersion(
        code=draft.code,
        version_id=draft.version_id,
        berlaku_mulai=draft.berlaku_mulai,
        berlaku_sampai=draft.berlaku_sampai,
        citation=draft.citation,
        data=draft.data,
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def resolved_from_ids(version_ids: dict[str, str]) -> ResolvedRules:
    """The exact rule versions a run recorded (for reproducing it), regardless of later edits."""
    types_ = payload_types()
    rows = {
        r.version_id: r
        for r in db.session.scalars(
            select(PayrollRuleVersion).where(PayrollRuleVersion.version_id.in_(list(version_ids.values())))
        )
    }
    out = {}
    for code, vid in version_ids.items():
        r = rows.get(vid)
        if r is None:
            raise DomainError(f"Versi aturan '{vid}' yang dipakai proses penggajian ini tidak ditemukan lagi.")
        out[code] = RuleVersion(
            r.version_id, r.berlaku_mulai, r.citation, decode(types_[code], r.data), r.berlaku_sampai
        )
    return ResolvedRules(**out)


# -------------------------------------------------------------------------------------------- rules


def special_rule_table(extra=()) -> RuleTable[ThrGaji13Config]:
    rows = list(db.session.scalars(select(PayrollRuleVersion).where(PayrollRuleVersion.code == SPECIAL_RULE_CODE))) + [
        r for r in extra if r.code == SPECIAL_RULE_CODE
    ]
    versions = tuple(
        sorted(
            (
                RuleVersion(
                    r.version_id, r.berlaku_mulai, r.citation, decode(ThrGaji13Config, r.data), r.berlaku_sampai
                )
                for r in rows
            ),
            key=lambda v: v.berlaku_mulai,
        )
    )
    return RuleTable(SPECIAL_RULE_CODE, SPECIAL_RULE_LABEL, versions)


def check_special_draft(draft) -> list[str]:
    """Problems of the THR/gaji ke-13 table with a candidate version added (for `add_rule_version`)."""
    decode(ThrGaji13Config, draft.data)
    return special_table_problems(special_rule_table([draft]))
