"""Approval workflow: submit, approve or return, a new version, history, the inbox and bulk approval."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.workflow import SkpStatus
from ....request_input import ids_in
from ....services.skp import inbox as inbox_queries
from ....services.skp import planning, versions, workflow
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import ReviseForm
from .common import CONFLICT, load_skp, own_employee, page_ctx


@bp.post("/<int:skp_id>/ajukan")
@login_required
def submit(skp_id: int):
    skp = load_skp(skp_id)
    access.require(access.is_self(current_user, skp.employee))
    with attempt(conflict=CONFLICT) as done:
        access.require(access.can_edit_skp(current_user, skp) or skp.status == SkpStatus.SUBMITTED)
        workflow.submit_skp(skp, current_user, today_wib())
    if not done:
        return render_template("skp/show.html", **page_ctx(load_skp(skp_id))), 422
    flash("SKP berhasil diajukan ke pejabat penilai.", "success")
    return redirect(url_for("skp.show", skp_id=skp_id), 303)


def _decide(skp_id: int, action: str):
    skp = load_skp(skp_id)
    if skp.status != SkpStatus.SUBMITTED:
        # Second click of a double submit, or another tab was faster: say so, change nothing.
        flash("SKP ini sudah diproses sebelumnya.", "info")
        return redirect(url_for("skp.show", skp_id=skp_id), 303)
    access.require(access.can_approve_skp(current_user, skp))
    with attempt(flash_category=None, conflict=CONFLICT) as done:
        if action == "approve":
            workflow.approve_skp(skp, current_user, today_wib())
        else:
            comments = {r.id: request.form.get(f"komentar-{r.id}", "") for r in skp.rhks}
            workflow.return_skp(skp, current_user, comments, request.form.get("note", ""))
    if not done:
        if done.field == "note":  # next to the field, with whatever was typed kept
            ctx = page_ctx(load_skp(skp_id), return_error=done.message, return_values=request.form)
            return render_template("skp/show.html", **ctx), 422
        flash(done.message, "error")
        return render_template("skp/show.html", **page_ctx(load_skp(skp_id))), 422
    flash("SKP disetujui." if action == "approve" else "SKP dikembalikan kepada pegawai.", "success")
    return redirect(url_for("skp.inbox"), 303)


@bp.post("/<int:skp_id>/setujui")
@login_required
def approve(skp_id: int):
    return _decide(skp_id, "approve")


@bp.post("/<int:skp_id>/kembalikan")
@login_required
def return_(skp_id: int):
    return _decide(skp_id, "return")


@bp.post("/<int:skp_id>/versi-baru")
@login_required
def revise(skp_id: int):
    skp = load_skp(skp_id)
    access.require(access.can_revise_skp(current_user, skp))
    form = ReviseForm()
    if form.validate():
        with attempt(form, conflict=CONFLICT) as done:
            new = planning.revise_skp(skp, form.reason.data)
        if done:
            flash(f"Versi {new.version} dibuat. Ubah lalu ajukan kembali untuk disetujui.", "success")
            return redirect(url_for("skp.show", skp_id=new.id), 303)
    return render_template("skp/show.html", **page_ctx(skp, revise_form=form)), 422


@bp.get("/<int:skp_id>/riwayat")
@login_required
def history(skp_id: int):
    skp = load_skp(skp_id)
    rows = versions.versions_of(skp)
    return render_template("skp/history.html", skp=skp, versions=rows, diffs=versions.version_diffs(rows))


@bp.get("/persetujuan")
@login_required
def inbox():
    emp = own_employee()
    rows = inbox_queries.inbox(emp, today_wib())
    waiting = inbox_queries.realisasi_awaiting_feedback(emp, current_user)
    unchanged = inbox_queries.unchanged_resubmissions(rows)
    return render_template("skp/inbox.html", rows=rows, waiting=waiting, unchanged=unchanged)


@bp.post("/persetujuan/massal")
@login_required
def bulk_approve():
    """Approve several unchanged resubmissions at once (each still through the guarded status update)."""
    own_employee()
    ids = ids_in(request.form.getlist("skp_id"))
    with attempt(conflict=CONFLICT) as done:
        n = workflow.bulk_approve(ids, current_user, today_wib())
    if done:
        flash(f"{n} SKP disetujui." if n else "Tidak ada SKP yang disetujui.", "success" if n else "info")
    return redirect(url_for("skp.inbox"), 303)
