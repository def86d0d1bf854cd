from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import update

from ... import access
from ...extensions import db
from ...htmx import wants_fragment
from ...models import Notification, utcnow
from ...navigation import unread_count
from ...request_input import page_arg
from ...todos import todos_for
from ...web import attempt, form_targets_answer_get
from . import bp


@bp.get("/")
@login_required
def index():
    stmt = access.visible_notifications(current_user).order_by(Notification.created_at.desc())
    page = db.paginate(stmt, per_page=30, page=page_arg(), error_out=False)
    return render_template("notifications/index.html", page=page, todos=todos_for(current_user))


@bp.post("/<int:notification_id>/baca")
@login_required
def mark_read(notification_id: int):
    n = access.get_visible_or_404(Notification, notification_id, current_user)
    if n.read_at is None:
        with attempt():
            n.read_at = utcnow()
    if wants_fragment():
        return render_template(
            "notifications/_row.html", n=n, oob_badge=True, unread_notifications=unread_count(current_user)
        )
    local = bool(n.link) and n.link.startswith("/") and not n.link.startswith(("//", "/\\"))  # no open redirect
    target = n.link if (local and request.form.get("open")) else url_for("notifications.index")
    return redirect(target, 303)


@bp.post("/baca-semua")
@login_required
def mark_all_read():
    with attempt():
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
        )
    return redirect(url_for("notifications.index"), 303)


# A reload of a form's address after a boosted POST lands on the page holding the form (web.form_targets_answer_get).
form_targets_answer_get(bp, {}, default=lambda **_: url_for("notifications.index"))
