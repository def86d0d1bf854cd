"""Pohon kinerja: the cascading tree of a unit."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from .... import access
from ....extensions import db
from ....models import Period, Unit
from ....request_input import query_int
from ....services.skp import cascade, planning
from .. import bp


@bp.get("/pohon")
@login_required
def pohon():
    periods = planning.all_periods()
    emp = current_user.employee
    unit_id = request.args.get("unit", type=query_int) or (emp.unit_id if emp else None)
    period_id = request.args.get("periode", type=query_int) or (periods[0].id if periods else None)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    period = db.session.get(Period, period_id) if period_id else None
    if unit is not None:
        access.require(access.can_view_pohon(current_user, unit))
    tree = cascade.pohon_kinerja(unit, period) if unit and period else None
    units = cascade.units_for_pohon() if access.is_hr(current_user) else ([unit] if unit else [])
    return render_template("skp/pohon.html", unit=unit, period=period, periods=periods, units=units, tree=tree)
