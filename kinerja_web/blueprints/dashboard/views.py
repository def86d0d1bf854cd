from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ... import access
from ...models import StatusAsn
from ...services import datacache
from ...services.dashboards import evaluation, home
from ...timeutil import today_wib
from ...todos import todos_for
from . import bp


@bp.get("/")
@login_required
def index():
    today = today_wib()
    user = current_user._get_current_object()
    # The to-do counts and the atasan/team cards only change with audited data, so they are cached per worker
    # under the data version (services/datacache.py); the dashboard is the page everybody opens all day.
    ctx: dict = {"todos": datacache.cached("dashboard_todos", lambda: tuple(todos_for(user)), user.id, today)}
    ctx["today"] = today
    emp = user.employee
    if emp is not None:
        ctx["me"] = emp
        ctx["my_position"], ctx["appraiser"], ctx["team"] = datacache.cached(
            "dashboard_people", lambda: home.people(emp, today), emp.id, today
        )
        ctx["year"] = datacache.cached("dashboard_my_year", lambda: home.my_year(emp, today), emp.id, today)
        ctx["forms_360"] = home.open_360_forms(emp)
        if ctx["team"]:
            team_ids = [t.id for t in ctx["team"]]
            ctx["team_year"] = datacache.cached(
                "dashboard_team_year", lambda: home.team_year(user, team_ids, today), emp.id, today
            )
            ctx["team_360"] = evaluation.progress_of_employees(team_ids)
    ctx["recent"] = home.recent_notifications(access.visible_notifications(current_user))
    if access.is_hr(current_user) or access.is_finance(current_user):
        rows = datacache.cached("dashboard_by_status", home.count_by_status)
        ctx["by_status"] = {StatusAsn(s).label: n for s, n in rows}
        ctx["total_employees"] = sum(n for _, n in rows)
    if access.is_hr(current_user):
        ctx["cycle"] = datacache.cached("dashboard_cycle_progress", lambda: home.cycle_progress(today), today)
    if access.is_finance(current_user):
        ctx["missing_bank"], ctx["missing_ptkp"] = datacache.cached("dashboard_payroll_gaps", home.payroll_gaps)
        run = ctx["run"] = home.current_run()
        if run is not None:
            ctx["run_waits_for"] = home.RUN_WAITS_FOR.get(run.status)
            ctx["run_refusal"] = access.refusal_of_run_step(user, run)
    if access.is_admin(current_user):
        ctx["user_count"], ctx["locked_count"] = home.user_counts()
    return render_template("dashboard/index.html", **ctx)
