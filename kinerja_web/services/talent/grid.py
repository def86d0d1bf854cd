"""The 9-box grid of an OPD (or the whole regency) with drill-down, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, true
from sqlalchemy.orm import joinedload

from ...domain.predikat import Predikat
from ...domain.talent import BARIS_POTENSIAL, KOLOM_KINERJA, KotakTalenta, Potensial, kotak, kotak_talenta, posisi
from ...extensions import db
from ...models import ANNUAL, Employee, PerformanceRating, Period, RatingStatus, Unit, UnitKind
from ..org.units import subtree_ids
from .boxes import PotensialSource, potensial_sources

# --- the grid ------------------------------------------------------------------------------------------


def periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


def opds() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD).order_by(Unit.name)))


@dataclass(frozen=True)
class TalentRow:
    employee: Employee
    predikat: Predikat | None
    potensial: PotensialSource | None  # HR's override or the latest assessment, with its source
    box: KotakTalenta | None


def employees_of(opd: Unit | None) -> list[Employee]:
    stmt = (
        select(Employee)
        .where(Employee.active.is_(True))
        .options(joinedload(Employee.position), joinedload(Employee.unit))
        .order_by(Employee.name, Employee.id)
    )
    if opd is not None:
        stmt = stmt.where(Employee.unit_id.in_(subtree_ids(opd)))
    return list(db.session.scalars(stmt))


def talent_rows(period: Period, opd: Unit | None) -> list[TalentRow]:
    """Every active employee of the OPD (or all OPDs) with final predikat, potensial (and its source) and box:
    a constant number of queries."""
    employees = employees_of(opd)
    ids = [e.id for e in employees]
    if opd is None:  # the whole regency: filter by period only, not by a long id list
        rating_filter = true()
    else:
        rating_filter = PerformanceRating.employee_id.in_(ids)
    predikat = dict(
        db.session.execute(
            select(PerformanceRating.employee_id, PerformanceRating.predikat).where(
                rating_filter,
                PerformanceRating.period_id == period.id,
                PerformanceRating.window_no == ANNUAL,
                PerformanceRating.status == RatingStatus.FINAL,
            )
        ).all()
    )
    potensial = potensial_sources(period, None if opd is None else ids)
    rows = []
    for e in employees:
        p, pot = predikat.get(e.id), potensial.get(e.id)
        rows.append(TalentRow(e, p, pot, posisi(p, pot.potensial) if p is not None and pot is not None else None))
    return rows


@dataclass(frozen=True)
class GridCell:
    box: KotakTalenta
    count: int


@dataclass(frozen=True)
class TalentGrid:
    rows: tuple[tuple[Potensial, tuple[GridCell, ...]], ...]  # top (Tinggi) to bottom
    columns: tuple = KOLOM_KINERJA
    placed: int = 0
    without_predikat: int = 0
    without_potensial: int = 0
    pool: int = 0
    members: dict[int, list[TalentRow]] = field(default_factory=dict)


def grid(rows: Sequence[TalentRow]) -> TalentGrid:
    """Counts per box in the Lampiran's layout (box 9 top right), and who is missing which axis."""
    members: dict[int, list[TalentRow]] = {n: [] for n in range(1, 10)}
    for r in rows:
        if r.box is not None:
            members[r.box.nomor].append(r)
    cells = tuple(
        (pot, tuple(GridCell(kotak(kotak_talenta(k, pot)), len(members[kotak_talenta(k, pot)])) for k in KOLOM_KINERJA))
        for pot in BARIS_POTENSIAL
    )
    return TalentGrid(
        rows=cells,
        placed=sum(len(v) for v in members.values()),
        without_predikat=sum(1 for r in rows if r.predikat is None),
        without_potensial=sum(1 for r in rows if r.potensial is None),
        pool=sum(len(members[n]) for n in (7, 8, 9)),
        members=members,
    )
