"""The programme catalogue: browse, one programme (participants and daftar peserta for HR), edits by HR."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....extensions import db
from ....models import Programme
from ....services.development import catalogue as programmes
from ....services.development import documents
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import IssueForm, ProgrammeForm
from .shared import flash_issue_failure, issuer_choices


@bp.get("/katalog")
@login_required
def catalogue():
    manage = access.is_hr(current_user)
    rows = programmes.catalogue(current_user.employee, include_inactive=manage)
    return render_template("development/catalogue.html", rows=rows, manage=manage)


@bp.get("/katalog/<int:programme_id>")
@login_required
def programme(programme_id: int):
    p = db.get_or_404(Programme, programme_id)
    manage = access.is_hr(current_user)
    if not p.active and not manage:
        abort(404)
    row = programmes.catalogue(current_user.employee, include_inactive=True)
    row = next(r for r in row if r.programme.id == p.id)
    ctx = {"row": row, "p": p, "manage": manage}
    if access.is_hr(current_user):
        ctx["participants"] = documents.participants(p)
        ctx["daftar_docs"] = documents.daftar_documents(p)
        form = IssueForm(formdata=None)
        form.unit_id.choices = issuer_choices()
        ctx["issue_form"] = form
    return render_template("development/programme.html", **ctx)


def _programme_form_page(p: Programme | None):
    access.require(access.is_hr(current_user))
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm(obj=p, formdata=None)
    if request.method == "POST":
        if form.validate():
            with attempt(form) as done:
                saved = programmes.save_programme(p, form.data)
            if done:
                flash(f"Program «{saved.name}» disimpan.", "success")
                return redirect(url_for("development.programme", programme_id=saved.id), 303)
        return render_template("development/programme_form.html", form=form, p=p), 422
    return render_template("development/programme_form.html", form=form, p=p)


@bp.route("/katalog/baru", methods=["GET", "POST"])
@login_required
def programme_new():
    return _programme_form_page(None)


@bp.route("/katalog/<int:programme_id>/ubah", methods=["GET", "POST"])
@login_required
def programme_edit(programme_id: int):
    return _programme_form_page(db.get_or_404(Programme, programme_id))


@bp.post("/katalog/<int:programme_id>/daftar-peserta")
@login_required
def issue_daftar(programme_id: int):
    access.require(access.is_hr(current_user))
    p = db.get_or_404(Programme, programme_id)
    form = IssueForm()
    form.unit_id.choices = issuer_choices()
    if not form.validate():
        flash("Pilih unit penerbit yang mempunyai kop surat.", "error")
        return redirect(url_for("development.programme", programme_id=p.id), 303)
    # A simultaneous click issued it first: the unique idempotency key answers "sudah diterbitkan".
    with attempt(
        flash_category=None, conflict="Daftar peserta ini sudah diterbitkan.", conflict_on_integrity=True
    ) as done:
        doc = documents.issue_daftar_peserta(p, form.unit_id.data, current_user.id, today_wib())
    if done:
        flash(f"Daftar peserta diterbitkan ({doc.display_number}).", "success")
    else:
        flash_issue_failure(done)
    return redirect(url_for("development.programme", programme_id=p.id), 303)
