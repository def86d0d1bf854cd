"""Dasbor penilaian: predikat per OPD (heat map) and 360 cycle progress, each with an XLSX export. HR sees every
unit; a pimpinan (read-only) only the units of their scope (`access.dashboard_units`)."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user, login_required

from ... import access, uploads
from ...charts import heat_map, progress_bars
from ...domain.predikat import Predikat
from ...models import ANNUAL, EvaluationCycle, Period
from ...request_input import page_arg, query_int
from ...services.dashboards import evaluation
from . import bp


@bp.before_request
@login_required
def _hr_or_pimpinan():
    access.require(access.can_view_dashboards(current_user))


def _xlsx(body: bytes, filename: str) -> Response:
    return Response(body, mimetype=uploads.XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _period_and_window() -> tuple[Period | None, int, list[Period]]:
    periods = evaluation.periods()
    wanted = request.args.get("periode", type=query_int)
    period = next((p for p in periods if p.id == wanted), periods[0] if periods else None)
    if wanted and (period is None or period.id != wanted):
        abort(404)
    window_no = request.args.get("jendela", ANNUAL, type=query_int)
    if period is not None and window_no != ANNUAL and window_no not in {w.index for w in period.windows}:
        abort(404)
    return period, window_no, periods


def _window_label(period: Period, window_no: int) -> str:
    if window_no == ANNUAL:
        return f"Tahunan {period.year}"
    return next(f"{w.label} {period.year}" for w in period.windows if w.index == window_no)


@bp.get("/")
def predikat():
    """Sebaran predikat final per OPD: heat map (jumlah dan persen) dan tabel yang sama."""
    period, window_no, periods = _period_and_window()
    ctx: dict = {"period": period, "periods": periods, "window_no": window_no, "predikat": list(Predikat)}
    if period is not None:
        label = _window_label(period, window_no)
        rows = evaluation.predikat_per_opd(period, window_no, access.dashboard_units(current_user))
        total = evaluation.predikat_total(rows)
        ctx.update(
            rows=rows,
            total=total,
            total_rated=sum(total.values()),
            total_shares={p: evaluation.share(total.get(p, 0), sum(total.values())) for p in Predikat},
            window_label=label,
            windows=[(ANNUAL, f"Tahunan {period.year}")]
            + [(w.index, f"{w.label} {period.year}") for w in period.windows],
            chart=heat_map(
                [r.opd.name for r in rows],
                [p.label for p in Predikat],
                [[r.counts.get(p, 0) for p in Predikat] for r in rows],
                title=f"Sebaran predikat kinerja final per OPD — {label}",
            )
            if rows
            else None,
        )
    return render_template("hr_dashboards/predikat.html", **ctx)


@bp.get("/predikat.xlsx")
def predikat_xlsx():
    period, window_no, _ = _period_and_window()
    if period is None:
        abort(404)
    label = _window_label(period, window_no)
    body = evaluation.predikat_xlsx(
        evaluation.predikat_per_opd(period, window_no, access.dashboard_units(current_user)),
        f"Sebaran predikat final — {label}",
    )
    return _xlsx(body, f"sebaran-predikat-{period.year}-{window_no}.xlsx")


def _cycle() -> tuple[EvaluationCycle | None, list[EvaluationCycle]]:
    cycles = evaluation.cycles()
    wanted = request.args.get("siklus", type=query_int)
    if wanted:
        cycle = next((c for c in cycles if c.id == wanted), None)
        if cycle is None:
            abort(404)
        return cycle, cycles
    return (cycles[0] if cycles else None), cycles


@bp.get("/360")
def progress():
    """Kemajuan siklus 360: per unit dan per penilai, siapa yang belum menilai siapa. Status saja, bukan jawaban."""
    cycle, cycles = _cycle()
    only_pending = request.args.get("belum") == "1"
    ctx: dict = {"cycle": cycle, "cycles": cycles, "only_pending": only_pending}
    if cycle is not None:
        units = evaluation.progress_per_unit(cycle, access.dashboard_units(current_user))
        ctx.update(
            units=units,
            raters=evaluation.rater_page(
                cycle, only_pending, access.dashboard_units(current_user), page_arg(), current_app.config["PAGE_SIZE"]
            ),
            done=sum(u.done for u in units),
            expected=sum(u.expected for u in units),
            chart=progress_bars(
                [u.unit.name if u.unit else "–" for u in units],
                [u.done for u in units],
                [u.expected for u in units],
                title=f"Penilaian 360 selesai per unit — {cycle.name}",
            )
            if units
            else None,
        )
        ctx["total_share"] = evaluation.share(ctx["done"], ctx["expected"])
    return render_template("hr_dashboards/progress.html", **ctx)


@bp.get("/360.xlsx")
def progress_xlsx():
    cycle, _ = _cycle()
    if cycle is None:
        abort(404)
    body = evaluation.progress_xlsx(
        evaluation.progress_per_unit(cycle, access.dashboard_units(current_user)),
        evaluation.progress_per_rater(cycle, unit_ids=access.dashboard_units(current_user)),
        f"Kemajuan {cycle.name}",
    )
    return _xlsx(body, f"kemajuan-360-{cycle.id}.xlsx")
