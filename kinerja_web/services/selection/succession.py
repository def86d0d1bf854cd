"""Succession of key posts (JPT, administrator): the incumbent, their retirement date (batas usia pensiun from the
birth date and the jabatan, as configuration), and candidates from the talent pool (boxes 7–9, PermenPANRB 3/2020)
with their JPM against the post. Read-only; a few queries for the whole list plus one JPM per candidate shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...domain.selection import (
    KEY_POST_KINDS,
    VACANCY_HORIZON_MONTHS,
    add_months,
    bup_age,
    retirement_date,
)
from ...domain.talent import masuk_talent_pool
from ...extensions import db
from ...models import Employee, Period, Position, PositionKind, TalentPotensial
from ..talent.boxes import talent_boxes
from . import evidence

CANDIDATES_PER_POST = 5
# The level a key post draws its successors from (one level below; §11.3 internal promotion).
FEEDER_KIND = {PositionKind.JPT: PositionKind.ADMINISTRATOR, PositionKind.ADMINISTRATOR: PositionKind.PENGAWAS}


@dataclass
class SuccessionCandidate:
    employee: Employee
    kotak: int
    jpm: Decimal | None
    kategori: str | None


@dataclass
class SuccessionRow:
    position: Position
    incumbent: Employee | None
    retires_on: date | None
    vacant_within: bool
    candidates: list[SuccessionCandidate] = field(default_factory=list)


def bup_table() -> dict[str, int]:
    return dict(current_app.config.get("SUCCESSION_BUP") or {})


def talent_period_id() -> int | None:
    """The latest period with potensial data: the 9-box the succession list draws on."""
    return db.session.scalar(
        select(Period.id)
        .join(TalentPotensial, TalentPotensial.period_id == Period.id)
        .group_by(Period.id, Period.year)
        .order_by(Period.year.desc())
        .limit(1)
    )


def _pool(period_id: int | None) -> dict[int, int]:
    if period_id is None:
        return {}
    return {eid: box.nomor for eid, box in talent_boxes(period_id).items() if masuk_talent_pool(box.nomor)}


def succession(on: date, *, within_months: int | None = None, with_jpm: bool = True) -> list[SuccessionRow]:
    """Every key post with its incumbent, retirement date and talent-pool candidates; `within_months` keeps only the
    posts vacant now or falling vacant within that many months (the default horizon is 24)."""
    posts = list(
        db.session.scalars(
            select(Position)
            .where(Position.kind.in_([PositionKind(k) for k in KEY_POST_KINDS]))
            .options(selectinload(Position.unit))
            .order_by(Position.kelas_jabatan.desc(), Position.name)
        )
    )
    holders: dict[int, Employee] = {}
    for e in db.session.scalars(
        select(Employee).where(Employee.position_id.in_([p.id for p in posts]), Employee.active.is_(True))
    ):
        holders.setdefault(e.position_id, e)
    pool = _pool(talent_period_id())
    pool_people = (
        list(
            db.session.scalars(
                select(Employee)
                .where(Employee.id.in_(list(pool)), Employee.active.is_(True))
                .options(selectinload(Employee.position), selectinload(Employee.unit))
            )
        )
        if pool
        else []
    )
    jpms = evidence.jpm_many([e.id for e in pool_people], posts, on) if with_jpm else {}
    horizon = add_months(on, within_months if within_months is not None else VACANCY_HORIZON_MONTHS)
    table = bup_table()
    rows = []
    for p in posts:
        inc = holders.get(p.id)
        retires = retirement_date(inc.birth_date, bup_age(p.kind.value, p.jenjang, table)) if inc else None
        vacant_soon = inc is None or retires <= horizon
        if within_months is not None and not vacant_soon:
            continue
        row = SuccessionRow(p, inc, retires, vacant_soon)
        feeder = FEEDER_KIND.get(p.kind)
        picks = [
            e
            for e in pool_people
            if e.position is not None and e.position.kind == feeder and e.id != (inc.id if inc else None)
        ]
        picks.sort(key=lambda e: (e.unit.opd.id != p.unit.opd.id if e.unit else True, -pool[e.id], e.name))
        for e in picks[:CANDIDATES_PER_POST]:
            got = jpms.get((e.id, p.id))
            row.candidates.append(SuccessionCandidate(e, pool[e.id], got[0] if got else None, got[1] if got else None))
        row.candidates.sort(key=lambda c: (-(c.jpm or Decimal(-1)), -c.kotak, c.employee.name))
        rows.append(row)
    if within_months is not None:
        rows.sort(key=lambda r: (r.retires_on or on, r.position.name))
    return rows


def count_key_posts() -> int:
    return db.session.scalar(
        select(func.count(Position.id)).where(Position.kind.in_([PositionKind(k) for k in KEY_POST_KINDS]))
    )
