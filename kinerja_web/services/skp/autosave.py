"""Autosave of the SKP editor's RHK and IKI rows while the pegawai types (state tokens guard a second tab)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...domain import DomainError
from ...domain.skp import Aspek, RhkKategori, SkpJenis, check_waktu_target, parse_target
from ...extensions import db
from ...models import Indikator, Rhk, Skp, SkpDraft, utcnow
from .cascade import apply_link
from .drafts import discard_drafts
from .planning import clean_text, require_editable, set_rhk_text, update_indikator

SLOT_RE = re.compile(r"rhk-(?P<rhk>\d+)|iki-(?P<iki>\d+)|rhk-baru|iki-baru-(?P<new_iki>\d+)")
RHK_TEXT_FIELDS = ("uraian",)
NEW_RHK_FIELDS = ("kategori", "parent_rhk_id", "uraian")
IKI_FIELDS = ("aspek", "indikator", "target", "satuan")
DRAFT_CONFLICT = (
    "Baris ini telah diubah di tab atau perangkat lain sejak halaman dibuka. Isian Anda belum disimpan; "
    "salin isian Anda, muat ulang halaman, lalu simpan ulang."
)
DRAFT_GONE = "Baris ini sudah dihapus di tab atau perangkat lain; isian Anda tidak dapat disimpan."


@dataclass
class Slot:
    """One autosaved row of the editor: an RHK text, an IKI, or a new row not yet added."""

    name: str
    kind: str  # "rhk" | "iki" | "rhk_baru" | "iki_baru"
    fields: tuple[str, ...]
    rhk: Rhk | None = None
    iki: Indikator | None = None


@dataclass
class AutosaveResult:
    slot: str
    values: dict[str, str]
    errors: dict[str, list[str]]
    saved: bool  # applied to the RHK/IKI row (not only kept as a draft)
    token: str  # state token the form must send with its next save
    conflict: str | None = None


def _draft(skp: Skp, slot: str) -> SkpDraft | None:
    return db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp.id, SkpDraft.slot == slot)).first()


def parse_slot(skp: Skp, name: str) -> Slot | None:
    """The row a slot name points at in `skp`; None when it names nothing (deleted or foreign row)."""
    m = SLOT_RE.fullmatch(name or "")
    if m is None:
        return None
    if name == "rhk-baru":
        return Slot(name, "rhk_baru", NEW_RHK_FIELDS)
    if m["rhk"] or m["new_iki"]:
        rid = int(m["rhk"] or m["new_iki"])
        rhk = next((r for r in skp.rhks if r.id == rid), None)
        if rhk is None:
            return None
        return Slot(name, "rhk", RHK_TEXT_FIELDS, rhk=rhk) if m["rhk"] else Slot(name, "iki_baru", IKI_FIELDS, rhk=rhk)
    iki = next((i for r in skp.rhks for i in r.indikators if i.id == int(m["iki"])), None)
    return Slot(name, "iki", IKI_FIELDS, rhk=iki.rhk, iki=iki) if iki else None


def drafts_of(skp: Skp) -> dict[str, SkpDraft]:
    return {d.slot: d for d in db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp.id))}


def row_values(slot: Slot) -> dict[str, str]:
    """What the row holds now, as the strings a form shows."""
    if slot.kind == "rhk":
        return {"uraian": slot.rhk.uraian}
    if slot.kind == "iki":
        i = slot.iki
        return {"aspek": i.aspek.value, "indikator": i.indikator, "target": i.target, "satuan": i.satuan or ""}
    return {f: "" for f in slot.fields}


def state_token(values: dict[str, str]) -> str:
    """Short fingerprint of a slot's stored state: a save is refused when the form started from another one."""
    raw = json.dumps({k: values.get(k) or "" for k in sorted(values)}, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def stored_values(slot: Slot, draft: SkpDraft | None) -> dict[str, str]:
    return {f: str(draft.data.get(f) or "") for f in slot.fields} if draft else row_values(slot)


def _errors_of(fn, *args) -> dict[str, list[str]]:
    try:
        fn(*args)
    except DomainError as e:
        return {e.field or "uraian": [e.message]}
    return {}


def validate_slot(skp: Skp, slot: Slot, values: dict[str, str], today: date) -> dict[str, list[str]]:
    """Every message for the typed values, field by field (nothing is changed)."""
    errors: dict[str, list[str]] = {}
    if slot.kind in ("rhk", "rhk_baru"):
        errors.update(_errors_of(clean_text, values["uraian"], "uraian", "Uraian RHK"))
        if slot.kind == "rhk_baru":
            try:
                probe = Rhk(kategori=RhkKategori(values["kategori"]))
            except ValueError:
                errors["kategori"] = ["Kategori tidak sah."]
            else:
                parent = int(values["parent_rhk_id"]) if values["parent_rhk_id"].isdigit() else None
                errors.update(_errors_of(apply_link, skp, probe, parent, today))
        return errors
    try:
        aspek = Aspek(values["aspek"])
    except ValueError:
        errors["aspek"] = ["Aspek tidak sah."]
        aspek = None
    errors.update(_errors_of(clean_text, values["indikator"], "indikator", "Indikator kinerja individu"))
    target = None
    try:
        target = parse_target(skp.jenis, values["target"])
    except DomainError as e:
        errors["target"] = [e.message]
    satuan = values["satuan"].strip()
    if len(satuan) > 60:
        errors["satuan"] = ["Satuan maksimal 60 karakter."]
    elif skp.jenis != SkpJenis.KUALITATIF and not satuan:
        errors["satuan"] = ["Satuan target wajib diisi (misalnya dokumen, laporan, %, bulan)."]
    if not errors and aspek == Aspek.WAKTU and skp.jenis != SkpJenis.KUALITATIF:
        errors.update(_errors_of(check_waktu_target, target, satuan, skp.period.start_date, skp.period.end_date))
    return errors


def target_errors(jenis: SkpJenis, raw: str) -> list[str]:
    """The message for a typed target, if any (inline validation of one field)."""
    try:
        parse_target(jenis, raw)
    except DomainError as e:
        return [e.message]
    return []


def autosave(
    skp: Skp, slot: Slot, typed: dict[str, str], token: str, today: date, *, draft_only: bool = False
) -> AutosaveResult:
    """Save what was typed into one row while the pegawai types.

    Valid input for an existing RHK/IKI goes into the row; invalid input, and any input for a row not yet
    added, is kept as a draft exactly as typed, with its messages. `draft_only`: a row opened for editing keeps
    what is typed as a draft until "Simpan" (or drops it on "Batal"), valid or not. A form that started from
    another state than the stored one (second tab) is told about the conflict and nothing is stored.
    """
    require_editable(skp)
    values = {f: str(typed.get(f) or "") for f in slot.fields}
    draft = _draft(skp, slot.name)
    if token != state_token(stored_values(slot, draft)):
        return AutosaveResult(slot.name, values, {}, False, token, conflict=DRAFT_CONFLICT)
    errors = validate_slot(skp, slot, values, today)
    if slot.kind in ("rhk", "iki") and not errors and not draft_only:
        if slot.kind == "rhk":  # the text only: kategori and the atasan link have their own form
            set_rhk_text(slot.rhk, values["uraian"].strip())
        else:
            update_indikator(slot.iki, values["aspek"], values["indikator"], values["target"], values["satuan"])
        discard_drafts(skp, slot.name)
        skp.updated_at = utcnow()  # bumps lock_version: a stale edit page in another tab is told
        db.session.flush()
        return AutosaveResult(slot.name, values, {}, True, state_token(row_values(slot)))
    if draft is None:
        draft = SkpDraft(skp_id=skp.id, slot=slot.name, data=values, errors=errors)
        db.session.add(draft)
    else:
        draft.data, draft.errors = values, errors
    db.session.flush()
    return AutosaveResult(slot.name, values, errors, False, state_token(values))


def cancel_edit(skp: Skp, slot: Slot) -> None:
    """ "Batal" on a row opened for editing: what was typed since (its draft) is dropped, the row stays as saved."""
    require_editable(skp)
    discard_drafts(skp, slot.name)
