"""What the SKP pages share: loading an SKP the user may see, its rows, and the editor page's context."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .... import access
from ....domain import berakhlak
from ....domain.skp import Aspek, SkpJenis
from ....domain.workflow import SkpStatus
from ....models import Employee, Indikator, Rhk, Skp
from ....services.skp import autosave as autosave_service
from ....services.skp import cascade, records, versions
from ....services.skp import documents as skp_documents
from ....services.skp import inbox as inbox_queries
from ....timeutil import today_wib
from ..forms import IndikatorForm, LampiranForm, ReviseForm, RhkForm

CONFLICT = "SKP ini telah diubah di tab atau perangkat lain sejak halaman dibuka. Isian Anda belum disimpan; periksa lalu simpan ulang."


def own_employee() -> Employee:
    """The signed-in user's employee record; an account without one (a pure admin) may not use these pages."""
    emp = current_user.employee
    if emp is None:
        abort(403)
    return emp


def load_skp(skp_id: int) -> Skp:
    return access.visible_skp_or_404(records.load_page(skp_id), current_user)


def rhk_of(skp: Skp, rhk_id: int) -> Rhk:
    rhk = next((r for r in skp.rhks if r.id == rhk_id), None)
    if rhk is None:
        abort(404)
    return rhk


def iki_of(skp: Skp, iki_id: int) -> Indikator:
    iki = next((i for r in skp.rhks for i in r.indikators if i.id == iki_id), None)
    if iki is None:
        abort(404)
    return iki


def editable_skp(skp_id: int) -> Skp:
    """An SKP the user may see (else 404) and edit (else 403): its owner's draft or returned version."""
    skp = load_skp(skp_id)
    access.require(access.can_edit_skp(current_user, skp))
    return skp


def editable_rhk(skp_id: int, rhk_id: int) -> tuple[Skp, Rhk]:
    """An RHK of an SKP the user may see (else 404) and edit (else 403)."""
    skp = load_skp(skp_id)
    rhk = rhk_of(skp, rhk_id)  # 404 before 403: a foreign row is not there at all
    access.require(access.can_edit_skp(current_user, skp))
    return skp, rhk


def editable_iki(skp_id: int, iki_id: int) -> tuple[Skp, Indikator]:
    """An indicator of an SKP the user may see (else 404) and edit (else 403)."""
    skp = load_skp(skp_id)
    iki = iki_of(skp, iki_id)
    access.require(access.can_edit_skp(current_user, skp))
    return skp, iki


def rhk_form(skp: Skp, choices, formdata=None, **kw) -> RhkForm:
    form = RhkForm(formdata=formdata, **kw) if formdata is not None else RhkForm(**kw)
    empty = "– tidak ada (RHK atasan belum tersedia) –" if not choices.rhks else "– pilih RHK atasan –"
    form.parent_rhk_id.choices = [(None, empty)] + [(r.id, r.uraian[:160]) for r in choices.rhks]
    return form


def _slot_views(skp: Skp, override: autosave_service.AutosaveResult | None = None) -> dict[str, dict]:
    """Per autosaved row: the values to show (draft as typed, else the row), messages and state token."""
    drafts = autosave_service.drafts_of(skp)
    names = ["rhk-baru"] + [n for r in skp.rhks for n in (f"rhk-{r.id}", f"iki-baru-{r.id}")]
    names += [f"iki-{i.id}" for r in skp.rhks for i in r.indikators]
    views = {}
    for name in names:
        slot = autosave_service.parse_slot(skp, name)
        draft = drafts.get(name)
        stored = autosave_service.stored_values(slot, draft)
        views[name] = {
            "data": stored,
            "errors": dict(draft.errors) if draft else {},
            "token": autosave_service.state_token(stored),
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


def editing_rows(slots: dict[str, dict], asked: str | None) -> set[str]:
    """The saved rows shown open for editing: the one asked for ("Ubah"), and any with a draft or a message
    (typed text not yet in the row is shown, never hidden behind the saved text)."""
    rows = {n for n in slots if n.startswith(("rhk-", "iki-")) and "baru" not in n}
    open_rows = {n for n in rows if slots[n]["draft_at"] or slots[n]["conflict"] or slots[n]["errors"]}
    if asked in rows:
        open_rows.add(asked)
    return open_rows


def page_ctx(skp: Skp, **extra) -> dict:
    today = today_wib()
    editable = access.can_edit_skp(current_user, skp)
    choices = cascade.atasan_choices(skp, today) if editable else None
    ctx = {
        "skp": skp,
        "editable": editable,
        "choices": choices,
        "comments": inbox_queries.review_comments(skp),
        "guides": berakhlak.guides_by_name(),
        "can_approve": access.can_approve_skp(current_user, skp),
        # Who decides a submitted SKP: today's pejabat penilai (a Plt/Plh who took over included).
        "decider": access.appraiser_today(skp.employee) if skp.status == SkpStatus.SUBMITTED else None,
        "can_revise": access.can_revise_skp(current_user, skp),
        "can_realisasi": access.can_report_realisasi(current_user, skp),
        "can_feedback": access.can_give_feedback(current_user, skp),
        "can_set_ekspektasi": access.can_set_ekspektasi(current_user, skp),
        "is_owner": access.is_self(current_user, skp.employee),
        "kualitatif": skp.jenis == SkpJenis.KUALITATIF,
        "aspek_choices": Aspek.choices(),
        "can_issue_pdf": access.can_issue_skp_document(current_user, skp),
        "documents": skp_documents.skp_documents(skp) if access.can_download_skp_document(current_user, skp) else [],
    }
    ctx["editing"] = set()
    ctx["review"] = versions.review_diff(skp) if ctx["can_approve"] else None
    if editable:
        slots = _slot_views(skp, extra.pop("override", None))
        ctx["slots"] = slots
        ctx["editing"] = editing_rows(slots, extra.pop("open_row", None))
        if slots["rhk-baru"]["draft_at"] or slots["rhk-baru"]["conflict"]:
            form = _prefilled(RhkForm, slots["rhk-baru"])
            form.parent_rhk_id.choices = rhk_form(skp, choices).parent_rhk_id.choices
            ctx.setdefault("rhk_form", form)
        ctx.setdefault("rhk_form", rhk_form(skp, choices))
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


def render_row(skp: Skp, slot: autosave_service.Slot, **ctx) -> str:
    """One row of the SKP table (skp/_row.html) with the page's context: `open_row` opens it for editing,
    `override` shows an autosave answer (typed values, messages) in it."""
    page = page_ctx(skp, **ctx)
    if slot.kind == "rhk":
        same = [r for r in skp.rhks if r.kategori == slot.rhk.kategori]
        page.update(row_rhk=slot.rhk, row_no=same.index(slot.rhk) + 1, row_iki=None)
    else:
        page.update(row_rhk=None, row_iki=slot.iki)
    return render_template("skp/_row.html", **page)
