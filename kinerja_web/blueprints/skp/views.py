"""SKP pages. Every view: load (404) → authorize (403) → service (flush) → commit once → 303 redirect."""

from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from ... import access, uploads
from ...domain import DomainError
from ...domain.skp import BERAKHLAK, Aspek, Frequency, PeriodStatus, SkpJenis
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...htmx import render, trigger_name, wants_fragment
from ...models import (
    DocStatus,
    DocType,
    Evidence,
    Indikator,
    IssuedDocument,
    Period,
    Realisasi,
    Rhk,
    RhkTemplate,
    Skp,
    Unit,
)
from ...request_input import ids_in, query_int
from ...services import skp_documents
from ...services.skp import berakhlak_guides, render_skp_context
from ...timeutil import now_wib, today_wib
from . import bp, services
from .forms import (
    CreateSkpForm,
    FeedbackForm,
    IndikatorForm,
    LampiranForm,
    PeriodForm,
    ReviseForm,
    RhkForm,
    RhkTemplateForm,
)

CONFLICT = "SKP ini telah diubah di tab atau perangkat lain sejak halaman dibuka. Isian Anda belum disimpan; periksa lalu simpan ulang."


# --- helpers -------------------------------------------------------------------------------------------


def _load(skp_id: int) -> Skp:
    return access.get_skp_or_404(skp_id, current_user, *services.load_for_page(skp_id))


def _rhk_of(skp: Skp, rhk_id: int) -> Rhk:
    rhk = next((r for r in skp.rhks if r.id == rhk_id), None)
    if rhk is None:
        abort(404)
    return rhk


def _iki_of(skp: Skp, iki_id: int) -> Indikator:
    iki = next((i for r in skp.rhks for i in r.indikators if i.id == iki_id), None)
    if iki is None:
        abort(404)
    return iki


def _rhk_form(skp: Skp, choices, formdata=None, **kw) -> RhkForm:
    form = RhkForm(formdata=formdata, **kw) if formdata is not None else RhkForm(**kw)
    empty = "– tidak ada (RHK atasan belum tersedia) –" if not choices.rhks else "– pilih RHK atasan –"
    form.parent_rhk_id.choices = [(None, empty)] + [(r.id, r.uraian[:160]) for r in choices.rhks]
    return form


def slot_prefix(slot: str) -> str:
    """Input names of a slot's fields: the add-RHK form is unprefixed, the add-IKI form of RHK 12 uses `r12-`."""
    if slot == "rhk-baru":
        return ""
    if slot.startswith("iki-baru-"):
        return f"r{slot[9:]}-"
    return slot + "-"


def _slot_views(skp: Skp, override: services.AutosaveResult | None = None) -> dict[str, dict]:
    """Per autosaved row: the values to show (draft as typed, else the row), messages and state token."""
    drafts = services.drafts_of(skp)
    names = ["rhk-baru"] + [n for r in skp.rhks for n in (f"rhk-{r.id}", f"iki-baru-{r.id}")]
    names += [f"iki-{i.id}" for r in skp.rhks for i in r.indikators]
    views = {}
    for name in names:
        slot = services.parse_slot(skp, name)
        draft = drafts.get(name)
        stored = services.stored_values(slot, draft)
        views[name] = {
            "data": stored,
            "errors": dict(draft.errors) if draft else {},
            "token": services.state_token(stored),
            "draft_at": draft.updated_at if draft else None,
            "conflict": None,
        }
    if override is not None and override.slot in views:
        views[override.slot].update(data=override.values, errors=override.errors, conflict=override.conflict)
    return views


def _prefilled(form_cls, view: dict, names: str = "", **kw):
    """A WTForms form showing a draft exactly as typed (`names`: the input-name prefix), with its messages."""
    form = form_cls(formdata=MultiDict({names + k: v for k, v in view["data"].items()}), **kw)
    for name, errors in view["errors"].items():
        if name in form._fields:
            form[name].errors = list(errors)
    return form


