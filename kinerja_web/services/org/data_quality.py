"""Organisation tree and the data-quality queue for HR."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ...domain import nip as nipmod
from ...domain.org import find_cycles
from ...extensions import db
from ...models import (
    AssignmentKind,
    Employee,
    Position,
    PositionAssignment,
    PositionKind,
    Unit,
    UnitKind,
)
from .. import datacache


@dataclass(frozen=True)
class Issue:
    kind: str  # stable key, used for filters and tests
    title: str  # Indonesian category label
    subject: str  # who/what
    message: str  # what is wrong
    fix_endpoint: str  # where to fix it
    fix_args: dict


KINDS = {
    "tanpa_atasan": "Pegawai tanpa atasan",
    "siklus_atasan": "Rantai atasan berputar (siklus)",
    "atasan_lintas_opd": "Atasan di OPD lain tanpa alasan",
    "jabatan_pimpinan_kosong": "Jabatan pimpinan kosong",
    "nip_tidak_sah": "NIP tidak sah atau tidak sesuai data",
    "kemungkinan_duplikat": "Kemungkinan pegawai ganda",
    "plt_lewat": "Plt/Plh melewati tanggal berakhir",
}


def unit_tree() -> list[tuple[Unit, int]]:
    """All units in tree order with their depth (one query; the tree is built in memory)."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.sort_order, Unit.name)))
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u)
    out: list[tuple[Unit, int]] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for u in children.get(parent_id, []):
            if u.id in seen:
                continue
            seen.add(u.id)
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def _opd_of(unit_id: int, units: dict[int, Unit]) -> int:
    node = units[unit_id]
    hops = 0
    while node.kind not in (UnitKind.OPD, UnitKind.PEMDA) and node.parent_id and hops < 20:
        node = units[node.parent_id]
        hops += 1
    return node.id


def holders_on(on: date, position_ids: list[int] | None = None) -> dict[int, list[tuple[Employee, AssignmentKind]]]:
    """position id → who exercises it on `on`, from riwayat jabatan (current post as fallback).

    `position_ids` limits the lookup (a unit page needs a dozen posts, not the whole regency).
    """
    covering = (PositionAssignment.start_date <= on) & or_(
        PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= on
    )
    held: dict[int, list[tuple[Employee, AssignmentKind]]] = defaultdict(list)
    rows = (
        select(PositionAssignment.position_id, PositionAssignment.kind, Employee)
        .join(Employee, Employee.id == PositionAssignment.employee_id)
        .where(covering, Employee.active.is_(True))
    )
    history = select(PositionAssignment.position_id).distinct()
    current = select(Employee).where(Employee.active.is_(True), Employee.position_id.is_not(None))
    if position_ids is not None:
        rows = rows.where(PositionAssignment.position_id.in_(position_ids))
        history = history.where(PositionAssignment.position_id.in_(position_ids))
        current = current.where(Employee.position_id.in_(position_ids))
    for pos_id, kind, emp in db.session.execute(rows):
        held[pos_id].append((emp, kind))
    with_history = set(db.session.scalars(history))
    for emp in db.session.scalars(current):
        if emp.position_id not in with_history:
            held[emp.position_id].append((emp, AssignmentKind.DEFINITIF))
    return held


def unit_leaders(on: date) -> dict[int, tuple[Position, list[tuple[Employee, AssignmentKind]]]]:
    """unit id → its leading post and who holds it, for the org chart."""
    leaders = list(db.session.scalars(select(Position).where(Position.is_leader.is_(True))))
    holders = holders_on(on, [p.id for p in leaders])
    out: dict[int, tuple[Position, list[tuple[Employee, AssignmentKind]]]] = {}
    for p in sorted(leaders, key=lambda p: -p.kelas_jabatan):
        out.setdefault(p.unit_id, (p, holders.get(p.id, [])))
    return out


def data_quality_issues(on: date) -> list[Issue]:
    """The data-quality queue, recomputed only when people/organisation data (or the date) changed.

    A full scan costs ~0.7 s at 7,500 employees and the HR dashboard shows the count on every view.
    """
    return list(datacache.cached("data_quality_issues", lambda: tuple(compute_data_quality_issues(on)), on))


