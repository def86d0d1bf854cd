from __future__ import annotations

from collections import Counter

from flask import render_template, request
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...models import Unit
from ...services.org import units
from ...services.org.data_quality import KINDS, data_quality_issues
from ...timeutil import today_wib
from . import bp


@bp.get("/")
@login_required
def tree():
    return render_template("org/tree.html", rows=units.unit_tree(), leaders=units.unit_leaders(today_wib()))


@bp.get("/unit/<int:unit_id>")
@login_required
def unit(unit_id: int):
    u = db.get_or_404(Unit, unit_id)
    return render_template("org/unit.html", unit=u, positions=units.unit_positions(u, today_wib()))


@bp.get("/kualitas-data")
@login_required
def data_quality():
    access.require(access.is_hr(current_user))
    issues = data_quality_issues(today_wib())
    counts = Counter(i.kind for i in issues)
    kind = request.args.get("jenis", "")
    shown = [i for i in issues if not kind or i.kind == kind]
    return render_template(
        "org/data_quality.html", issues=shown, counts=counts, kinds=KINDS, kind=kind, total=len(issues)
    )
