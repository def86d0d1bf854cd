"""Panduan (sosialisasi): the guide by role with the live rules and the reader's own numbers, its printable PDF,
and the announcements board with read receipts per OPD."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...htmx import wants_fragment
from ...models import Announcement
from ...pdf import render_pdf
from ...services.guide import announcements, content
from ...services.guide.figures import figures_for
from ...timeutil import today_wib
from ...web import attempt
from . import bp
from .forms import AnnouncementForm


@bp.app_context_processor
def _help_link() -> dict:
    """The "?" of every screen: the guide section written for it (None where there is none). A fragment (active
    search, inline validation) has no header: no look-up."""
    if not current_user.is_authenticated or request.endpoint is None or wants_fragment():
        return {}
    s = content.help_for(request.endpoint)
    return {"help_section": s} if s is not None else {}


@bp.get("/")
@login_required
def index():
    mine, rest = content.for_roles(access.guide_roles(current_user))
    return render_template(
        "guide/index.html",
        mine=mine,
        rest=rest,
        unread=announcements.unread_count(current_user),
        latest=announcements.board(current_user)[:3],
    )


@bp.get("/<slug>")
@login_required
def section(slug: str):
    s = content.section(slug)
    if s is None:
        abort(404)
    figures = figures_for(s.figures, current_user.employee, today_wib())
    sections = content.sections()
    i = sections.index(s)
    return render_template(
        "guide/section.html",
        s=s,
        figures=figures,
        prev=sections[i - 1] if i > 0 else None,
        next=sections[i + 1] if i + 1 < len(sections) else None,
    )


@bp.get("/panduan-kinerja.pdf")
@login_required
def pdf():
    """The whole guide for a sosialisasi session: the rules as they stand today, without anyone's own numbers."""
    sections = content.sections()
    today = today_wib()
    figures = {s.slug: figures_for(s.figures, None, today) for s in sections}
    data = render_pdf("guide/pdf.html", sections=sections, figures=figures, today=today)
    resp = current_app.response_class(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = 'inline; filename="panduan-kinerja.pdf"'
    return resp


# ----------------------------------------------------------------------------------- announcements


@bp.get("/pengumuman")
@login_required
def board():
    hr = access.can_post_announcement(current_user)
    return render_template("guide/board.html", items=announcements.board(current_user, include_withdrawn=hr), hr=hr)


@bp.route("/pengumuman/baru", methods=["GET", "POST"])
@login_required
def post():
    access.require(access.can_post_announcement(current_user))
    form = AnnouncementForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            a = announcements.post(form.title.data, form.body.data, current_user)
        if done:
            flash("Pengumuman terbit dan tampil bagi semua pengguna.", "success")
            return redirect(url_for("guide.announcement", announcement_id=a.id), 303)
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("guide/post.html", form=form), status


@bp.get("/pengumuman/<int:announcement_id>")
@login_required
def announcement(announcement_id: int):
    """Opening an announcement is its read receipt (the first time only)."""
    a = db.get_or_404(Announcement, announcement_id)
    hr = access.can_view_read_receipts(current_user)
    if a.is_withdrawn and not hr:
        abort(404)
    if not a.is_withdrawn:
        with attempt():
            announcements.mark_read(a, current_user)
    receipts = announcements.receipts(a) if hr else None
    return render_template("guide/announcement.html", a=a, receipts=receipts, hr=hr)


@bp.get("/pengumuman/<int:announcement_id>/tarik")
@login_required
def withdraw_confirm(announcement_id: int):
    access.require(access.can_post_announcement(current_user))
    a = db.get_or_404(Announcement, announcement_id)
    return render_template("guide/withdraw.html", a=a)


@bp.post("/pengumuman/<int:announcement_id>/tarik")
@login_required
def withdraw(announcement_id: int):
    access.require(access.can_post_announcement(current_user))
    a = db.get_or_404(Announcement, announcement_id)
    with attempt() as done:
        announcements.withdraw(a)
    if done:
        flash("Pengumuman ditarik; pegawai tidak lagi melihatnya.", "success")
    return redirect(url_for("guide.board"), 303)
