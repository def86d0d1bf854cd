"""Monitoring for HR: SKP by status per OPD, approved SKP without realisasi this window, the OPD drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import exports
from ...domain.skp import Window, current_window
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import Employee, Indikator, Period, Realisasi, Rhk, Skp, Unit
from ..org.units import subtree_ids
from .records import effective_skps


@dataclass
class OpdRow:
    unit: Unit
    employees: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    missing_realisasi: int = 0

    @property
    def without_skp(self) -> int:
        return self.employees - self.draft - self.submitted - self.returned - self.approved


def monitoring(period: Period, today: date) -> tuple[list[OpdRow], Window | None]:
    """Per OPD: SKP by status (effective version per employee) and approved SKP without realisasi this window."""
    units = {u.id: u for u in db.session.scalars(select(Unit))}

    def opd_of(unit_id: int | None) -> Unit | None:
        seen = 0
        node = units.get(unit_id)
        while node is not None and node.kind.value not in ("opd", "pemda") and seen < 20:
            node, seen = units.get(node.parent_id), seen + 1
        return node

    rows: dict[int, OpdRow] = {}
    employees = db.session.execute(select(Employee.id, Employee.unit_id).where(Employee.active.is_(True))).all()
    emp_opd = {}
    for emp_id, unit_id in employees:
        opd = opd_of(unit_id)
        if opd is None:
            continue
        emp_opd[emp_id] = opd.id
        rows.setdefault(opd.id, OpdRow(opd)).employees += 1
    skps = db.session.execute(
        select(Skp.id, Skp.employee_id, Skp.status, Skp.version).where(
            Skp.period_id == period.id, Skp.status != SkpStatus.REPLACED
        )
    ).all()
    effective: dict[int, tuple] = {}
    for row in skps:
        have = effective.get(row.employee_id)
        rank = (row.status == SkpStatus.APPROVED, row.version)
        if have is None or rank > (have.status == SkpStatus.APPROVED, have.version):
            effective[row.employee_id] = row
    current = current_window(period.windows, today)
    window = current.index if current else None
    reported = set()
    if window is not None:
        reported = set(
            db.session.scalars(
                select(Rhk.skp_id)
                .join(Indikator, Indikator.rhk_id == Rhk.id)
                .join(Realisasi, Realisasi.indikator_id == Indikator.id)
                .where(Realisasi.window_no == window)
                .distinct()
            )
        )
    field_of = {
        SkpStatus.DRAFT: "draft",
        SkpStatus.SUBMITTED: "submitted",
        SkpStatus.RETURNED: "returned",
        SkpStatus.APPROVED: "approved",
    }
    for emp_id, row in effective.items():
        opd_row = rows.get(emp_opd.get(emp_id))
        if opd_row is None:
            continue
        setattr(opd_row, field_of[row.status], getattr(opd_row, field_of[row.status]) + 1)
        if row.status == SkpStatus.APPROVED and window is not None and row.id not in reported:
            opd_row.missing_realisasi += 1
    return sorted(rows.values(), key=lambda r: (r.unit.kind.value != "pemda", r.unit.sort_order, r.unit.name)), current


def opd_drilldown(opd: Unit, period: Period) -> list[tuple[Employee, Skp | None]]:
    unit_ids = subtree_ids(opd)
    emps = list(
        db.session.scalars(
            select(Employee)
            .options(joinedload(Employee.position))
            .where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
            .order_by(Employee.name)
        )
    )
    best = effective_skps(period.id, [e.id for e in emps])
    return [(e, best.get(e.id)) for e in emps]


MONITORING_HEADERS = [
    "Perangkat daerah",
    "Pegawai",
    "Belum ada SKP",
    "Draf",
    "Diajukan",
    "Dikembalikan",
    "Disetujui",
    "Realisasi periode ini belum diisi",
]


def monitoring_xlsx(rows: list[OpdRow], period: Period) -> bytes:
    wb = exports.workbook()
    ws = wb.active
    ws.title = f"SKP {period.year}"
    ws.append(MONITORING_HEADERS)
    for r in rows:
        ws.append(
            [r.unit.name, r.employees, r.without_skp, r.draft, r.submitted, r.returned, r.approved, r.missing_realisasi]
        )
    ws.column_dimensions["A"].width = 60
    return exports.xlsx_bytes(wb)