def _page_ctx(skp: Skp, **extra) -> dict:
    today = today_wib()
    editable = access.can_edit_skp(current_user, skp)
    choices = services.atasan_choices(skp, today) if editable else None
    ctx = {
        "skp": skp,
        "editable": editable,
        "choices": choices,
        "comments": services.review_comments(skp),
        "guides": berakhlak_guides(),
        "can_approve": access.can_approve_skp(current_user, skp),
        # Who decides a submitted SKP: today's pejabat penilai (a Plt/Plh who took over included).
        "decider": access.appraiser_today(skp.employee) if skp.status == SkpStatus.SUBMITTED else None,
        "can_revise": access.can_revise_skp(current_user, skp),
        "can_realisasi": access.can_report_realisasi(current_user, skp),
        "can_feedback": access.can_give_feedback(current_user, skp),
        "is_owner": access.is_self(current_user, skp.employee),
        "kualitatif": skp.jenis == SkpJenis.KUALITATIF,
        "aspek_choices": Aspek.choices(),
        "can_issue_pdf": access.can_issue_skp_document(current_user, skp),
        "documents": skp_documents.skp_documents(skp) if access.can_download_skp_document(current_user, skp) else [],
    }
    if editable:
        slots = _slot_views(skp, extra.pop("override", None))
        ctx["slots"] = slots
        if slots["rhk-baru"]["draft_at"] or slots["rhk-baru"]["conflict"]:
            form = _prefilled(RhkForm, slots["rhk-baru"])
            form.parent_rhk_id.choices = _rhk_form(skp, choices).parent_rhk_id.choices
            ctx.setdefault("rhk_form", form)
        ctx.setdefault("rhk_form", _rhk_form(skp, choices))
        ctx["iki_forms"] = {
            r.id: _prefilled(IndikatorForm, slots[f"iki-baru-{r.id}"], f"r{r.id}-", prefix=f"r{r.id}")
            if slots[f"iki-baru-{r.id}"]["draft_at"]
            else IndikatorForm(formdata=None, prefix=f"r{r.id}")
            for r in skp.rhks
        }
        ctx.setdefault("lampiran_form", LampiranForm(formdata=None, obj=skp))
        ctx.setdefault("iki_errors", {})
    ctx["revise_form"] = ReviseForm(formdata=None)
    # The button disappears once this version has a valid PDF (issuing again would return the same one).
    ctx["can_issue_pdf"] = ctx["can_issue_pdf"] and skp_documents.valid_document_of(skp, ctx["documents"]) is None
    ctx.update(extra)
    return ctx


def _commit_or_conflict() -> bool:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True


# --- list and create -----------------------------------------------------------------------------------


@bp.get("/")
@login_required
def root():
    return redirect(url_for("skp.index"))


@bp.get("/saya")
@login_required
def index():
    emp = current_user.employee
    form = CreateSkpForm(formdata=None)
    periods = services.open_periods()
    form.period_id.choices = [(p.id, p.name) for p in periods]
    if emp is not None:
        form.jenis.data = services.default_jenis(emp).value
    skps = services.my_skps(emp) if emp is not None else []
    return render_template("skp/index.html", skps=skps, form=form, has_employee=emp is not None)


@bp.post("/baru")
@login_required
def create():
    emp = current_user.employee
    if emp is None:
        abort(403)
    form = CreateSkpForm()
    form.period_id.choices = [(p.id, p.name) for p in services.open_periods()]
    if form.validate():
        period = db.session.get(Period, form.period_id.data)
        try:
            skp = services.create_skp(emp, period, SkpJenis(form.jenis.data), form.source.data)
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            db.session.commit()
            flash("SKP baru dibuat. Tambahkan rencana hasil kerja (RHK).", "success")
            return redirect(url_for("skp.show", skp_id=skp.id), 303)
    return render_template("skp/index.html", skps=services.my_skps(emp), form=form, has_employee=True), 422


# --- the SKP page (editor / viewer) ----------------------------------------------------------------------


@bp.get("/<int:skp_id>")
@login_required
def show(skp_id: int):
    skp = _load(skp_id)
    return render_template("skp/show.html", **_page_ctx(skp))


@bp.post("/<int:skp_id>/rhk")
@login_required
def add_rhk(skp_id: int):
    skp = _load(skp_id)
    access.require(access.can_edit_skp(current_user, skp))
    choices = services.atasan_choices(skp, today_wib())
    form = _rhk_form(skp, choices, formdata=request.form)
    if form.validate():
        try:
            services.add_rhk(skp, form.kategori.data, form.uraian.data, form.parent_rhk_id.data, today_wib())
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            db.session.commit()
            if wants_fragment():
                skp = _load(skp_id)
                return render("skp/show.html", "hasil_kerja", **_page_ctx(skp))
            flash("RHK ditambahkan.", "success")
            return redirect(url_for("skp.show", skp_id=skp.id, _anchor="hasil-kerja"), 303)
    skp = _load(skp_id)
    return render("skp/show.html", "hasil_kerja", **_page_ctx(skp, rhk_form=form)), 422


