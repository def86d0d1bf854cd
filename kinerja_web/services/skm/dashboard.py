"""The public-feedback dashboards per unit and for the regency: IKM trend, complaints by status and by cause,
innovations; and their XLSX export. A fixed number of grouped queries whatever the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ... import exports
from ...domain.public_feedback import ComplaintCause, ComplaintStatus, percent
from ...extensions import db
from ...models import Innovation, SkmPeriod, Unit
from ..complaints import register as complaints
from ..innovations import register as innovations
from . import surveys


@dataclass(frozen=True)
class UnitFeedback:
    unit: Unit
    start: date
    end: date
    trend: list[surveys.PeriodResult]
    by_status: dict[ComplaintStatus, int]
    by_cause: dict[ComplaintCause, int]
    innovations: list[Innovation]


def unit_feedback(unit: Unit, start: date, end: date) -> UnitFeedback:
    by_status, by_cause = complaints.counts_by([unit.id], start, end)
    return UnitFeedback(
        unit=unit,
        start=start,
        end=end,
        trend=surveys.trend(unit.id),
        by_status=by_status,
        by_cause=by_cause,
        innovations=innovations.accepted_in_units([unit.id], start, end),
    )


@dataclass(frozen=True)
class RegencyLine:
    unit: Unit
    latest: surveys.PeriodResult | None
    substantiated: int
    innovations: int


def regency_feedback(unit_ids: Sequence[int] | None, start: date, end: date) -> tuple[list[RegencyLine], dict, dict]:
    """Every unit that runs surveys or has complaints in the scope: its latest IKM in the dates, substantiated
    complaints and accepted innovations; plus the complaint counts by status and cause over the scope."""
    stmt = select(SkmPeriod).where(SkmPeriod.start_date <= end, SkmPeriod.end_date >= start)
    if unit_ids is not None:
        stmt = stmt.where(SkmPeriod.unit_id.in_(unit_ids or [-1]))
    periods = list(db.session.scalars(stmt.order_by(SkmPeriod.end_date)))
    results = surveys.results(periods)
    latest: dict[int, surveys.PeriodResult] = {}
    for p in periods:
        if results[p.id].result.respondents:
            latest[p.unit_id] = results[p.id]
    counts = complaints.substantiated_by_unit(unit_ids, start, end)
    innov = innovations.count_by_unit(unit_ids, start, end)
    ids = set(latest) | set(counts) | set(innov)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids or [-1])))}
    lines = [
        RegencyLine(units[i], latest.get(i), counts.get(i, 0), innov.get(i, 0))
        for i in sorted(ids, key=lambda i: units[i].name)
    ]
    by_status, by_cause = complaints.counts_by(unit_ids, start, end)
    return lines, by_status, by_cause


def unit_xlsx(board: UnitFeedback) -> bytes:
    """IKM per period, complaints by status and cause, innovations: one sheet each."""
    wb = exports.workbook()
    ws = wb.active
    ws.title = "IKM"
    ws.append([f"Survei Kepuasan Masyarakat {board.unit.name}"])
    ws.append(["Periode", "Mulai", "Selesai", "Responden", "IKM", "Nilai konversi", "Mutu", "Sampel minimum"])
    for r in board.trend:
        res = r.result
        ws.append(
            exports.row(
                [r.period.name, r.period.start_date, r.period.end_date, res.respondents, res.ikm, res.converted,
                 res.mutu.value if res.mutu else "", r.minimum]
            )
        )  # fmt: skip
    ws2 = wb.create_sheet("Pengaduan")
    ws2.append(["Status", "Jumlah"])
    for s, n in board.by_status.items():
        ws2.append([s.label, n])
    ws2.append([])
    ws2.append(["Pokok pengaduan", "Jumlah"])
    for c, n in board.by_cause.items():
        ws2.append([c.label, n])
    ws3 = wb.create_sheet("Inovasi")
    ws3.append(["Judul", "Mulai", "Pegawai", "Dampak"])
    for i in board.innovations:
        ws3.append(exports.row([i.title, i.started_on, i.employee.name if i.employee else "", i.effect]))
    return exports.xlsx_bytes(wb)


def ikm_text(pr: surveys.PeriodResult | None) -> str:
    return f"{percent(pr.result.converted)} ({pr.result.mutu.value})" if pr and pr.result.mutu else "–"
