"""The SKP page: viewer and editor of RHK and IKI (each change a form post; HTMX swaps the hasil kerja part)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....htmx import render, wants_fragment
from ....models import utcnow
from ....services.skp import autosave as autosave_service
from ....services.skp import cascade, planning
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import IndikatorForm
from .common import CONFLICT, editable_iki, editable_rhk, editable_skp, load_skp, page_ctx, render_row, rhk_form, rhk_of


@bp.get("/<int:skp_id>")
@login_required
def show(skp_id: int):
    skp = load_skp(skp_id)
    return render_template("skp/show.html", **page_ctx(skp, open_row=request.args.get("ubah")))


@bp.get("/<int:skp_id>/baris/<slot>")
@login_required
def row(skp_id: int, slot: str):
    """One saved RHK/IKI row for click-to-edit: read, or with `ubah=1` opened as a form (htmx swaps the row).

    Without htmx the same URL leads to the page with that row open (or closed), at the row."""
    skp = load_skp(skp_id)
    target = autosave_service.parse_slot(skp, slot)
    if target is None or target.kind not in ("rhk", "iki"):
        abort(404)
    opening = request.args.get("ubah") == "1"
    if opening:
        access.require(access.can_edit_skp(current_user, skp))
    if not wants_fragment():
        return redirect(url_for("skp.show", skp_id=skp_id, ubah=slot if opening else None, _anchor=slot), 303)
    return render_row(skp, target, open_row=slot if opening else None)


@bp.post("/<int:skp_id>/rhk")
@login_required
def add_rhk(skp_id: int):
    skp = editable_skp(skp_id)
    choices = cascade.atasan_choices(skp, today_wib())
    form = rhk_form(skp, choices, formdata=request.form)
    if form.validate():
        with attempt(form, conflict=CONFLICT) as done:
            planning.add_rhk(skp, form.kategori.data, form.uraian.data, form.parent_rhk_id.data, today_wib())
        if done:
            if wants_fragment():
                skp = load_skp(skp_id)
                return render("skp/show.html", "hasil_kerja", **page_ctx(skp))
            flash("RHK ditambahkan.", "success")
            return redirect(url_for("skp.show", skp_id=skp.id, _anchor="hasil-kerja"), 303)
    skp = load_skp(skp_id)
    return render("skp/show.html", "hasil_kerja", **page_ctx(skp, rhk_form=form)), 422


@bp.route("/<int:skp_id>/rhk/<int:rhk_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_rhk(skp_id: int, rhk_id: int):
    skp, rhk = editable_rhk(skp_id, rhk_id)
    choices = cascade.atasan_choices(skp, today_wib())
    if request.method == "GET":
        form = rhk_form(skp, choices, obj=rhk)
        form.kategori.data = rhk.kategori.value
        form.lock_version.data = str(skp.lock_version)
        return render_template("skp/rhk_edit.html", skp=skp, rhk=rhk, form=form)
    form = rhk_form(skp, choices, formdata=request.form)
    if form.validate():
        if form.lock_version.data and form.lock_version.data != str(skp.lock_version):
            form.form_errors.append(CONFLICT)
        else:
            with attempt(form, conflict=CONFLICT) as done:
                planning.update_rhk(rhk, form.kategori.data, form.uraian.data, form.parent_rhk_id.data, today_wib())
                skp.updated_at = utcnow()  # bumps lock_version: a stale second tab is told
            if done:
                flash("RHK disimpan.", "success")
                return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)
            if done.conflict:
                skp = load_skp(skp_id)
                rhk = rhk_of(skp, rhk_id)
        form.lock_version.data = str(skp.lock_version)
    return render_template("skp/rhk_edit.html", skp=skp, rhk=rhk, form=form), 422


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/hapus")
@login_required
def delete_rhk(skp_id: int, rhk_id: int):
    skp, rhk = editable_rhk(skp_id, rhk_id)
    return _deleted(skp_id, lambda: planning.delete_rhk(rhk), "RHK dihapus.", "hasil-kerja")


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/iki")
@login_required
def add_indikator(skp_id: int, rhk_id: int):
    skp, rhk = editable_rhk(skp_id, rhk_id)
    form = IndikatorForm(prefix=f"r{rhk_id}")  # one form per RHK on the page: prefixed names keep ids unique
    if form.validate():
        with attempt(form, conflict=CONFLICT) as done:
            planning.add_indikator(rhk, form.aspek.data, form.indikator.data, form.target.data, form.satuan.data)
        if done:
            if wants_fragment():
                return render("skp/show.html", "hasil_kerja", **page_ctx(load_skp(skp_id)))
            flash("Indikator ditambahkan.", "success")
            return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)
    skp = load_skp(skp_id)
    return render("skp/show.html", "hasil_kerja", **page_ctx(skp, iki_errors={rhk_id: form})), 422


@bp.route("/<int:skp_id>/iki/<int:iki_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_indikator(skp_id: int, iki_id: int):
    skp, iki = editable_iki(skp_id, iki_id)
    if request.method == "GET":
        form = IndikatorForm(obj=iki)
        form.aspek.data = iki.aspek.value
        return render_template("skp/iki_edit.html", skp=skp, iki=iki, form=form)
    form = IndikatorForm()
    if form.validate():
        with attempt(form, conflict=CONFLICT) as done:
            planning.update_indikator(iki, form.aspek.data, form.indikator.data, form.target.data, form.satuan.data)
        if done:
            flash("Indikator disimpan.", "success")
            return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{iki.rhk_id}"), 303)
    return render_template("skp/iki_edit.html", skp=skp, iki=iki, form=form), 422


@bp.post("/<int:skp_id>/iki/<int:iki_id>/hapus")
@login_required
def delete_indikator(skp_id: int, iki_id: int):
    skp, iki = editable_iki(skp_id, iki_id)
    anchor = f"rhk-{iki.rhk_id}"
    return _deleted(skp_id, lambda: planning.delete_indikator(iki), "Indikator dihapus.", anchor)


def _deleted(skp_id: int, delete, message: str, anchor: str):
    with attempt(conflict=CONFLICT) as done:
        delete()
    if done:
        flash(message, "success")
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=anchor), 303)


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/pindah")
@login_required
def move_rhk(skp_id: int, rhk_id: int):
    skp, rhk = editable_rhk(skp_id, rhk_id)
    with attempt(conflict=CONFLICT) as done:
        planning.move_rhk(rhk, -1 if request.form.get("arah") == "naik" else 1)
    if done and wants_fragment():
        return render("skp/show.html", "hasil_kerja", **page_ctx(load_skp(skp_id)))
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)
