"""Go-live readiness checklist: /admin/kesiapan (administrator; HR and finance read it)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ... import access
from ...services.golive import readiness
from ...timeutil import today_wib
from . import bp


@bp.get("/kesiapan")
@login_required
def readiness_checklist():
    access.require(access.can_view_readiness(current_user))
    today = today_wib()
    sections = readiness.checklist(today)
    return render_template(
        "admin/readiness.html", sections=sections, today=today, open_count=sum(1 for s in sections if not s.ready)
    )
