"""The programme catalogue: programmes with seats taken and eligibility, and catalogue edits by HR."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from ...domain import DomainError, golongan
from ...domain.development import (
    OCCUPYING,
    ProgrammeBentuk,
    check_jp,
    check_schedule,
)
from ...extensions import db
from ...models import (
    Employee,
    PositionKind,
    Programme,
    Referral,
)

# --- catalogue ------------------------------------------------------------------------------------------


def programmes(include_inactive: bool = False) -> list[Programme]:
    stmt = select(Programme).order_by(Programme.start_date.is_(None), Programme.start_date, Programme.name)
    if not include_inactive:
        stmt = stmt.where(Programme.active.is_(True))
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class CatalogueRow:
    programme: Programme
    taken: int
    eligible: bool | None  # None: the user has no employee record
    why_not: str


def catalogue(employee: Employee | None, include_inactive: bool) -> list[CatalogueRow]:
    """Programmes with seats taken and, for the viewing employee, whether they are eligible and why not."""
    items = programmes(include_inactive)
    seats = occupied_seats([p.id for p in items]) if items else {}
    rows = []
    for p in items:
        eligible, why = None, ""
        if employee is not None:
            kind = employee.position.kind if employee.position else None
            reasons = p.eligibility.reasons(kind.value if kind else None, kind.label if kind else "", employee.golongan)
            eligible, why = not reasons, "; ".join(reasons)
        rows.append(CatalogueRow(p, seats.get(p.id, 0), eligible, why))
    return rows


def _golongan(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    g = golongan.normalize(value)
    if golongan.rank(g) == 0:
        raise DomainError(f"Golongan «{value}» tidak dikenal (contoh: III/a).", field=field)
    return g


def save_programme(programme: Programme | None, data: dict) -> Programme:
    """Create or update a catalogue entry; every check raises DomainError naming its field."""
    code = data["code"].strip().upper()
    clash = db.session.scalar(select(Programme.id).where(Programme.code == code))
    if clash is not None and (programme is None or clash != programme.id):
        raise DomainError(f"Kode «{code}» sudah dipakai program lain.", field="code")
    jp = check_jp(data["jp"])
    check_schedule(data.get("start_date"), data.get("end_date"))
    capacity = data.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError("Kapasitas minimal 1 peserta (kosongkan bila tanpa batas).", field="capacity")
    cost = data.get("cost") or 0
    if cost < 0:
        raise DomainError("Biaya tidak boleh negatif.", field="cost")
    lo, hi = _golongan(data.get("min_golongan"), "min_golongan"), _golongan(data.get("max_golongan"), "max_golongan")
    if lo and hi and golongan.rank(lo) > golongan.rank(hi):
        raise DomainError("Golongan minimal lebih tinggi dari golongan maksimal.", field="max_golongan")
    if programme is not None and capacity is not None:
        taken = occupied_seats([programme.id]).get(programme.id, 0)
        if capacity < taken:
            raise DomainError(f"Sudah ada {taken} peserta; kapasitas tidak boleh lebih kecil.", field="capacity")
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    programme.code = code
    programme.name = data["name"].strip()
    programme.bentuk = ProgrammeBentuk(data["bentuk"])
    programme.jp = jp
    programme.provider = data["provider"].strip()
    programme.location = (data.get("location") or "").strip() or None
    programme.start_date, programme.end_date = data.get("start_date"), data.get("end_date")
    programme.capacity = capacity
    programme.cost = cost
    programme.competencies = (data.get("competencies") or "").strip() or None
    programme.berakhlak_values = list(data.get("berakhlak_values") or [])
    programme.eligible_kinds = [PositionKind(k).value for k in data.get("eligible_kinds") or []]
    programme.min_golongan, programme.max_golongan = lo, hi
    programme.description = (data.get("description") or "").strip() or None
    programme.active = bool(data.get("active"))
    db.session.flush()
    return programme


def occupied_seats(programme_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Referral.programme_id, func.count(Referral.id))
        .where(Referral.programme_id.in_(programme_ids), Referral.status.in_(list(OCCUPYING)))
        .group_by(Referral.programme_id)
    ).all()
    return dict(rows)