@bp.route("/<int:skp_id>/rhk/<int:rhk_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_rhk(skp_id: int, rhk_id: int):
    skp = _load(skp_id)
    rhk = _rhk_of(skp, rhk_id)
    access.require(access.can_edit_skp(current_user, skp))
    choices = services.atasan_choices(skp, today_wib())
    if request.method == "GET":
        form = _rhk_form(skp, choices, obj=rhk)
        form.kategori.data = rhk.kategori.value
        form.lock_version.data = str(skp.lock_version)
        return render_template("skp/rhk_edit.html", skp=skp, rhk=rhk, form=form)
    form = _rhk_form(skp, choices, formdata=request.form)
    if form.validate():
        if form.lock_version.data and form.lock_version.data != str(skp.lock_version):
            form.form_errors.append(CONFLICT)
        else:
            try:
                services.update_rhk(rhk, form.kategori.data, form.uraian.data, form.parent_rhk_id.data, today_wib())
                skp.updated_at = services.utcnow()  # bumps lock_version: a stale second tab is told
            except DomainError as e:
                db.session.rollback()
                form.add_error(e.field, e.message)
            else:
                if _commit_or_conflict():
                    flash("RHK disimpan.", "success")
                    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)
                form.form_errors.append(CONFLICT)
                skp = _load(skp_id)
                rhk = _rhk_of(skp, rhk_id)
        form.lock_version.data = str(skp.lock_version)
    return render_template("skp/rhk_edit.html", skp=skp, rhk=rhk, form=form), 422


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/hapus")
@login_required
def delete_rhk(skp_id: int, rhk_id: int):
    skp = _load(skp_id)
    rhk = _rhk_of(skp, rhk_id)
    access.require(access.can_edit_skp(current_user, skp))
    try:
        services.delete_rhk(rhk)
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    else:
        db.session.commit()
        flash("RHK dihapus.", "success")
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor="hasil-kerja"), 303)


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/iki")
@login_required
def add_indikator(skp_id: int, rhk_id: int):
    skp = _load(skp_id)
    rhk = _rhk_of(skp, rhk_id)
    access.require(access.can_edit_skp(current_user, skp))
    form = IndikatorForm(prefix=f"r{rhk_id}")  # one form per RHK on the page: prefixed names keep ids unique
    if form.validate():
        try:
            services.add_indikator(rhk, form.aspek.data, form.indikator.data, form.target.data, form.satuan.data)
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            db.session.commit()
            if wants_fragment():
                return render("skp/show.html", "hasil_kerja", **_page_ctx(_load(skp_id)))
            flash("Indikator ditambahkan.", "success")
            return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)
    skp = _load(skp_id)
    return render("skp/show.html", "hasil_kerja", **_page_ctx(skp, iki_errors={rhk_id: form})), 422


@bp.route("/<int:skp_id>/iki/<int:iki_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_indikator(skp_id: int, iki_id: int):
    skp = _load(skp_id)
    iki = _iki_of(skp, iki_id)
    access.require(access.can_edit_skp(current_user, skp))
    if request.method == "GET":
        form = IndikatorForm(obj=iki)
        form.aspek.data = iki.aspek.value
        return render_template("skp/iki_edit.html", skp=skp, iki=iki, form=form)
    form = IndikatorForm()
    if form.validate():
        try:
            services.update_indikator(iki, form.aspek.data, form.indikator.data, form.target.data, form.satuan.data)
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            db.session.commit()
            flash("Indikator disimpan.", "success")
            return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{iki.rhk_id}"), 303)
    return render_template("skp/iki_edit.html", skp=skp, iki=iki, form=form), 422


@bp.post("/<int:skp_id>/iki/<int:iki_id>/hapus")
@login_required
def delete_indikator(skp_id: int, iki_id: int):
    skp = _load(skp_id)
    iki = _iki_of(skp, iki_id)
    access.require(access.can_edit_skp(current_user, skp))
    rhk_id = iki.rhk_id
    services.delete_indikator(iki)
    db.session.commit()
    flash("Indikator dihapus.", "success")
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)


