"""Service dashboards: the regency overview, a unit's completion times against its standards (SVG charts,
XLSX export) and the before/after view around a date."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .... import access
from ....charts import Series, progress_bars, value_bars
from ....extensions import db
from ....models import PublicService, Unit
from ....request_input import query_int
from ....services.public_service import dashboards
from ....timeutil import today_wib
from .. import bp
from .common import load_unit, month_range, parse_date, xlsx_response


@bp.get("/")
@login_required
def index():
    """The service units the user works with (operator, leader, OPD staff) and, for HR/pimpinan, the regency."""
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(select(PublicService.unit_id))).order_by(Unit.name)))
    visible = [u for u in units if access.can_view_unit_dashboard(current_user, u)]
    return render_template(
        "public_service/index.html",
        units=visible,
        managed={u.id for u in visible if access.can_manage_unit_services(current_user, u)},
        can_regency=access.can_view_regency_services(current_user),
        can_holidays=access.can_manage_holidays(current_user),
    )


@bp.get("/dasbor")
@login_required
def regency():
    access.require(access.can_view_regency_services(current_user))
    start, end, error = month_range()
    lines = dashboards.regency_dashboard(access.dashboard_units(current_user), start, end)
    chart = progress_bars(
        [line.unit.name for line in lines],
        [line.summary.within for line in lines],
        [line.summary.completed for line in lines],
        title="Layanan selesai sesuai standar per unit",
    ) if lines else None  # fmt: skip
    return render_template("public_service/regency.html", lines=lines, start=start, end=end, error=error, chart=chart)


def _charts(board: dashboards.UnitDashboard):
    labels = [m.label for m in board.months]
    times = value_bars(
        labels,
        [
            Series("Median (hari kerja)", [m.summary.median for m in board.months]),
            Series("Persentil 90 (hari kerja)", [m.summary.p90 for m in board.months]),
        ],
        title="Waktu penyelesaian per bulan",
        label_width=140,
    )
    within = progress_bars(
        labels,
        [m.summary.within for m in board.months],
        [m.summary.completed for m in board.months],
        title="Selesai sesuai standar per bulan",
    )
    return times, within


@bp.get("/unit/<int:unit_id>")
@login_required
def unit_dashboard(unit_id: int):
    unit = load_unit(unit_id, access.can_view_unit_dashboard)
    start, end, error = month_range()
    board = dashboards.unit_dashboard(unit, start, end, with_officers=access.can_view_unit_officers(current_user, unit))
    times, within = _charts(board)
    return render_template(
        "public_service/unit.html",
        board=board,
        error=error,
        chart_times=times,
        chart_within=within,
        can_manage=access.can_manage_unit_services(current_user, unit),
    )


@bp.get("/unit/<int:unit_id>/ekspor.xlsx")
@login_required
def unit_export(unit_id: int):
    unit = load_unit(unit_id, access.can_view_unit_dashboard)
    start, end, _ = month_range()
    board = dashboards.unit_dashboard(unit, start, end, with_officers=access.can_view_unit_officers(current_user, unit))
    return xlsx_response(dashboards.unit_xlsx(board), f"layanan-{unit.code}-{start:%Y%m}-{end:%Y%m}.xlsx")


@bp.get("/unit/<int:unit_id>/sebelum-sesudah")
@login_required
def before_after(unit_id: int):
    unit = load_unit(unit_id, access.can_view_unit_dashboard)
    error = None
    pivot = parse_date(request.args.get("tanggal"))
    months = request.args.get("bulan", 6, type=query_int) or 6
    if request.args.get("tanggal") and pivot is None:
        error = "Tanggal tidak dikenali; gunakan format TTTT-BB-HH."
    if not 1 <= months <= 24:
        error, months = "Jumlah bulan pembanding 1 sampai 24.", 6
    result = dashboards.before_after(unit, pivot, months) if pivot else None
    chart = None
    if result is not None:
        chart = value_bars(
            ["Median (hari kerja)", "Persentil 90 (hari kerja)", "Sesuai standar (%)"],
            [
                Series("Sebelum", [result.before.median, result.before.p90, result.before.within_share]),
                Series("Sesudah", [result.after.median, result.after.p90, result.after.within_share]),
            ],
            title="Sebelum dan sesudah",
            label_width=180,
        )
    return render_template(
        "public_service/before_after.html", unit=unit, result=result, pivot=pivot, months=months, error=error,
        chart=chart, today=today_wib(),
    )  # fmt: skip
