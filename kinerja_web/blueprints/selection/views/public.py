"""What every employee sees: open selections, the announcement with its published pass lists, applying, and a
candidate's own results (never another candidate's scores)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .... import access, audit
from ....domain.selection import Pendidikan, StageStatus
from ....extensions import db
from ....services.documents import search
from ....services.selection import documents, setup, stages
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import ApplyForm
from .common import selection_or_404


@bp.get("/")
@login_required
def index():
    """Open selections to apply for, my candidacies and pansel work; HR sees every selection."""
    emp_id = current_user.employee_id
    return render_template(
        "selection/index.html",
        open_selections=setup.open_selections(today_wib()),
        mine=setup.candidacies_of(emp_id) if emp_id else [],
        pansel=setup.selections_of_member(emp_id) if emp_id else [],
        all_selections=setup.all_selections() if access.can_manage_selection(current_user) else [],
        hr=access.can_manage_selection(current_user),
    )


def _show(sel, form=None, status=200):
    cand = setup.candidate_of(sel, current_user)
    by_stage = stages.results_by_stage(sel) if cand is not None else {}
    own = [
        (s, by_stage[s.id].get(cand.id))
        for s in sel.stages
        if cand is not None and s.status == StageStatus.CLOSED and by_stage[s.id].get(cand.id) is not None
    ]
    return render_template(
        "selection/show.html",
        sel=sel,
        candidate=cand,
        own=own,
        pass_lists=[(s, stages.pass_list(s)) for s in sel.stages if s.status == StageStatus.CLOSED],
        can_apply=access.can_apply(current_user, sel) and cand is None and setup.member_of(sel, current_user) is None,
        form=form or ApplyForm(formdata=None),
        hr=access.can_manage_selection(current_user),
        member=setup.member_of(sel, current_user),
    ), status


@bp.get("/<int:selection_id>")
@login_required
def show(selection_id: int):
    return _show(selection_or_404(selection_id))


@bp.post("/<int:selection_id>/daftar")
@login_required
def apply(selection_id: int):
    sel = selection_or_404(selection_id)
    access.require(access.can_apply(current_user, sel))
    form = ApplyForm()
    if not form.validate():
        return _show(sel, form, 422)
    with attempt(form) as done:
        pendidikan = Pendidikan(form.pendidikan.data) if form.pendidikan.data else None
        setup.apply(sel, current_user.employee, pendidikan, today_wib(), current_user)
    if not done:
        return _show(sel, form, 422)
    flash("Pendaftaran Anda tercatat. Hasil setiap tahap dapat Anda lihat di halaman ini.", "success")
    return redirect(url_for("selection.show", selection_id=sel.id), 303)


@bp.get("/<int:selection_id>/dokumen/<int:doc_id>")
@login_required
def document(selection_id: int, doc_id: int):
    """A Pengumuman (every employee), the Berita Acara or the usulan (HR and the pansel): the stored PDF."""
    sel = selection_or_404(selection_id)
    doc = documents.document_of(sel, doc_id)
    if doc is None:
        abort(404)
    access.require(access.can_download_selection_document(current_user, sel, doc))
    with attempt() as done:
        audit.record(db.session, "unduh_seleksi", "issued_document", doc.id, f"{doc.title}"[:300])
    if not done:
        return redirect(url_for("selection.show", selection_id=sel.id), 303)
    resp = current_app.response_class(search.stored_pdf(doc), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{doc.doc_type.value}-{doc.id}.pdf"'
    return resp
