"""HR pages: periods, RHK templates per jabatan, and SKP monitoring per OPD."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.skp import Frequency, PeriodStatus
from ....extensions import db
from ....models import Period, RhkTemplate, Unit
from ....request_input import page_arg, query_int
from ....services.skp import monitoring as monitoring_service
from ....services.skp import planning
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import PeriodForm, RhkTemplateForm
from .common import CONFLICT


def _create(form, create: Callable[[], object], saved: str, endpoint: str):
    """The POST half of an HR list page: valid and accepted → the message and back to the list; else None."""
    if form.validate():
        with attempt(form, conflict=CONFLICT) as done:
            create()
        if done:
            flash(saved, "success")
            return redirect(url_for(endpoint), 303)
    return None


def _status() -> int:
    """A list page shown again after a POST shows a form that was not accepted."""
    return 422 if request.method == "POST" else 200


@bp.route("/periode", methods=["GET", "POST"])
@login_required
def periods():
    access.require(access.is_hr(current_user))
    form = PeriodForm() if request.method == "POST" else PeriodForm(formdata=None)
    if request.method == "POST":
        created = _create(
            form,
            lambda: planning.create_period(
                form.year.data, Frequency(form.frequency.data), form.start_date.data, form.end_date.data
            ),
            f"Periode {form.year.data} dibuka.",
            "skp.periods",
        )
        if created:
            return created
    return render_template("skp/periods.html", form=form, periods=planning.all_periods()), _status()


@bp.post("/periode/<int:period_id>/status")
@login_required
def period_status(period_id: int):
    access.require(access.is_hr(current_user))
    period = db.get_or_404(Period, period_id)
    target = PeriodStatus.CLOSED if request.form.get("status") == "ditutup" else PeriodStatus.OPEN
    with attempt(conflict=CONFLICT) as done:
        planning.set_period_status(period, target)
    if done:
        flash(f"Periode {period.year} {target.label.lower()}.", "success")
    return redirect(url_for("skp.periods"), 303)


@bp.route("/templat", methods=["GET", "POST"])
@login_required
def templates():
    access.require(access.is_hr(current_user))
    form = RhkTemplateForm() if request.method == "POST" else RhkTemplateForm(formdata=None)
    form.position_id.choices = [(None, "– pilih jabatan –")] + planning.position_choices()
    if request.method == "POST":
        fields = ("position_id", "kategori", "uraian", "aspek", "indikator", "target", "satuan")
        created = _create(
            form,
            lambda: planning.add_template(*(form[f].data for f in fields)),
            "Templat RHK diterbitkan.",
            "skp.templates",
        )
        if created:
            return created
    return render_template("skp/templates.html", form=form, rows=planning.templates_list()), _status()


@bp.post("/templat/<int:template_id>/hapus")
@login_required
def delete_template(template_id: int):
    access.require(access.is_hr(current_user))
    with attempt(conflict=CONFLICT) as done:
        planning.delete_template(db.get_or_404(RhkTemplate, template_id))
    if done:
        flash("Templat RHK dihapus.", "success")
    return redirect(url_for("skp.templates"), 303)


def _monitoring_period() -> Period | None:
    periods = planning.all_periods()
    wanted = request.args.get("periode", type=query_int)
    return next((p for p in periods if p.id == wanted), periods[0] if periods else None)


@bp.get("/pemantauan")
@login_required
def monitoring():
    access.require(access.is_hr(current_user))
    period = _monitoring_period()
    rows, window = monitoring_service.monitoring(period, today_wib()) if period else ([], None)
    return render_template(
        "skp/monitoring.html", rows=rows, period=period, periods=planning.all_periods(), window=window
    )


@bp.get("/pemantauan.xlsx")
@login_required
def monitoring_export():
    access.require(access.is_hr(current_user))
    period = _monitoring_period()
    if period is None:
        abort(404)
    rows, _ = monitoring_service.monitoring(period, today_wib())
    resp = Response(
        monitoring_service.monitoring_xlsx(rows, period),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp.headers["Content-Disposition"] = f'attachment; filename="pemantauan-skp-{period.year}.xlsx"'
    return resp


@bp.get("/pemantauan/<int:unit_id>")
@login_required
def monitoring_opd(unit_id: int):
    access.require(access.is_hr(current_user))
    opd = db.get_or_404(Unit, unit_id)
    period = _monitoring_period()
    if period is None:
        abort(404)
    rows = monitoring_service.opd_drilldown(opd, period, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("skp/monitoring_opd.html", opd=opd, period=period, rows=rows)
