"""Public-feedback dashboards: per unit (IKM trend, complaints by status and cause, innovations) and for the
regency (latest IKM, substantiated complaints and innovations per unit), with XLSX export."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from ... import access, charts, uploads
from ...domain.public_feedback import percent
from ...extensions import db
from ...models import Unit
from ...services.skm import dashboard
from ...timeutil import today_wib
from . import bp


def _range() -> tuple[date, date, str | None]:
    """`?dari=&sampai=` as ISO dates, or the last twelve months."""
    today = today_wib()
    start, end = today - timedelta(days=365), today
    try:
        given = [date.fromisoformat(v) if v else None for v in (request.args.get("dari"), request.args.get("sampai"))]
    except ValueError:
        return start, end, "Tanggal tidak dikenali; gunakan format TTTT-BB-HH. Ditampilkan 12 bulan terakhir."
    start, end = given[0] or start, given[1] or end
    if end < start:
        return today - timedelta(days=365), today, "Tanggal akhir sebelum tanggal awal. Ditampilkan 12 bulan terakhir."
    return start, end, None


def _unit_or_404(unit_id: int) -> Unit:
    unit = db.get_or_404(Unit, unit_id)
    if not (access.can_operate_unit(current_user, unit.id) or access.can_view_unit_dashboard(current_user, unit)):
        abort(404)
    return unit


def _bars(title: str, counts: dict) -> str:
    return charts.value_bars([k.label for k in counts], [charts.Series("Jumlah", list(counts.values()))], title=title)


@bp.get("/dasbor/unit/<int:unit_id>")
@login_required
def unit_dashboard(unit_id: int):
    unit = _unit_or_404(unit_id)
    start, end, error = _range()
    board = dashboard.unit_feedback(unit, start, end)
    ikm_chart = charts.value_bars(
        [r.period.name for r in board.trend],
        [charts.Series("IKM (konversi)", [r.result.converted if r.result.respondents else None for r in board.trend])],
        title=f"Tren IKM {unit.name}",
        fmt=percent,
    )
    return render_template(
        "skm/dashboard_unit.html",
        board=board,
        error=error,
        ikm_chart=ikm_chart,
        status_chart=_bars("Pengaduan menurut status", board.by_status),
        cause_chart=_bars("Pengaduan menurut pokok", board.by_cause),
        percent=percent,
    )


@bp.get("/dasbor/unit/<int:unit_id>/ekspor.xlsx")
@login_required
def unit_export(unit_id: int):
    unit = _unit_or_404(unit_id)
    start, end, _ = _range()
    body = dashboard.unit_xlsx(dashboard.unit_feedback(unit, start, end))
    name = f"umpan-balik-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    return Response(body, mimetype=uploads.XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/dasbor")
@login_required
def regency_dashboard():
    access.require(access.can_view_regency_services(current_user))
    start, end, error = _range()
    lines, by_status, by_cause = dashboard.regency_feedback(access.dashboard_units(current_user), start, end)
    with_ikm = [line for line in lines if line.latest is not None]
    return render_template(
        "skm/dashboard_regency.html",
        lines=lines,
        start=start,
        end=end,
        error=error,
        ikm_chart=charts.value_bars(
            [line.unit.name for line in with_ikm],
            [charts.Series("IKM (konversi)", [line.latest.result.converted for line in with_ikm])],
            title="IKM terakhir per unit",
            fmt=percent,
        )
        if with_ikm
        else None,
        status_chart=_bars("Pengaduan menurut status", by_status),
        cause_chart=_bars("Pengaduan menurut pokok", by_cause),
        ikm_text=dashboard.ikm_text,
    )
