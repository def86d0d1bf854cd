"""Monitoring for HR: SKP by status per OPD, approved SKP without realisasi this window, the OPD drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import joinedload

from ... import exports
from ...domain.skp import Window, current_window
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import Employee, Indikator, Period, Realisasi, Rhk, Skp, Unit
from ..org.units import opd_map
from ..paging import Page
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
    """Per OPD: SKP by status (effective version per employee) and approved SKP without realisasi this window.

    Counted in SQL per unit (GROUP BY), a constant number of queries; only the units are walked up to their
    OPD in Python."""
    of_opd, opds = opd_map()

    def opd_of(unit_id: int | None) -> Unit | None:
        return opds.get(of_opd.get(unit_id))

    rows: dict[int, OpdRow] = {}
    active = Employee.active.is_(True)
    for unit_id, n in db.session.execute(
        select(Employee.unit_id, func.count(Employee.id)).where(active).group_by(Employee.unit_id)
    ):
        opd = opd_of(unit_id)
        if opd is not None:
            rows.setdefault(opd.id, OpdRow(opd)).employees += n
    current = current_window(period.windows, today)
    window = current.index if current else None
    # The effective SKP of each active employee: the approved one if any, else the newest version.
    ranked = (
        select(
            Skp.id,
            Employee.unit_id,
            Skp.status,
            func.row_number()
            .over(
                partition_by=Skp.employee_id,
                order_by=(case((Skp.status == SkpStatus.APPROVED, 1), else_=0).desc(), Skp.version.desc(), Skp.id),
            )
            .label("rank"),
        )
        .join(Employee, Employee.id == Skp.employee_id)
        .where(Skp.period_id == period.id, Skp.status != SkpStatus.REPLACED, active)
        .subquery()
    )
    counted = select(ranked.c.unit_id, ranked.c.status, func.count()).where(ranked.c.rank == 1)
    if window is None:
        counted = counted.add_columns(literal(0))
    else:
        reported = (
            select(Rhk.skp_id)
            .join(Indikator, Indikator.rhk_id == Rhk.id)
            .join(Realisasi, Realisasi.indikator_id == Indikator.id)
            .where(Realisasi.window_no == window)
            .distinct()
            .subquery()
        )
        missing = and_(ranked.c.status == SkpStatus.APPROVED, reported.c.skp_id.is_(None))
        counted = counted.outerjoin(reported, reported.c.skp_id == ranked.c.id).add_columns(
            func.count(case((missing, 1)))
        )
    field_of = {
        SkpStatus.DRAFT: "draft",
        SkpStatus.SUBMITTED: "submitted",
        SkpStatus.RETURNED: "returned",
        SkpStatus.APPROVED: "approved",
    }
    for unit_id, status, n, without in db.session.execute(counted.group_by(ranked.c.unit_id, ranked.c.status)):
        opd = opd_of(unit_id)
        opd_row = rows.get(opd.id) if opd is not None else None
        if opd_row is None:
            continue
        setattr(opd_row, field_of[status], getattr(opd_row, field_of[status]) + n)
        opd_row.missing_realisasi += without
    return sorted(rows.values(), key=lambda r: (r.unit.kind.value != "pemda", r.unit.sort_order, r.unit.name)), current


def opd_drilldown(opd: Unit, period: Period, page: int = 1, per_page: int = 25) -> Page[tuple[Employee, Skp | None]]:
    """One page of the OPD's active employees by name, each with their effective SKP (None: no SKP yet).

    The employees are those the monitoring row counts: of every unit whose OPD is this one (for the Pemda, only the
    units outside any OPD), not the whole subtree."""
    of_opd, _ = opd_map()
    unit_ids = [uid for uid, o in of_opd.items() if o == opd.id]
    found = db.paginate(
        select(Employee)
        .options(joinedload(Employee.position))
        .where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
        .order_by(Employee.name, Employee.id),
        page=max(1, page),
        per_page=per_page,
        error_out=False,
    )
    best = effective_skps(period.id, [e.id for e in found.items])
    return Page([(e, best.get(e.id)) for e in found.items], found.page, per_page, found.total or 0)


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