NOT_EDITABLE = "Tidak tersimpan: SKP ini sudah diajukan atau disetujui sehingga tidak dapat diubah lagi."


@bp.post("/<int:skp_id>/draf/<slot>")
@login_required
def autosave(skp_id: int, slot: str):
    """Autosave of one RHK/IKI row while typing (HTMX: a status line plus out-of-band messages and token).

    Without JavaScript the row's own "Simpan" button posts here too: saved → back to the page; invalid or
    conflicting → the page again with the input as typed and the message next to it.
    """
    skp = _load(skp_id)
    fragment = wants_fragment()
    if not access.can_edit_skp(current_user, skp):
        if fragment and access.is_self(current_user, skp.employee):
            return render_template("skp/_autosave.html", slot=slot, message=NOT_EDITABLE), 409
        access.require(False)
    target = services.parse_slot(skp, slot)
    if target is None:
        if fragment and services.SLOT_RE.fullmatch(slot):
            return render_template("skp/_autosave.html", slot=slot, message=services.DRAFT_GONE), 409
        abort(404)
    prefix = slot_prefix(slot)
    typed = {f: request.form.get(prefix + f, "") for f in target.fields}
    token = request.form.get("token", "")
    try:
        result = services.autosave(skp, target, typed, token, today_wib())
        db.session.commit()
    except DomainError as e:  # a rule the inline check did not foresee: nothing is kept
        db.session.rollback()
        if fragment:
            return render_template("skp/_autosave.html", slot=slot, message="Tidak tersimpan: " + e.message), 422
        flash(e.message, "error")
        return render_template("skp/show.html", **_page_ctx(_load(skp_id))), 422
    except (IntegrityError, StaleDataError):  # another tab saved the same row or draft at the same moment
        db.session.rollback()
        result = services.AutosaveResult(slot, typed, {}, False, token, conflict=services.DRAFT_CONFLICT)
    if fragment:
        status = 409 if result.conflict else 200
        return render_template("skp/_autosave.html", slot=slot, result=result, prefix=prefix, now=now_wib()), status
    if result.conflict or result.errors:
        return render_template("skp/show.html", **_page_ctx(_load(skp_id), override=result)), 422
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
    skp = _load(skp_id)
    access.require(access.can_edit_skp(current_user, skp))
    name = trigger_name() or ""
    iki = re.fullmatch(r"(r\d+-)?(aspek|indikator|target|satuan)", name)
    if iki:
        form, name = IndikatorForm(prefix=(iki.group(1) or "")[:-1]), iki.group(2)
    else:
        form = RhkForm()
        form.parent_rhk_id.choices = [(None, "")] + [(r.id, "") for r in services.atasan_choices(skp, today_wib()).rhks]
    form.validate()
    if name == "target" and form.target.data and not form.target.errors:
        try:
            services.parse_target(skp.jenis, form.target.data)
        except DomainError as e:
            form.target.errors = [e.message]
    if name not in form._fields:
        return "", 204
    return render_template("skp/_field.html", f=form[name], validate_url=url_for("skp.validate_field", skp_id=skp_id))


@bp.post("/<int:skp_id>/perilaku")
@login_required
def save_perilaku(skp_id: int):
    skp = _load(skp_id)
    access.require(access.can_edit_skp(current_user, skp))
    try:
        services.save_perilaku(skp, {v: request.form.get(f"ekspektasi-{i}", "") for i, v in enumerate(BERAKHLAK)})
    except DomainError as e:
        db.session.rollback()
        if wants_fragment():
            return "Belum tersimpan: " + e.message, 422
        flash(e.message, "error")
        return render_template("skp/show.html", **_page_ctx(_load(skp_id))), 422
    db.session.commit()
    if wants_fragment():  # autosave while typing: a small confirmation instead of a page
        return f"Tersimpan otomatis pukul {now_wib():%H.%M} WIB"
    flash("Ekspektasi perilaku kerja disimpan.", "success")
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor="perilaku"), 303)