def compute_data_quality_issues(on: date) -> list[Issue]:
    """Every planted or real defect HR must fix before SKP, evaluation and payroll can rely on the data."""
    issues: list[Issue] = []
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    positions = {p.id: p for p in db.session.scalars(select(Position))}
    employees = list(db.session.scalars(select(Employee).where(Employee.active.is_(True))))
    holders = holders_on(on)
    parent_of = {pid: p.parent_id for pid, p in positions.items()}

    # 1. Cycles in the atasan chain.
    in_cycle: set[int] = set()
    for cycle in find_cycles(parent_of):
        in_cycle.update(cycle)
        names = " → ".join(positions[p].name for p in cycle)
        issues.append(
            Issue(
                "siklus_atasan",
                KINDS["siklus_atasan"],
                names,
                "Rantai atasan kembali ke jabatan semula; tidak ada pejabat penilai yang sah.",
                "org.position_edit",
                {"position_id": cycle[0]},
            )
        )

    # 2. Employees without an atasan: walk up to the first held post.
    def has_atasan(pos_id: int, self_id: int) -> bool:
        node, hops = parent_of.get(pos_id), 0
        while node is not None and hops < 20:
            if node in in_cycle:
                return False
            if any(e.id != self_id for e, _ in holders.get(node, [])):
                return True
            node, hops = parent_of.get(node), hops + 1
        return False

    for emp in employees:
        pos = positions.get(emp.position_id) if emp.position_id else None
        if pos is None:
            issues.append(
                Issue(
                    "tanpa_atasan",
                    KINDS["tanpa_atasan"],
                    f"{emp.full_name} ({emp.nip})",
                    "Pegawai belum mempunyai jabatan, sehingga atasannya tidak diketahui.",
                    "employees.edit",
                    {"employee_id": emp.id},
                )
            )
            continue
        if pos.parent_id is None and units[pos.unit_id].kind == UnitKind.PEMDA:
            continue  # the top post of the Pemda (Sekda): appraised by the Bupati, outside the staff list
        if pos.id not in in_cycle and not has_atasan(pos.id, emp.id):
            issues.append(
                Issue(
                    "tanpa_atasan",
                    KINDS["tanpa_atasan"],
                    f"{emp.full_name} ({emp.nip})",
                    f"Tidak ada pejabat yang menduduki jabatan di atas “{pos.name}”.",
                    "employees.edit",
                    {"employee_id": emp.id},
                )
            )

    # 3. Atasan in another OPD without a recorded reason (JPT heads report to the Sekda by design).
    for pos in positions.values():
        parent = positions.get(pos.parent_id) if pos.parent_id else None
        if parent is None or pos.kind == PositionKind.JPT or pos.cross_opd_reason:
            continue
        if pos.is_leader and units[pos.unit_id].kind == UnitKind.OPD:
            continue  # heads of OPD report to the Sekda by design
        if _opd_of(pos.unit_id, units) != _opd_of(parent.unit_id, units):
            issues.append(
                Issue(
                    "atasan_lintas_opd",
                    KINDS["atasan_lintas_opd"],
                    f"{pos.name} ({units[pos.unit_id].name})",
                    f"Atasannya “{parent.name}” berada di {units[_opd_of(parent.unit_id, units)].name}.",
                    "org.position_edit",
                    {"position_id": pos.id},
                )
            )

    # 4. Vacant leader posts.
    for pos in positions.values():
        if pos.is_leader and not holders.get(pos.id):
            issues.append(
                Issue(
                    "jabatan_pimpinan_kosong",
                    KINDS["jabatan_pimpinan_kosong"],
                    f"{pos.name} ({units[pos.unit_id].name})",
                    "Jabatan pimpinan tanpa pejabat definitif maupun Plt/Plh pada hari ini.",
                    "org.position_edit",
                    {"position_id": pos.id},
                )
            )

    # 5. Invalid NIPs and likely duplicates (same name and birth date under two NIPs).
    seen: dict[tuple[str, date], Employee] = {}
    for emp in employees:
        errs = nipmod.consistency_errors(
            emp.nip, birth_date=emp.birth_date, gender=emp.gender.value, tmt_cpns=emp.tmt_cpns, is_pppk=emp.is_pppk
        )
        if errs:
            issues.append(
                Issue(
                    "nip_tidak_sah",
                    KINDS["nip_tidak_sah"],
                    f"{emp.full_name} ({emp.nip})",
                    " ".join(m for _, m in errs),
                    "employees.edit",
                    {"employee_id": emp.id},
                )
            )
        key = (emp.name.strip().lower(), emp.birth_date)
        if key in seen:
            other = seen[key]
            issues.append(
                Issue(
                    "kemungkinan_duplikat",
                    KINDS["kemungkinan_duplikat"],
                    f"{emp.full_name} ({emp.nip})",
                    f"Nama dan tanggal lahir sama dengan {other.full_name} ({other.nip}).",
                    "employees.edit",
                    {"employee_id": emp.id},
                )
            )
        else:
            seen[key] = emp

    # 6. Acting appointments past their end date while the post is still not filled.
    acting = db.session.execute(
        select(PositionAssignment, Employee)
        .join(Employee, Employee.id == PositionAssignment.employee_id)
        .where(PositionAssignment.kind.in_([AssignmentKind.PLT, AssignmentKind.PLH]), PositionAssignment.end_date < on)
    ).all()
    for row, emp in acting:
        if not holders.get(row.position_id):
            pos = positions[row.position_id]
            issues.append(
                Issue(
                    "plt_lewat",
                    KINDS["plt_lewat"],
                    f"{row.kind.label}: {emp.full_name} — {pos.name}",
                    f"Penugasan berakhir {row.end_date:%d-%m-%Y}, jabatan belum diisi atau diperpanjang.",
                    "org.position_edit",
                    {"position_id": pos.id},
                )
            )
    return issues


def unit_positions(unit: Unit, on: date) -> list[tuple[Position, list[tuple[Employee, AssignmentKind]]]]:
    rows = list(
        db.session.scalars(
            select(Position)
            .options(joinedload(Position.parent))
            .where(Position.unit_id == unit.id)
            .order_by(Position.is_leader.desc(), Position.kelas_jabatan.desc(), Position.name)
        )
    )
    holders = holders_on(on, [p.id for p in rows])
    return [(p, holders.get(p.id, [])) for p in rows]
