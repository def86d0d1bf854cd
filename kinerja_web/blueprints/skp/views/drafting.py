"""Saving while typing: autosave of RHK/IKI rows, inline validation, perilaku and lampiran."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.berakhlak import BERAKHLAK
from ....htmx import trigger_name, wants_fragment
from ....services.skp import autosave as autosave_service
from ....services.skp import cascade, planning
from ....timeutil import now_wib, today_wib
from ....web import attempt
from .. import bp
from ..forms import IndikatorForm, LampiranForm, RhkForm
from .common import CONFLICT, editable_skp, load_skp, page_ctx, render_row

NOT_EDITABLE = "Tidak tersimpan: SKP ini sudah diajukan atau disetujui sehingga tidak dapat diubah lagi."


def slot_prefix(slot: str) -> str:
    """Input names of a slot's fields: the add-RHK form is unprefixed, the add-IKI form of RHK 12 uses `r12-`."""
    if slot == "rhk-baru":
        return ""
    if slot.startswith("iki-baru-"):
        return f"r{slot[9:]}-"
    return slot + "-"


@bp.post("/<int:skp_id>/draf/<slot>")
@login_required
def autosave(skp_id: int, slot: str):
    """Autosave of one RHK/IKI row while typing (HTMX: a status line plus out-of-band messages and token).

    Without JavaScript the row's own "Simpan" button posts here too: saved → back to the page; invalid or
    conflicting → the page again with the input as typed and the message next to it.
    """
    skp = load_skp(skp_id)
    fragment = wants_fragment()
    if not access.can_edit_skp(current_user, skp):
        if fragment and access.is_self(current_user, skp.employee):
            return render_template("skp/_autosave.html", slot=slot, message=NOT_EDITABLE), 409
        access.require(False)
    target = autosave_service.parse_slot(skp, slot)
    if target is None:
        if fragment and autosave_service.SLOT_RE.fullmatch(slot):
            return render_template("skp/_autosave.html", slot=slot, message=autosave_service.DRAFT_GONE), 409
        abort(404)
    saved_row = target.kind in ("rhk", "iki")  # an open row of the table (click-to-edit), not an add form
    if saved_row and "batal" in request.form:
        with attempt(conflict=CONFLICT) as done:
            autosave_service.cancel_edit(skp, target)
        if fragment:
            return render_row(skp, target)
        return redirect(url_for("skp.show", skp_id=skp_id, _anchor=slot), 303)
    prefix = slot_prefix(slot)
    typed = {f: request.form.get(prefix + f, "") for f in target.fields}
    token = request.form.get("token", "")
    conflict = autosave_service.DRAFT_CONFLICT
    draft_only = saved_row and request.form.get("draf") == "1"  # typing in an open row: kept until "Simpan"
    with attempt(flash_category=None, conflict=conflict, conflict_on_integrity=True) as done:
        result = autosave_service.autosave(skp, target, typed, token, today_wib(), draft_only=draft_only)
    if done.conflict:  # another tab saved the same row or draft at the same moment
        result = autosave_service.AutosaveResult(slot, typed, {}, False, token, conflict=conflict)
    elif not done:  # a rule the inline check did not foresee: nothing is kept
        if fragment:
            return render_template("skp/_autosave.html", slot=slot, message="Tidak tersimpan: " + done.message), 422
        flash(done.message, "error")
        return render_template("skp/show.html", **page_ctx(load_skp(skp_id))), 422
    status = 409 if result.conflict else 200
    if fragment and saved_row and "simpan" in request.form:  # "Simpan" answers with the row, closed once saved
        if result.saved:
            return render_row(skp, target)
        return render_row(skp, target, open_row=slot, override=result), 409 if result.conflict else 422
    if fragment:
        return render_template("skp/_autosave.html", slot=slot, result=result, prefix=prefix, now=now_wib()), status
    if result.conflict or result.errors:
        return render_template("skp/show.html", **page_ctx(load_skp(skp_id), override=result)), 422
    if result.saved:
        flash("RHK disimpan." if target.kind == "rhk" else "Indikator disimpan.", "success")
    else:
        flash("Draf disimpan; klik Tambah untuk memasukkannya ke SKP.", "info")
    anchor = f"rhk-{target.rhk.id}" if target.rhk else "tambah-rhk"
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=anchor), 303)


@bp.post("/<int:skp_id>/validasi")
@login_required
def validate_field(skp_id: int):
    """Inline validation of the RHK/IKI forms: validates one field, saves nothing."""
    skp = editable_skp(skp_id)
    name = trigger_name() or ""
    iki = re.fullmatch(r"(r\d+-)?(aspek|indikator|target|satuan)", name)
    if iki:
        form, name = IndikatorForm(prefix=(iki.group(1) or "")[:-1]), iki.group(2)
    else:
        form = RhkForm()
        form.parent_rhk_id.choices = [(None, "")] + [(r.id, "") for r in cascade.atasan_choices(skp, today_wib()).rhks]
    form.validate()
    if name == "target" and form.target.data and not form.target.errors:
        form.target.errors = autosave_service.target_errors(skp.jenis, form.target.data)
    if name not in form._fields:
        return "", 204
    return render_template("skp/_field.html", f=form[name], validate_url=url_for("skp.validate_field", skp_id=skp_id))


@bp.post("/<int:skp_id>/perilaku")
@login_required
def save_perilaku(skp_id: int):
    skp = load_skp(skp_id)
    access.require(access.can_set_ekspektasi(current_user, skp))
    with attempt(flash_category=None, conflict=CONFLICT) as done:
        planning.save_perilaku(skp, {v: request.form.get(f"ekspektasi-{i}", "") for i, v in enumerate(BERAKHLAK)})
    return _section_saved(done, skp_id, "Ekspektasi perilaku kerja disimpan.", "perilaku")


def _section_saved(done, skp_id: int, saved: str, anchor: str):
    """How a section autosaved while typing ends: a status line for HTMX, else the page (error) or a redirect."""
    if not done:
        if wants_fragment():
            return "Belum tersimpan: " + done.message, 422
        flash(done.message, "error")
        return render_template("skp/show.html", **page_ctx(load_skp(skp_id))), 422
    if wants_fragment():  # autosave while typing: a small confirmation instead of a page
        return f"Tersimpan otomatis pukul {now_wib():%H.%M} WIB"
    flash(saved, "success")
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=anchor), 303)


@bp.post("/<int:skp_id>/lampiran")
@login_required
def save_lampiran(skp_id: int):
    skp = editable_skp(skp_id)
    form = LampiranForm()
    if not form.validate():
        if wants_fragment():
            return "Belum tersimpan: " + "; ".join(e for errs in form.errors.values() for e in errs), 422
        return render_template("skp/show.html", **page_ctx(skp, lampiran_form=form)), 422
    with attempt(flash_category=None, conflict=CONFLICT) as done:
        planning.save_lampiran(
            skp, form.dukungan_sumber_daya.data, form.skema_pertanggungjawaban.data, form.konsekuensi.data
        )
    return _section_saved(done, skp_id, "Lampiran SKP disimpan.", "lampiran")