@bp.post("/<int:skp_id>/lampiran")
@login_required
def save_lampiran(skp_id: int):
    skp = _load(skp_id)
    access.require(access.can_edit_skp(current_user, skp))
    form = LampiranForm()
    if not form.validate():
        if wants_fragment():
            return "Belum tersimpan: " + "; ".join(e for errs in form.errors.values() for e in errs), 422
        return render_template("skp/show.html", **_page_ctx(skp, lampiran_form=form)), 422
    services.save_lampiran(
        skp, form.dukungan_sumber_daya.data, form.skema_pertanggungjawaban.data, form.konsekuensi.data
    )
    db.session.commit()
    if wants_fragment():
        return f"Tersimpan otomatis pukul {now_wib():%H.%M} WIB"
    flash("Lampiran SKP disimpan.", "success")
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor="lampiran"), 303)


# --- workflow ------------------------------------------------------------------------------------------


@bp.post("/<int:skp_id>/ajukan")
@login_required
def submit(skp_id: int):
    skp = _load(skp_id)
    access.require(access.is_self(current_user, skp.employee))
    try:
        access.require(access.can_edit_skp(current_user, skp) or skp.status == SkpStatus.SUBMITTED)
        services.submit_skp(skp, current_user, today_wib())
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return render_template("skp/show.html", **_page_ctx(_load(skp_id))), 422
    db.session.commit()
    flash("SKP berhasil diajukan ke pejabat penilai.", "success")
    return redirect(url_for("skp.show", skp_id=skp_id), 303)


def _decide(skp_id: int, action: str):
    skp = _load(skp_id)
    if skp.status != SkpStatus.SUBMITTED:
        # Second click of a double submit, or another tab was faster: say so, change nothing.
        flash("SKP ini sudah diproses sebelumnya.", "info")
        return redirect(url_for("skp.show", skp_id=skp_id), 303)
    access.require(access.can_approve_skp(current_user, skp))
    try:
        if action == "approve":
            services.approve_skp(skp, current_user, today_wib())
        else:
            comments = {r.id: request.form.get(f"komentar-{r.id}", "") for r in skp.rhks}
            services.return_skp(skp, current_user, comments, request.form.get("note", ""))
    except DomainError as e:
        db.session.rollback()
        if e.field == "note":  # next to the field, with whatever was typed kept
            ctx = _page_ctx(_load(skp_id), return_error=e.message, return_values=request.form)
            return render_template("skp/show.html", **ctx), 422
        flash(e.message, "error")
        return render_template("skp/show.html", **_page_ctx(_load(skp_id))), 422
    db.session.commit()
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
    skp = _load(skp_id)
    access.require(access.can_revise_skp(current_user, skp))
    form = ReviseForm()
    if form.validate():
        try:
            new = services.revise_skp(skp, form.reason.data)
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            db.session.commit()
            flash(f"Versi {new.version} dibuat. Ubah lalu ajukan kembali untuk disetujui.", "success")
            return redirect(url_for("skp.show", skp_id=new.id), 303)
    return render_template("skp/show.html", **_page_ctx(skp, revise_form=form)), 422


@bp.get("/<int:skp_id>/riwayat")
@login_required
def history(skp_id: int):
    skp = _load(skp_id)
    versions = services.versions_of(skp)
    return render_template("skp/history.html", skp=skp, versions=versions, diffs=services.version_diffs(versions))


@bp.get("/persetujuan")
@login_required
def inbox():
    emp = current_user.employee
    if emp is None:
        abort(403)
    rows = services.inbox(emp, today_wib())
    waiting = services.realisasi_awaiting_feedback(emp, current_user)
    unchanged = services.unchanged_resubmissions(rows)
    return render_template("skp/inbox.html", rows=rows, waiting=waiting, unchanged=unchanged)


@bp.post("/persetujuan/massal")
@login_required
def bulk_approve():
    """Approve several unchanged resubmissions at once (each still through the guarded status update)."""
    if current_user.employee is None:
        abort(403)
    ids = ids_in(request.form.getlist("skp_id"))
    n = services.bulk_approve(ids, current_user, today_wib())
    db.session.commit()
    flash(f"{n} SKP disetujui." if n else "Tidak ada SKP yang disetujui.", "success" if n else "info")
    return redirect(url_for("skp.inbox"), 303)


# --- realisasi and evidence ----------------------------------------------------------------------------


