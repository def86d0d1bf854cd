"""The development dashboard (JP coverage per OPD, the referral funnel, pembinaan kinerja outcomes) and the
effectiveness report (next cycle's results of finished referrals, per programme)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user, login_required

from .... import access, charts, uploads
from ....domain.development import ReasonKind
from ....extensions import db
from ....models import Unit
from ....request_input import query_int
from ....services.development import dashboard as dashboards
from ....services.development import outcomes as loop
from ....services.development import queue as work_queue
from ....services.org import units
from ....timeutil import today_wib
from .. import bp

# --- dashboard ------------------------------------------------------------------------------------------


def _dashboard_data():
    """The year asked for (this year by default), JP coverage per OPD and the funnels (all reasons, then each)."""
    access.require(access.can_view_dashboards(current_user))
    scope = access.dashboard_units(current_user)
    year = request.args.get("tahun", type=query_int) or today_wib().year
    coverage = dashboards.jp_coverage(year, scope)
    funnels = {"Semua alasan": dashboards.funnel(year, unit_ids=scope)}
    for reason in ReasonKind:
        funnels[reason.label] = dashboards.funnel(year, reason, scope)
    return year, coverage, funnels


def _xlsx(data: bytes, filename: str) -> Response:
    resp = Response(data, mimetype=uploads.XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def _nice_step(top: int) -> int:
    """Axis step giving at most five ticks: 1, 2, 5, 10, 20, 50 …"""
    base = 1
    while True:
        for step in (base, 2 * base, 5 * base):
            if top <= 5 * step:
                return step
        base *= 10


@bp.get("/dasbor")
@login_required
def dashboard():
    """JP coverage per OPD (share with ≥ 20 JP), the referral funnel and pembinaan kinerja outcomes."""
    year, coverage, funnels = _dashboard_data()
    coverage_chart = charts.grouped_bars(
        [r.opd for r in coverage],
        [charts.Series("Pegawai dengan ≥ 20 JP (%)", [r.percent for r in coverage])],
        title=f"Cakupan 20 JP per perangkat daerah, {year}",
        max_value=100,
        width=820,
        label_width=360,
        tick_step=20,
    )
    main = funnels["Semua alasan"]
    step = _nice_step(main.suggested)
    funnel_max = max(step, -(-main.suggested // step) * step)
    funnel_chart = charts.grouped_bars(
        [label for label, _ in main.stages()],
        [charts.Series("Rujukan", [n for _, n in main.stages()])],
        title=f"Corong rujukan {year}",
        max_value=funnel_max,
        label_width=120,
        bar_height=16,
        tick_step=step,
    )
    return render_template(
        "development/dashboard.html",
        year=year,
        coverage=coverage,
        funnels=funnels,
        pembinaan=funnels[ReasonKind.PREDIKAT_RENDAH.label],
        plan_outcomes=dashboards.plan_outcome_counts(year, access.dashboard_units(current_user)),
        coverage_chart=coverage_chart,
        funnel_chart=funnel_chart,
    )


@bp.get("/dasbor.xlsx")
@login_required
def dashboard_xlsx():
    year, coverage, funnels = _dashboard_data()
    return _xlsx(dashboards.dashboard_xlsx(year, coverage, funnels), f"pengembangan-kompetensi-{year}.xlsx")


# --- closing the loop: effectiveness per programme -------------------------------------------------------


def _effectiveness_data():
    """The year asked for (last year by default: its referrals have this year's results), the OPD, the rows."""
    access.require(access.can_view_dashboards(current_user))
    scope = access.dashboard_units(current_user)
    year = request.args.get("tahun", type=query_int)
    if year is None and "tahun" not in request.args:
        year = today_wib().year - 1  # last year's referrals have this year's results
    opd_id = request.args.get("opd", type=query_int)
    opd = db.session.get(Unit, opd_id) if opd_id else None
    unit_ids = units.subtree_ids(opd) if opd else scope
    if opd and scope is not None:
        unit_ids = [u for u in unit_ids if u in set(scope)]  # a pimpinan's choice of OPD stays inside the scope
    return year, opd, loop.effectiveness(year, unit_ids)


def _visible_opds() -> list[Unit]:
    """The OPD filter's choices: every OPD for HR, those in the scope for a pimpinan."""
    scope = access.dashboard_units(current_user)
    return [u for u in work_queue.opds() if scope is None or u.id in set(scope)]


@bp.get("/efektivitas")
@login_required
def effectiveness():
    """Per programme: finished referrals, how many have the next cycle's result, % improved, average change."""
    year, opd, rows = _effectiveness_data()
    measured = [r for r in rows if r.percent_improved is not None]  # only rows with next-cycle data have a bar
    chart = (
        charts.grouped_bars(
            [r.label for r in measured],
            [charts.Series("Membaik (% dari yang sudah ada data)", [r.percent_improved for r in measured])],
            title="Persentase membaik per program",
            max_value=100,
            width=820,
            label_width=380,
            tick_step=20,
        )
        if measured
        else None
    )
    return render_template(
        "development/effectiveness.html",
        rows=rows,
        chart=chart,
        year=year,
        opd=opd,
        opds=_visible_opds(),
    )


@bp.get("/efektivitas.xlsx")
@login_required
def effectiveness_xlsx():
    year, opd, rows = _effectiveness_data()
    title = f"Efektivitas program pengembangan {year or 'semua tahun'}" + (f", {opd.name}" if opd else "")
    return _xlsx(loop.effectiveness_xlsx(title, rows), f"efektivitas-pengembangan-{year or 'semua'}.xlsx")
