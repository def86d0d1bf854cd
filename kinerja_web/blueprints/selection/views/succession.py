"""HR's succession list of key posts, the list of posts falling vacant, and the selection-vs-other report."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from .... import access
from ....domain.predikat import Predikat
from ....domain.selection import VACANCY_HORIZON_MONTHS
from ....services.selection import report, succession
from ....timeutil import today_wib
from .. import bp


@bp.get("/suksesi")
@login_required
def succession_list():
    """Every key post (JPT, administrator) with incumbent, retirement date and talent-pool candidates;
    `?kosong=1` lists only the posts vacant now or falling vacant within 24 months."""
    access.require(access.can_view_succession(current_user))
    vacant_only = request.args.get("kosong") == "1"
    today = today_wib()
    rows = succession.succession(today, within_months=VACANCY_HORIZON_MONTHS if vacant_only else None)
    return render_template(
        "selection/succession.html", rows=rows, vacant_only=vacant_only, horizon=VACANCY_HORIZON_MONTHS, today=today
    )


@bp.get("/laporan")
@login_required
def report_page():
    """Predikat in the years after an appointment through selection versus other appointments, side by side."""
    access.require(access.can_view_succession(current_user))
    years, least = report.predikat_report(today_wib())
    return render_template(
        "selection/report.html",
        years=years,
        least=least,
        predikat=list(Predikat),
        groups=report.GROUP_LABELS,
    )
