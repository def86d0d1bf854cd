"""The development dashboard: JP coverage per OPD, the referral funnel and pembinaan kinerja outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from ... import exports
from ...domain.development import (
    JP_TARGET,
    ReasonKind,
    ReferralStatus,
)
from ...domain.pembinaan import PlanStatus
from ...extensions import db
from ...models import (
    Employee,
    ImprovementPlan,
    PerformanceRating,
    Period,
    Referral,
    Unit,
    UnitKind,
)
from ..org.units import limit_to_units
from .jp import jp_totals

# --- dashboard: JP coverage per OPD, referral funnel, pembinaan outcomes -----------------------------------


@dataclass(frozen=True)
class CoverageRow:
    opd: str
    employees: int
    reached: int  # employees with at least 20 JP in the year

    @property
    def percent(self) -> Decimal:
        if not self.employees:
            return Decimal(0)
        return (Decimal(self.reached) * 100 / self.employees).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def jp_coverage(year: int, unit_ids: Sequence[int] | None = None) -> list[CoverageRow]:
    """Share of active employees per OPD with ≥ 20 JP in the year (three queries, whatever the regency size);
    of the employees in `unit_ids` only when given (a pimpinan's scope)."""
    units = db.session.execute(select(Unit.id, Unit.parent_id, Unit.kind, Unit.name)).all()
    by_id = {u.id: u for u in units}

    def opd_of(unit_id: int | None) -> int | None:
        seen = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            u = by_id[unit_id]
            if u.kind in (UnitKind.OPD, UnitKind.PEMDA):
                return u.id
            unit_id = u.parent_id
        return None

    totals = jp_totals(None, year)
    staff: dict[int | None, list[int]] = {}
    for eid, unit_id in db.session.execute(
        limit_to_units(
            select(Employee.id, Employee.unit_id).where(Employee.active.is_(True)), Employee.unit_id, unit_ids
        )
    ):
        staff.setdefault(opd_of(unit_id), []).append(eid)
    rows = [
        CoverageRow(
            by_id[opd].name if opd is not None else "Tanpa unit kerja",
            len(ids),
            sum(1 for i in ids if totals.get(i, 0) >= JP_TARGET),
        )
        for opd, ids in staff.items()
    ]
    return sorted(rows, key=lambda r: (r.percent, r.opd))


@dataclass(frozen=True)
class Funnel:
    suggested: int
    assigned: int
    started: int
    completed: int
    not_completed: int
    dismissed: int

    def stages(self) -> list[tuple[str, int]]:
        return [
            ("Diusulkan", self.suggested),
            ("Ditugaskan", self.assigned),
            ("Dimulai", self.started),
            ("Selesai", self.completed),
        ]


def funnel(year: int, reason: ReasonKind | None = None, unit_ids: Sequence[int] | None = None) -> Funnel:
    """Referral funnel of a year: every stage counts the referrals that reached it (one grouped query); of the
    employees in `unit_ids` only when given."""
    stmt = limit_to_units(
        select(Referral.status, func.count(Referral.id))
        .join(Employee, Employee.id == Referral.employee_id)
        .where(Referral.year == year)
        .group_by(Referral.status),
        Employee.unit_id,
        unit_ids,
    )
    if reason is not None:
        stmt = stmt.where(Referral.reason_kind == reason)
    n = {ReferralStatus(s): c for s, c in db.session.execute(stmt).all()}
    S = ReferralStatus
    completed, failed = n.get(S.SELESAI, 0), n.get(S.TIDAK_SELESAI, 0)
    started = n.get(S.BERJALAN, 0) + completed + failed
    assigned = started + n.get(S.DITUGASKAN, 0)
    return Funnel(
        suggested=sum(n.values()),
        assigned=assigned,
        started=started,
        completed=completed,
        not_completed=failed,
        dismissed=n.get(S.DITOLAK, 0),
    )


def dashboard_xlsx(year: int, coverage: list[CoverageRow], funnels: dict[str, Funnel]) -> bytes:
    from openpyxl.styles import Font

    wb = exports.workbook()
    ws = wb.active
    ws.title = f"Cakupan JP {year}"
    ws.append(["Perangkat daerah", "Pegawai aktif", f"Pegawai ≥ {JP_TARGET} JP", "Persentase"])
    for r in coverage:
        ws.append([r.opd, r.employees, r.reached, float(r.percent) / 100])
        ws.cell(ws.max_row, 4).number_format = "0.0%"
    ws.column_dimensions["A"].width = 60
    fs = wb.create_sheet(f"Corong rujukan {year}")
    fs.append(["Alasan", "Diusulkan", "Ditugaskan", "Dimulai", "Selesai", "Tidak selesai", "Tidak ditindaklanjuti"])
    for label, f in funnels.items():
        fs.append([label, f.suggested, f.assigned, f.started, f.completed, f.not_completed, f.dismissed])
    fs.column_dimensions["A"].width = 40
    for sheet in (ws, fs):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return exports.xlsx_bytes(wb)


def plan_outcome_counts(year: int, unit_ids: Sequence[int] | None = None) -> dict[str, int]:
    """Improvement plans triggered by the year's ratings, by review outcome (one grouped query):
    membaik, tidak membaik (with or without the follow-up recorded), berjalan, dibatalkan."""
    stmt = (
        select(ImprovementPlan.status, func.count(ImprovementPlan.id))
        .join(PerformanceRating, PerformanceRating.id == ImprovementPlan.rating_id)
        .join(Period, Period.id == PerformanceRating.period_id)
        .join(Employee, Employee.id == ImprovementPlan.employee_id)
        .where(Period.year == year)
        .group_by(ImprovementPlan.status)
    )
    rows = db.session.execute(limit_to_units(stmt, Employee.unit_id, unit_ids)).all()
    n = {PlanStatus(s): c for s, c in rows}
    return {
        "membaik": n.get(PlanStatus.IMPROVED, 0),
        "tidak_membaik": n.get(PlanStatus.NOT_IMPROVED, 0) + n.get(PlanStatus.FOLLOWED_UP, 0),
        "berjalan": n.get(PlanStatus.RUNNING, 0),
        "dibatalkan": n.get(PlanStatus.CANCELLED, 0),
    }
