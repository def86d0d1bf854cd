"""Cascading (PermenPANRB 6/2022): an RHK supports one RHK of the pejabat penilai; the pohon kinerja of a unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain.skp import RhkKategori, SkpJenis, coverage_percent
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import Employee, Period, Position, Rhk, Skp, Unit
from ...models.skp import kategori_rank
from ..org import appraisers
from ..org.units import subtree_ids
from .records import effective_skp


@dataclass
class AtasanChoices:
    appraiser: appraisers.Appraiser | None
    skp: Skp | None
    rhks: list[Rhk]

    @property
    def provisional(self) -> bool:
        return self.skp is None or self.skp.status != SkpStatus.APPROVED


def atasan_choices(skp: Skp, today: date) -> AtasanChoices:
    """The RHK of the pejabat penilai's effective SKP for the same year, to pick the one to intervene."""
    appraiser = appraisers.appraiser_of(skp.employee, today)
    if appraiser is None:
        return AtasanChoices(None, None, [])
    atasan_skp = effective_skp(appraiser.employee.id, skp.period_id)
    rhks = []
    if atasan_skp is not None:
        rhks = list(
            db.session.scalars(
                select(Rhk).where(Rhk.skp_id == atasan_skp.id).order_by(kategori_rank(Rhk.kategori), Rhk.position)
            )
        )
    return AtasanChoices(appraiser, atasan_skp, rhks)


def apply_link(skp: Skp, rhk: Rhk, parent_rhk_id: int | None, today: date) -> None:
    """Link to an RHK of the atasan (never of somebody else); provisional while the atasan's SKP is a draft."""
    choices = atasan_choices(skp, today)
    if parent_rhk_id:
        allowed = {r.id: r for r in choices.rhks}
        if parent_rhk_id not in allowed:
            raise DomainError("RHK atasan yang dipilih bukan RHK pejabat penilai Anda.", field="parent_rhk_id")
        rhk.parent_rhk_id = parent_rhk_id
        rhk.provisional = choices.provisional
        rhk.link_broken = False
        return
    needs_link = skp.jenis != SkpJenis.JPT and rhk.kategori == RhkKategori.UTAMA
    if needs_link and choices.rhks:
        raise DomainError("Pilih RHK atasan yang diintervensi oleh RHK ini.", field="parent_rhk_id")
    rhk.parent_rhk_id = None
    # No atasan RHK exists yet: the link is pending until the atasan drafts theirs.
    rhk.provisional = needs_link
    rhk.link_broken = False


def linked_staff_rhks(rhk_ids: list[int]) -> list[Rhk]:
    if not rhk_ids:
        return []
    return list(db.session.scalars(select(Rhk).options(joinedload(Rhk.skp)).where(Rhk.parent_rhk_id.in_(rhk_ids))))


@dataclass
class TreeNode:
    rhk: Rhk
    owner: Employee
    children: list[TreeNode]


@dataclass
class Pohon:
    roots: list[TreeNode]
    coverage: object
    linked: int
    total: int
    orphans: list[Rhk]
    unsupported: list[Rhk]
    skp_count: int


def pohon_kinerja(unit: Unit, period: Period) -> Pohon:
    """Cascading tree of a unit: leader's RHK down; coverage = staff RHK utama linked / all staff RHK utama."""
    unit_ids = subtree_ids(unit)
    skps = list(
        db.session.scalars(
            select(Skp)
            .join(Employee, Employee.id == Skp.employee_id)
            .options(joinedload(Skp.employee).joinedload(Employee.position))
            .where(Employee.unit_id.in_(unit_ids), Skp.period_id == period.id, Skp.status != SkpStatus.REPLACED)
        )
    )
    current: dict[int, Skp] = {}
    for s in skps:  # approved version wins over a newer draft (that is what staff cascade from)
        have = current.get(s.employee_id)
        rank = (s.status == SkpStatus.APPROVED, s.version)
        if have is None or rank > (have.status == SkpStatus.APPROVED, have.version):
            current[s.employee_id] = s
    skp_by_id = {s.id: s for s in current.values()}
    rhks = (
        list(
            db.session.scalars(
                select(Rhk).where(Rhk.skp_id.in_(list(skp_by_id))).order_by(kategori_rank(Rhk.kategori), Rhk.position)
            )
        )
        if skp_by_id
        else []
    )
    nodes = {r.id: TreeNode(r, skp_by_id[r.skp_id].employee, []) for r in rhks}
    leader_pos = db.session.scalars(
        select(Position.id)
        .where(Position.unit_id == unit.id, Position.is_leader.is_(True))
        .order_by(Position.kelas_jabatan.desc())
    ).first()
    roots, orphans = [], []
    supervisors = {s.employee.position.parent_id for s in current.values() if s.employee.position}
    for r in rhks:
        node = nodes[r.id]
        owner_pos = node.owner.position_id
        if r.parent_rhk_id in nodes:
            nodes[r.parent_rhk_id].children.append(node)
        elif owner_pos == leader_pos or r.parent_rhk_id is not None:
            roots.append(node)  # the leader's RHK, or one supporting an RHK above this unit
        elif r.kategori == RhkKategori.UTAMA:
            orphans.append(r)
    staff_utama = [r for r in rhks if r.kategori == RhkKategori.UTAMA and nodes[r.id].owner.position_id != leader_pos]
    linked = sum(1 for r in staff_utama if r.parent_rhk_id is not None)
    unsupported = [
        r
        for r in rhks
        if nodes[r.id].owner.position_id in supervisors and r.kategori == RhkKategori.UTAMA and not nodes[r.id].children
    ]
    return Pohon(
        roots, coverage_percent(linked, len(staff_utama)), linked, len(staff_utama), orphans, unsupported, len(current)
    )


def units_for_pohon() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.kind, Unit.name)))
