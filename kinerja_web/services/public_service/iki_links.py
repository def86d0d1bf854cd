"""SKP indikator (IKI) ↔ measured signal: linking, the measured value for a realisasi window, and the rule that
a realisasi differing from the measured value says why (the employee stays the author of their realisasi)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...domain import DomainError
from ...domain.public_service import SignalKind
from ...domain.skp import parse_number
from ...extensions import db
from ...models import Indikator, IndikatorSignal, Skp, User
from . import signals


def links_of(skp: Skp) -> dict[int, IndikatorSignal]:
    """indikator id → its link, for every IKI of the SKP (one query)."""
    ids = [i.id for r in skp.rhks for i in r.indikators]
    if not ids:
        return {}
    return {
        s.indikator_id: s
        for s in db.session.scalars(select(IndikatorSignal).where(IndikatorSignal.indikator_id.in_(ids)))
    }


def measured_for(skp: Skp, start: date, end: date) -> dict[int, signals.MeasuredValue]:
    """indikator id → its measured value over [start, end], for the SKP's linked IKIs."""
    out = {}
    for iki_id, link in links_of(skp).items():
        value = signals.measured_value(link.kind, link.ref_id, start, end)
        if value is not None:
            out[iki_id] = value
    return out


def set_link(iki: Indikator, key: str, choices: list[signals.Choice], user: User) -> IndikatorSignal | None:
    """Link the IKI to the chosen signal (`kind:ref_id` from `choices`), or unlink it for an empty key."""
    existing = db.session.scalar(select(IndikatorSignal).where(IndikatorSignal.indikator_id == iki.id))
    if not key:
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        return None
    choice = next((c for c in choices if c.key == key), None)
    if choice is None:
        raise DomainError("Pilih salah satu sinyal yang tersedia.", "sinyal")
    if existing is None:
        existing = IndikatorSignal(indikator_id=iki.id, kind=choice.kind, ref_id=choice.ref_id, created_by_id=user.id)
        db.session.add(existing)
    else:
        existing.kind, existing.ref_id, existing.created_by_id = choice.kind, choice.ref_id, user.id
    db.session.flush()
    return existing


def check_realisasi(iki: Indikator, measured: signals.MeasuredValue | None, nilai: str, keterangan: str) -> None:
    """A realisasi that differs from the measured value needs a reason in Keterangan."""
    if measured is None or measured.value is None or not (nilai or "").strip():
        return
    try:
        given = parse_number(nilai, f"nilai-{iki.id}", "Realisasi")
    except DomainError:
        return  # the realisasi's own check says it
    if abs(given - measured.value) >= Decimal("0.05") and not (keterangan or "").strip():
        raise DomainError(
            f"Realisasi berbeda dari nilai terukur ({measured.text}{measured.satuan}); tuliskan alasannya di Keterangan.",
            f"keterangan-{iki.id}",
        )


__all__ = ["SignalKind", "check_realisasi", "links_of", "measured_for", "set_link"]