@bp.route("/<int:skp_id>/realisasi", methods=["GET", "POST"])
@login_required
def realisasi(skp_id: int):
    skp = _load(skp_id)
    windows = skp.period.windows
    if not windows:
        abort(404)
    window_no = request.values.get("periode", type=query_int) or windows[0].index
    window = next((w for w in windows if w.index == window_no), None)
    if window is None:
        abort(404)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        access.require(access.can_report_realisasi(current_user, skp))
        iki_id = request.form.get("indikator_id", type=query_int)
        iki = _iki_of(skp, iki_id or 0)
        uploads = [
            services.Upload(f.filename or "", f.read(services.EVIDENCE_MAX_BYTES + 1))
            for f in request.files.getlist(f"bukti-{iki.id}")
            if f and f.filename
        ]
        try:
            services.save_realisasi(
                skp,
                iki,
                window_no,
                request.form.get(f"nilai-{iki.id}", ""),
                request.form.get(f"keterangan-{iki.id}", ""),
                request.form.get(f"link-{iki.id}", ""),
                uploads,
                current_user,
            )
        except DomainError as e:
            db.session.rollback()
            errors[e.field or f"nilai-{iki.id}"] = e.message
            status = 422
            skp = _load(skp_id)
        else:
            db.session.commit()
            flash("Realisasi disimpan.", "success")
            return redirect(url_for("skp.realisasi", skp_id=skp_id, periode=window_no, _anchor=f"iki-{iki.id}"), 303)
    rows = services.realisasi_for(skp, window_no)
    total = sum(len(r.indikators) for r in skp.rhks)
    return render_template(
        "skp/realisasi.html",
        skp=skp,
        windows=windows,
        window=window,
        rows=rows,
        errors=errors,
        form_values=request.form,
        can_edit=access.can_report_realisasi(current_user, skp),
        progress=(len(rows) * 100 // total) if total else 0,
        can_issue_pdf=access.can_issue_skp_document(current_user, skp),
        report_docs=[
            d
            for d in skp_documents.realisasi_documents(skp)
            if d.source_ref == skp_documents.realisasi_ref(skp, window_no)
        ]
        if access.can_download_skp_document(current_user, skp)
        else [],
    ), status


@bp.get("/bukti/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    """Bukti dukung served only to people who may see the SKP (404 for others)."""
    ev = db.session.get(Evidence, evidence_id)
    if ev is None:
        abort(404)
    skp_id = db.session.scalar(
        select(Rhk.skp_id)
        .join(Indikator, Indikator.rhk_id == Rhk.id)
        .join(Realisasi, Realisasi.indikator_id == Indikator.id)
        .where(Realisasi.id == ev.realisasi_id)
    )
    access.get_skp_or_404(skp_id, current_user)
    return uploads.send_upload(ev.data, ev.content_type, ev.filename)


# --- feedback ------------------------------------------------------------------------------------------


@bp.route("/<int:skp_id>/umpan-balik", methods=["GET", "POST"])
@login_required
def feedback(skp_id: int):
    skp = _load(skp_id)
    form = FeedbackForm() if request.method == "POST" else FeedbackForm(formdata=None)
    form.target.choices = [(f"rhk-{r.id}", f"RHK: {r.uraian[:90]}") for r in skp.rhks] + [
        (f"nilai-{v}", f"Perilaku: {v}") for v in BERAKHLAK
    ]
    form.window.choices = [(None, "– seluruh tahun –")] + [(w.index, w.label) for w in skp.period.windows]
    if request.method == "GET" and request.args.get("tentang"):
        form.target.data = request.args["tentang"]
    status = 200
    if request.method == "POST":
        access.require(access.can_give_feedback(current_user, skp))
        if form.validate():
            try:
                services.add_feedback(skp, current_user, form.target.data, form.body.data, form.window.data)
            except DomainError as e:
                db.session.rollback()
                form.add_error(e.field, e.message)
            else:
                db.session.commit()
                flash("Umpan balik terkirim.", "success")
                return redirect(url_for("skp.feedback", skp_id=skp_id), 303)
        status = 422
    threads: dict[str, list] = {}
    for fb in services.feedback_threads(skp):
        threads.setdefault(f"rhk-{fb.rhk_id}" if fb.rhk_id else f"nilai-{fb.nilai}", []).append(fb)
    return render_template(
        "skp/feedback.html",
        skp=skp,
        form=form,
        threads=threads,
        can_feedback=access.can_give_feedback(current_user, skp),
    ), status


# --- print view ----------------------------------------------------------------------------------------


@bp.get("/<int:skp_id>/cetak")
@login_required
def print_view(skp_id: int):
    skp = access.get_skp_or_404(skp_id, current_user)
    return render_template("skp/cetak.html", doc=render_skp_context(skp, today_wib()), skp_id=skp.id)


# --- issued documents (documents service) ----------------------------------------------------------------


@bp.post("/<int:skp_id>/terbitkan-pdf")
@login_required
def issue_pdf(skp_id: int):
    skp = access.get_skp_or_404(skp_id, current_user)
    access.require(access.can_issue_skp_document(current_user, skp))
    try:
        _doc, new = skp_documents.issue_skp_document(skp, current_user.id, today_wib())
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return render_template("skp/show.html", **_page_ctx(_load(skp_id))), 422
    except IntegrityError:  # a simultaneous click issued it first
        db.session.rollback()
        new = False
    flash("PDF SKP diterbitkan." if new else "PDF SKP versi ini sudah diterbitkan sebelumnya.", "success")
    return redirect(url_for("skp.show", skp_id=skp.id, _anchor="dokumen"), 303)


@bp.post("/<int:skp_id>/realisasi/terbitkan-pdf")
@login_required
def issue_realisasi_pdf(skp_id: int):
    skp = access.get_skp_or_404(skp_id, current_user)
    access.require(access.can_issue_skp_document(current_user, skp))
    window_no = request.args.get("periode", type=query_int) or 0
    if window_no not in {w.index for w in skp.period.windows}:
        abort(404)
    try:
        _doc, new = skp_documents.issue_realisasi_document(skp, window_no, current_user.id, today_wib())
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    except IntegrityError:  # a simultaneous click issued it first
        db.session.rollback()
        flash("Dokumen realisasi periode ini sudah diterbitkan; tidak diterbitkan dua kali.", "info")
    else:
        flash(
            "Dokumen realisasi diterbitkan."
            if new
            else "Data realisasi tidak berubah sejak dokumen terakhir; dokumen yang berlaku tetap dipakai.",
            "success",
        )
    return redirect(url_for("skp.realisasi", skp_id=skp.id, periode=window_no, _anchor="dokumen"), 303)


@bp.get("/<int:skp_id>/dokumen/<int:doc_id>.pdf")
@login_required
def document_pdf(skp_id: int, doc_id: int):
    """Stored bytes of a document of this SKP (any version); never re-rendered."""
    skp = access.get_skp_or_404(skp_id, current_user)
    access.require(access.can_download_skp_document(current_user, skp))
    found = skp_documents.skp_documents(skp) + skp_documents.realisasi_documents(skp)
    doc = next((d for d in found if d.id == doc_id), None)
    if doc is None or doc.status == DocStatus.PENDING:
        abort(404)
    data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))
    resp = Response(data, mimetype="application/pdf")
    body = doc.context["body"]
    kind = f"realisasi-{body['window_no']}" if doc.doc_type == DocType.REALISASI_SKP else f"v{body['versi']}"
    name = f"SKP-{skp.period.year}-{skp.employee.nip}-{kind}.pdf"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["X-Content-SHA256"] = doc.sha256
    return resp


# --- pohon kinerja -------------------------------------------------------------------------------------


@bp.get("/pohon")
@login_required
def pohon():
    periods = services.all_periods()
    emp = current_user.employee
    unit_id = request.args.get("unit", type=query_int) or (emp.unit_id if emp else None)
    period_id = request.args.get("periode", type=query_int) or (periods[0].id if periods else None)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    period = db.session.get(Period, period_id) if period_id else None
    if unit is not None:
        access.require(access.can_view_pohon(current_user, unit))
    tree = services.pohon_kinerja(unit, period) if unit and period else None
    units = services.units_for_pohon() if access.is_hr(current_user) else ([unit] if unit else [])
    return render_template("skp/pohon.html", unit=unit, period=period, periods=periods, units=units, tree=tree)


# --- periods (HR) --------------------------------------------------------------------------------------


@bp.route("/periode", methods=["GET", "POST"])
@login_required
def periods():
    access.require(access.is_hr(current_user))
    form = PeriodForm() if request.method == "POST" else PeriodForm(formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                services.create_period(
                    form.year.data, Frequency(form.frequency.data), form.start_date.data, form.end_date.data
                )
            except DomainError as e:
                db.session.rollback()
                form.add_error(e.field, e.message)
            else:
                db.session.commit()
                flash(f"Periode {form.year.data} dibuka.", "success")
                return redirect(url_for("skp.periods"), 303)
        status = 422
    return render_template("skp/periods.html", form=form, periods=services.all_periods()), status


@bp.post("/periode/<int:period_id>/status")
@login_required
def period_status(period_id: int):
    access.require(access.is_hr(current_user))
    period = db.get_or_404(Period, period_id)
    target = PeriodStatus.CLOSED if request.form.get("status") == "ditutup" else PeriodStatus.OPEN
    services.set_period_status(period, target)
    db.session.commit()
    flash(f"Periode {period.year} {target.label.lower()}.", "success")
    return redirect(url_for("skp.periods"), 303)


# --- RHK templates per jabatan (HR) ----------------------------------------------------------------------


@bp.route("/templat", methods=["GET", "POST"])
@login_required
def templates():
    access.require(access.is_hr(current_user))
    form = RhkTemplateForm() if request.method == "POST" else RhkTemplateForm(formdata=None)
    form.position_id.choices = [(None, "– pilih jabatan –")] + services.position_choices()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                services.add_template(
                    form.position_id.data,
                    form.kategori.data,
                    form.uraian.data,
                    form.aspek.data,
                    form.indikator.data,
                    form.target.data,
                    form.satuan.data,
                )
            except DomainError as e:
                db.session.rollback()
                form.add_error(e.field, e.message)
            else:
                db.session.commit()
                flash("Templat RHK diterbitkan.", "success")
                return redirect(url_for("skp.templates"), 303)
        status = 422
    return render_template("skp/templates.html", form=form, rows=services.templates_list()), status


@bp.post("/templat/<int:template_id>/hapus")
@login_required
def delete_template(template_id: int):
    access.require(access.is_hr(current_user))
    services.delete_template(db.get_or_404(RhkTemplate, template_id))
    db.session.commit()
    flash("Templat RHK dihapus.", "success")
    return redirect(url_for("skp.templates"), 303)


# --- monitoring (HR) -----------------------------------------------------------------------------------


def _monitoring_period() -> Period | None:
    periods = services.all_periods()
    wanted = request.args.get("periode", type=query_int)
    return next((p for p in periods if p.id == wanted), periods[0] if periods else None)


@bp.get("/pemantauan")
@login_required
def monitoring():
    access.require(access.is_hr(current_user))
    period = _monitoring_period()
    rows, window = services.monitoring(period, today_wib()) if period else ([], None)
    return render_template(
        "skp/monitoring.html", rows=rows, period=period, periods=services.all_periods(), window=window
    )


@bp.get("/pemantauan.xlsx")
@login_required
def monitoring_export():
    access.require(access.is_hr(current_user))
    period = _monitoring_period()
    if period is None:
        abort(404)
    rows, _ = services.monitoring(period, today_wib())
    resp = Response(
        services.monitoring_xlsx(rows, period),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp.headers["Content-Disposition"] = f'attachment; filename="pemantauan-skp-{period.year}.xlsx"'
    return resp


@bp.get("/pemantauan/<int:unit_id>")
@login_required
def monitoring_opd(unit_id: int):
    access.require(access.is_hr(current_user))
    opd = db.get_or_404(Unit, unit_id)
    period = _monitoring_period()
    if period is None:
        abort(404)
    return render_template("skp/monitoring_opd.html", opd=opd, period=period, rows=services.opd_drilldown(opd, period))


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/pindah")
@login_required
def move_rhk(skp_id: int, rhk_id: int):
    skp = _load(skp_id)
    rhk = _rhk_of(skp, rhk_id)
    access.require(access.can_edit_skp(current_user, skp))
    services.move_rhk(rhk, -1 if request.form.get("arah") == "naik" else 1)
    db.session.commit()
    if wants_fragment():
        return render("skp/show.html", "hasil_kerja", **_page_ctx(_load(skp_id)))
    return redirect(url_for("skp.show", skp_id=skp_id, _anchor=f"rhk-{rhk_id}"), 303)
