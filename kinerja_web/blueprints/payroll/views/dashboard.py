"""TPP dashboard pages: the dashboard, its XLSX export, the pagu anggaran TPP form."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, uploads
from ....domain.labels import NAMA_BULAN, persen, rupiah
from ....request_input import query_int
from ....services.payroll.dashboard import (
    Period,
    analyse,
    budgets,
    charts,
    dashboard_xlsx,
    set_budget,
    spend_by_opd,
    years,
)
from ....services.payroll.runs import opd_units
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import TppBudgetForm


def period_from_args() -> Period:
    today = today_wib()
    year = request.args.get("tahun", type=query_int) or today.year
    until = request.args.get("sampai", type=query_int) or 12
    if not 2000 <= year <= 2100:
        year = today.year
    return Period(year, min(max(until, 1), 12))


# -------------------------------------------------------------------------------------------- routes


def _dashboard_data():
    """The period asked for, and the spend per OPD and the analysis of the OPDs the user may see (all for
    finance and HR, a pimpinan's scope)."""
    access.require(access.can_view_tpp_dashboard(current_user))
    period = period_from_args()
    scope = access.dashboard_units(current_user)
    return period, spend_by_opd(period, scope), analyse(period, scope)


@bp.get("/dasbor")
@login_required
def dashboard():
    period, spend, analysis = _dashboard_data()
    return render_template(
        "payroll/dasbor.html",
        period=period,
        years=years(),
        months=list(enumerate(NAMA_BULAN, start=1)),
        spend=spend,
        totals={
            "pagu": sum(s.pagu or 0 for s in spend),
            "total": sum(s.total for s in spend),
        },
        analysis=analysis,
        charts=charts(spend, analysis),
        persen=persen,
    )


@bp.get("/dasbor.xlsx")
@login_required
def dashboard_export():
    period, spend, analysis = _dashboard_data()
    data = dashboard_xlsx(period, spend, analysis)
    return Response(
        data,
        mimetype=uploads.XLSX,
        headers={"Content-Disposition": f'attachment; filename="dasbor-tpp-{period.year}-sd{period.until:02d}.xlsx"'},
    )


def _budget_page(form: TppBudgetForm, year: int, status: int = 200):
    return render_template(
        "payroll/pagu.html", form=form, year=year, years=years(), units=opd_units(), budgets=budgets(year)
    ), status


@bp.route("/pagu-tpp", methods=["GET", "POST"])
@login_required
def budget():
    access.require(access.can_manage_tpp_budget(current_user))
    year = request.args.get("tahun", type=query_int) or today_wib().year
    form = TppBudgetForm()
    form.opd_id.choices = [(0, "— pilih OPD —")] + [(u.id, u.name) for u in opd_units()]
    if request.method == "GET":
        form.year.data = year
        return _budget_page(form, year)
    if not form.validate_on_submit():
        return _budget_page(form, form.year.data or year, 422)
    with attempt(form) as done:
        budget = set_budget(form.opd_id.data, form.year.data, form.rupiah, (form.note.data or "").strip(), current_user)
    if not done:
        return _budget_page(form, form.year.data or year, 422)
    flash(f"Pagu TPP {budget.opd.name} tahun {budget.year} disimpan: {rupiah(budget.amount)}.", "success")
    return redirect(url_for("payroll.budget", tahun=budget.year), 303)
