from __future__ import annotations

from collections import Counter

from flask import abort, render_template, request
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...models import Unit
from ...timeutil import today_wib
from . import bp, services


@bp.get("/")
@login_required
def tree():
    return render_template("org/tree.html", rows=services.unit_tree(), leaders=services.unit_leaders(today_wib()))


@bp.get("/unit/<int:unit_id>")
@login_required
def unit(unit_id: int):
    u = db.session.get(Unit, unit_id)
    if u is None:
        abort(404)
    return render_template("org/unit.html", unit=u, positions=services.unit_positions(u, today_wib()))


@bp.get("/kualitas-data")
@login_required
def data_quality():
    access.require(access.can_view_data_quality(current_user))
    issues = services.data_quality_issues(today_wib())
    counts = Counter(i.kind for i in issues)
    kind = request.args.get("jenis", "")
    shown = [i for i in issues if not kind or i.kind == kind]
    return render_template(
        "org/data_quality.html", issues=shown, counts=counts, kinds=services.KINDS, kind=kind, total=len(issues)
    )
