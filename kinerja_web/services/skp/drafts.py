"""Autosave drafts of the SKP editor's rows: stored as typed until valid (and forgotten once saved)."""

from __future__ import annotations

from sqlalchemy import delete, select

from ...extensions import db
from ...models import Skp, SkpDraft


def discard_drafts(skp: Skp, *slots: str) -> None:
    """Forget drafts once their row is added, saved through its own form, or deleted."""
    if slots:
        db.session.execute(
            delete(SkpDraft)
            .where(SkpDraft.skp_id == skp.id, SkpDraft.slot.in_(slots))
            .execution_options(synchronize_session=False)
        )


def unsaved_row_drafts(skp: Skp) -> list[SkpDraft]:
    """Drafts of existing rows: input still failing validation, or typed in a row opened with "Ubah" and not yet
    saved with "Simpan". Submitting would send the old text instead."""
    return [
        d
        for d in db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp.id).order_by(SkpDraft.id))
        if not d.slot.startswith(("rhk-baru", "iki-baru-"))
    ]
