"""The unit and regency service dashboards, the before/after view and their XLSX export.

Everything is read from the monthly pre-aggregates (`ServiceMonthStat`): a page costs a fixed number of
queries whatever the size of the service log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import exports
from ...domain.labels import bulan
from ...domain.public_service import CompletionUnit, month_start, next_month
from ...extensions import db
from ...models import Employee, PublicService, ServiceMonthStat, Unit
from . import stats


@dataclass(frozen=True)
class MonthLine:
    month: date
    summary: stats.Summary

    @property
    def label(self) -> str:
        return bulan(self.month)


@dataclass(frozen=True)
class ServiceLine:
    service: PublicService
    standard_text: str
    summary: stats.Summary


@dataclass(frozen=True)
class OfficerLine:
    officer: Employee
    summary: stats.Summary


@dataclass
class UnitDashboard:
    unit: Unit
    start: date
    end: date
    months: list[MonthLine]
    total: stats.Summary
    services: list[ServiceLine]
    officers: list[OfficerLine] | None  # None: the viewer may not see per-officer figures


def standard_text(service: PublicService, on: date) -> str:
    std = standard_on(service, on)
    return f"{std.completion_time} {std.completion_unit.label}" if std else "–"


def standard_on(service: PublicService, on: date):
    """The standar pelayanan version in force on `on` (the latest with valid_from ≤ on), else the earliest."""
    versions = service.standards
    current = [s for s in versions if s.valid_from <= on]
    return current[-1] if current else (versions[0] if versions else None)


def time_unit(service: PublicService, on: date) -> CompletionUnit:
    """The unit a service's times are shown in: its standard's (working days when it has none)."""
    std = standard_on(service, on)
    return std.completion_unit if std else CompletionUnit.WORKING_DAYS


def default_range(today: date) -> tuple[date, date]:
    """The last twelve months up to the current one."""
    end = month_start(today)
    start = month_start(date(end.year - 1, end.month, 1) + timedelta(days=31))
    return start, end


def _rows(unit_ids: list[int] | None, start: date, end: date, with_officers: bool) -> list[ServiceMonthStat]:
    s = ServiceMonthStat
    stmt = select(s).where(s.month >= month_start(start), s.month <= month_start(end))
    if unit_ids is not None:
        stmt = stmt.where(s.unit_id.in_(unit_ids))
    if not with_officers:
        stmt = stmt.where(s.officer_id == 0)
    return list(db.session.scalars(stmt.order_by(s.month)))


def unit_dashboard(unit: Unit, start: date, end: date, *, with_officers: bool) -> UnitDashboard:
    rows = _rows([unit.id], start, end, with_officers)
    unit_rows = [r for r in rows if r.service_id == 0 and r.officer_id == 0]
    by_service: dict[int, list] = {}
    by_officer: dict[int, list] = {}
    for r in rows:
        if r.service_id:
            by_service.setdefault(r.service_id, []).append(r)
        elif r.officer_id:
            by_officer.setdefault(r.officer_id, []).append(r)
    services = list(
        db.session.scalars(
            select(PublicService)
            .where(PublicService.unit_id == unit.id)
            .options(selectinload(PublicService.standards))
            .order_by(PublicService.name)
        )
    )
    lines = []
    for svc in services:
        unit_of_time = time_unit(svc, end)
        lines.append(
            ServiceLine(svc, standard_text(svc, end), stats.summarize(by_service.get(svc.id, []), unit_of_time))
        )
    officers = None
    if with_officers:
        people = (
            {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(list(by_officer))))}
            if by_officer
            else {}
        )
        officers = sorted(
            (OfficerLine(people[oid], stats.summarize(rs)) for oid, rs in by_officer.items() if oid in people),
            key=lambda line: line.officer.name,
        )
    by_month = {r.month: r for r in unit_rows}
    months = []
    m = month_start(start)
    while m <= month_start(end):
        months.append(MonthLine(m, stats.summarize([by_month[m]] if m in by_month else [])))
        m = next_month(m)
    return UnitDashboard(unit, start, end, months, stats.summarize(unit_rows), lines, officers)


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    summary: stats.Summary


def regency_dashboard(unit_ids: list[int] | None, start: date, end: date) -> list[UnitLine]:
    """Every service unit (within `unit_ids`, None for all) with its figures over the range."""
    rows = [r for r in _rows(unit_ids, start, end, False) if r.service_id == 0]
    by_unit: dict[int, list] = {}
    for r in rows:
        by_unit.setdefault(r.unit_id, []).append(r)
    stmt = select(Unit).where(Unit.id.in_(select(PublicService.unit_id)))
    if unit_ids is not None:
        stmt = stmt.where(Unit.id.in_(unit_ids))
    return [UnitLine(u, stats.summarize(by_unit.get(u.id, []))) for u in db.session.scalars(stmt.order_by(Unit.name))]


@dataclass(frozen=True)
class BeforeAfter:
    unit: Unit
    pivot: date
    months: int
    before_range: tuple[date, date]
    after_range: tuple[date, date]
    before: stats.Summary
    after: stats.Summary
    services: list[tuple[PublicService, stats.Summary, stats.Summary]]


def before_after(unit: Unit, pivot: date, months: int) -> BeforeAfter:
    """The `months` whole months before the pivot's month against the pivot's month and the ones after it."""
    pivot_month = month_start(pivot)
    before_start = pivot_month
    for _ in range(months):
        before_start = month_start(before_start - timedelta(days=1))
    after_end = pivot_month
    for _ in range(months - 1):
        after_end = next_month(after_end)
    before_end = month_start(pivot_month - timedelta(days=1))
    rows = [r for r in _rows([unit.id], before_start, after_end, False)]
    split = {True: [], False: []}
    per_service: dict[int, dict[bool, list]] = {}
    for r in rows:
        after = r.month >= pivot_month
        if r.service_id == 0:
            split[after].append(r)
        else:
            per_service.setdefault(r.service_id, {True: [], False: []})[after].append(r)
    services = list(
        db.session.scalars(
            select(PublicService)
            .where(PublicService.unit_id == unit.id)
            .options(selectinload(PublicService.standards))
            .order_by(PublicService.name)
        )
    )
    return BeforeAfter(
        unit,
        pivot,
        months,
        (before_start, before_end),
        (pivot_month, after_end),
        stats.summarize(split[False]),
        stats.summarize(split[True]),
        [
            (
                s,
                stats.summarize(per_service.get(s.id, {}).get(False, []), time_unit(s, pivot)),
                stats.summarize(per_service.get(s.id, {}).get(True, []), time_unit(s, pivot)),
            )
            for s in services
        ],
    )


HEADERS = ["Bulan", "Masuk", "Selesai", "Median (hari kerja)", "Persentil 90 (hari kerja)", "Sesuai standar (%)",
           "Tunggakan akhir bulan"]  # fmt: skip


def _cells(s: stats.Summary) -> list:
    share = float(s.within_share) if s.within_share is not None else None
    return [s.received, s.completed, s.median, s.p90, share, s.backlog]


def unit_xlsx(board: UnitDashboard) -> bytes:
    """The dashboard as a workbook: months, services, and officers when the viewer may see them."""
    wb = exports.workbook()
    ws = wb.active
    ws.title = "Per bulan"
    ws.append([f"Layanan {board.unit.name}: {bulan(board.start)} s.d. {bulan(board.end)}"])
    ws.append(HEADERS)
    for line in board.months:
        ws.append([line.label, *_cells(line.summary)])
    ws.append(["Jumlah", *_cells(board.total)])
    ws2 = wb.create_sheet("Per layanan")
    ws2.append(["Layanan", "Standar", "Masuk", "Selesai", "Median", "Persentil 90", "Sesuai standar (%)", "Tunggakan"])
    for line in board.services:
        ws2.append([line.service.name, line.standard_text, *_cells(line.summary)])
    if board.officers is not None:
        ws3 = wb.create_sheet("Per petugas")
        ws3.append(["NIP", "Nama", "Masuk", "Selesai", "Median (hari kerja)", "Persentil 90", "Sesuai standar (%)",
                    "Tunggakan"])  # fmt: skip
        for line in board.officers:
            ws3.append([line.officer.nip, line.officer.name, *_cells(line.summary)])
    return exports.xlsx_bytes(wb)
