"""Standar kompetensi jabatan and the JPM rule in force on a date (both versioned: latest `berlaku_mulai` ≤ date).

A post without its own standard gets the default required levels of its jenis/jenjang from the rule
(§11.1); a standard's manajerial/sosial kultural item overrides the default for that competency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...domain.competency import NATIONAL_CODES, CompetencyGroup, JpmRule
from ...extensions import db
from ...models import Competency, CompetencyRule, CompetencyStandard, CompetencyStandardItem, Position


def rule_in_force(on: date) -> tuple[CompetencyRule | None, JpmRule]:
    """The stored rule version in force on `on` and its parsed form (the defaults when none is stored)."""
    row = db.session.scalars(
        select(CompetencyRule)
        .where(CompetencyRule.berlaku_mulai <= on)
        .order_by(CompetencyRule.berlaku_mulai.desc(), CompetencyRule.version.desc())
        .limit(1)
    ).first()
    return row, (JpmRule.from_params(row.params) if row is not None else JpmRule())


def competencies(group: CompetencyGroup | None = None, active_only: bool = True) -> list[Competency]:
    stmt = select(Competency).order_by(Competency.group, Competency.sort_order, Competency.code)
    if group is not None:
        stmt = stmt.where(Competency.group == group)
    if active_only:
        stmt = stmt.where(Competency.active.is_(True))
    return list(db.session.scalars(stmt))


def competency_map() -> dict[str, Competency]:
    """code → competency (the whole dictionary, one query)."""
    return {c.code: c for c in db.session.scalars(select(Competency))}


def standards_in_force(position_ids: Iterable[int], on: date) -> dict[int, CompetencyStandard]:
    """position id → the standard version in force on `on`, items loaded (two queries for any number of posts)."""
    ids = list(set(position_ids))
    if not ids:
        return {}
    latest = (
        select(CompetencyStandard.position_id, func.max(CompetencyStandard.version).label("v"))
        .where(CompetencyStandard.berlaku_mulai <= on, CompetencyStandard.position_id.in_(ids))
        .group_by(CompetencyStandard.position_id)
        .subquery()
    )
    rows = db.session.scalars(
        select(CompetencyStandard)
        .join(
            latest,
            (CompetencyStandard.position_id == latest.c.position_id) & (CompetencyStandard.version == latest.c.v),
        )
        .options(selectinload(CompetencyStandard.items).joinedload(CompetencyStandardItem.competency))
    )
    return {s.position_id: s for s in rows}


def standard_in_force(position_id: int, on: date) -> CompetencyStandard | None:
    return standards_in_force([position_id], on).get(position_id)


def standard_history(position_id: int) -> list[CompetencyStandard]:
    return list(
        db.session.scalars(
            select(CompetencyStandard)
            .where(CompetencyStandard.position_id == position_id)
            .options(selectinload(CompetencyStandard.items).joinedload(CompetencyStandardItem.competency))
            .order_by(CompetencyStandard.version.desc())
        )
    )


@dataclass(frozen=True)
class RequiredLevels:
    """What a post requires: manajerial + sosial kultural (the JPM's base) and teknis, code → level."""

    position_id: int
    core: dict[str, int]
    teknis: dict[str, int] = field(default_factory=dict)
    standard: CompetencyStandard | None = None
    defaulted: frozenset[str] = frozenset()  # core codes taken from the jenis/jenjang default

    @property
    def all(self) -> dict[str, int]:
        return {**self.core, **self.teknis}


def required_for(position: Position, standard: CompetencyStandard | None, rule: JpmRule) -> RequiredLevels:
    default = rule.default_level(position.kind.value, position.jenjang)
    own = {}
    teknis = {}
    if standard is not None:
        for item in standard.items:
            if item.competency.group == CompetencyGroup.TEKNIS:
                teknis[item.competency.code] = item.required_level
            else:
                own[item.competency.code] = item.required_level
    core = {code: own.get(code, default) for code in NATIONAL_CODES}
    return RequiredLevels(position.id, core, teknis, standard, frozenset(c for c in NATIONAL_CODES if c not in own))


def required_levels_many(
    positions: Iterable[Position], on: date, rule: JpmRule | None = None
) -> dict[int, RequiredLevels]:
    """position id → required levels in force on `on` (constant number of queries)."""
    positions = list(positions)
    if rule is None:
        rule = rule_in_force(on)[1]
    standards = standards_in_force([p.id for p in positions], on)
    return {p.id: required_for(p, standards.get(p.id), rule) for p in positions}


def required_levels(position: Position, on: date, rule: JpmRule | None = None) -> RequiredLevels:
    return required_levels_many([position], on, rule)[position.id]
