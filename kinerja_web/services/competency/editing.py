"""HR edits of the standar kompetensi jabatan and of the JPM rule: every save adds a version (history kept).

`save_standard` takes plain values (levels as text from a form or a spreadsheet) and raises DomainError at the
field; `check_standard_values` returns every error at once for pages and imports that show them together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ...domain import DomainError
from ...domain.competency import NATIONAL_CODES, JpmRule, parse_required
from ...extensions import db
from ...models import Competency, CompetencyRule, CompetencyStandard, CompetencyStandardItem, Position, User, utcnow
from .standards import competency_map

TEXT_FIELDS = (
    "kode_jabatan",
    "kelompok_jabatan",
    "urusan",
    "ikhtisar",
    "pendidikan",
    "pelatihan",
    "pengalaman",
    "note",
)
LIMITS = {"ikhtisar": 5000, "kode_jabatan": 40, "kelompok_jabatan": 100, "urusan": 200}


@dataclass
class StandardValues:
    berlaku_mulai: date
    dasar_hukum: str
    levels: dict[str, int]  # competency code → required level (blank: not listed / default)
    texts: dict[str, str | None]


def parse_teknis(raw: str | None, comps: Mapping[str, Competency]) -> tuple[dict[str, int], str | None]:
    """ "SDM1:3; SDM2:2" → {"SDM1": 3, "SDM2": 2}; an error message for the first bad part."""
    out: dict[str, int] = {}
    for part in (raw or "").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code, _, lvl = part.partition(":")
        code = code.strip().upper()
        comp = comps.get(code)
        if comp is None or comp.group.value != "teknis":
            return out, f"Kode kompetensi teknis tidak dikenal: {code}."
        try:
            out[code] = parse_required(lvl)
        except DomainError as e:
            return out, f"{code}: {e.message}"
    return out, None


def check_standard_values(
    raw_levels: Mapping[str, str],
    berlaku_mulai: date | None,
    dasar_hukum: str | None,
    texts: Mapping[str, str | None],
    comps: Mapping[str, Competency],
    teknis: str | None = None,
) -> tuple[StandardValues | None, dict[str, str]]:
    errors: dict[str, str] = {}
    if berlaku_mulai is None:
        errors["berlaku_mulai"] = "Tanggal berlaku mulai wajib diisi."
    dasar = (dasar_hukum or "").strip()
    if not dasar:
        errors["dasar_hukum"] = "Dasar hukum wajib diisi (mis. Peraturan Bupati tentang standar kompetensi jabatan)."
    levels: dict[str, int] = {}
    for code, raw in raw_levels.items():
        if not (raw or "").strip():
            continue
        if code not in comps:
            errors[code] = f"Kode kompetensi tidak dikenal: {code}."
            continue
        try:
            levels[code] = parse_required(raw)
        except DomainError as e:
            errors[code] = e.message
    tk, err = parse_teknis(teknis, comps)
    if err:
        errors["teknis"] = err
    levels.update(tk)
    clean = {k: ((texts.get(k) or "").strip()[: LIMITS.get(k, 500)] or None) for k in TEXT_FIELDS}
    if errors:
        return None, errors
    return StandardValues(berlaku_mulai, dasar[:300], levels, clean), {}


def next_version(position_id: int) -> int:
    return (
        db.session.scalar(
            select(func.max(CompetencyStandard.version)).where(CompetencyStandard.position_id == position_id)
        )
        or 0
    ) + 1


def save_standard(position: Position, values: StandardValues, actor: User | None) -> CompetencyStandard:
    """Add a new version of the post's standard (the earlier versions stay as history)."""
    comps = competency_map()
    std = CompetencyStandard(
        position_id=position.id,
        version=next_version(position.id),
        berlaku_mulai=values.berlaku_mulai,
        dasar_hukum=values.dasar_hukum,
        changed_by_id=actor.id if actor else None,
        changed_at=utcnow(),
        **values.texts,
    )
    for code, lvl in values.levels.items():
        std.items.append(CompetencyStandardItem(competency=comps[code], required_level=lvl))
    db.session.add(std)
    db.session.flush()
    return std


def same_as(std: CompetencyStandard | None, values: StandardValues) -> bool:
    """True when `values` would add a version identical to `std` (imports skip those)."""
    if std is None:
        return False
    return (
        std.berlaku_mulai == values.berlaku_mulai
        and std.dasar_hukum == values.dasar_hukum
        and {i.competency.code: i.required_level for i in std.items} == values.levels
        and all(getattr(std, k) == v for k, v in values.texts.items() if k != "note")  # the note is no content
    )


def core_codes() -> tuple[str, ...]:
    return NATIONAL_CODES


# --- the JPM rule ------------------------------------------------------------------------------------------------


def rule_versions() -> list[CompetencyRule]:
    return list(db.session.scalars(select(CompetencyRule).order_by(CompetencyRule.version.desc())))


def save_rule(rule: JpmRule, berlaku_mulai: date | None, note: str | None, actor: User | None) -> CompetencyRule:
    if berlaku_mulai is None:
        raise DomainError("Tanggal berlaku mulai wajib diisi.", field="berlaku_mulai")
    rule.validate()
    version = (db.session.scalar(select(func.max(CompetencyRule.version))) or 0) + 1
    row = CompetencyRule(
        version=version,
        berlaku_mulai=berlaku_mulai,
        params=rule.to_params(),
        note=(note or "").strip()[:500] or None,
        changed_by_id=actor.id if actor else None,
    )
    db.session.add(row)
    db.session.flush()
    return row
