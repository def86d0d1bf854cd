"""The data-quality queue for HR: defects in people and organisation data to fix before SKP, rating and payroll."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

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
from .. import datacache, rating_rules
from .units import holders_on


@dataclass(frozen=True)
class Issue:
    kind: str  # stable key, used for filters and tests
    title: str  # Indonesian category label
    subject: str  # who/what
    message: str  # what is wrong
    fix_endpoint: str  # where to fix it
    fix_args: dict

    @classmethod
    def of(cls, kind: str, subject: str, message: str, fix_endpoint: str, fix_args: dict) -> Issue:
        """An issue of `kind`, titled with its KINDS label."""
        return cls(kind, KINDS[kind], subject, message, fix_endpoint, fix_args)


KINDS = {
    "tanpa_atasan": "Pegawai tanpa atasan",
    "siklus_atasan": "Rantai atasan berputar (siklus)",
    "atasan_lintas_opd": "Atasan di OPD lain tanpa alasan",
    "jabatan_pimpinan_kosong": "Jabatan pimpinan kosong",
    "nip_tidak_sah": "NIP tidak sah atau tidak sesuai data",
    "kemungkinan_duplikat": "Kemungkinan pegawai ganda",
    "plt_lewat": "Plt/Plh melewati tanggal berakhir",
}


def _opd_of(unit_id: int, units: dict[int, Unit]) -> int:
    node = units[unit_id]
    hops = 0
    while node.kind not in (UnitKind.OPD, UnitKind.PEMDA) and node.parent_id and hops < 20:
        node = units[node.parent_id]
        hops += 1
    return node.id


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
            Issue.of(
                "siklus_atasan",
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
                Issue.of(
                    "tanpa_atasan",
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
                Issue.of(
                    "tanpa_atasan",
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
                Issue.of(
                    "atasan_lintas_opd",
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
                Issue.of(
                    "jabatan_pimpinan_kosong",
                    f"{pos.name} ({units[pos.unit_id].name})",
                    "Jabatan pimpinan tanpa pejabat definitif maupun Plt/Plh pada hari ini.",
                    "org.position_edit",
                    {"position_id": pos.id},
                )
            )

    # 5. Invalid NIPs and likely duplicates (same name and birth date under two NIPs).
    seen: dict[tuple[str, date], Employee] = {}
    nip_rules = rating_rules.nip_rules(on)  # the NIP checks' parameters in force today
    for emp in employees:
        errs = nipmod.consistency_errors(
            emp.nip,
            birth_date=emp.birth_date,
            gender=emp.gender.value,
            tmt_cpns=emp.tmt_cpns,
            is_pppk=emp.is_pppk,
            rules=nip_rules,
        )
        if errs:
            issues.append(
                Issue.of(
                    "nip_tidak_sah",
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
                Issue.of(
                    "kemungkinan_duplikat",
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
                Issue.of(
                    "plt_lewat",
                    f"{row.kind.label}: {emp.full_name} — {pos.name}",
                    f"Penugasan berakhir {row.end_date:%d-%m-%Y}, jabatan belum diisi atau diperpanjang.",
                    "org.position_edit",
                    {"position_id": pos.id},
                )
            )
    return issues
