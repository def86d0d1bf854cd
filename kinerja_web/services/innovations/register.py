"""The innovation register: a unit's or an employee's innovation with problem, change, measured effect and
evidence files; HR accepts or returns it; an accepted one is evidence for rating and a reason for an award
proposal (domain reference §12.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ... import audit
from ...domain import DomainError
from ...domain.public_feedback import InnovationStatus
from ...extensions import db
from ...models import AwardProposal, Employee, Innovation, InnovationFile, Period, Unit, User, utcnow
from ...uploads import DOCX, JPEG, PDF, PNG, XLSX, check_file
from ..awards import proposals as awards

MAX_FILES = 10
EVIDENCE_TYPES = (PDF, PNG, JPEG, DOCX, XLSX)


@dataclass(frozen=True)
class InnovationInput:
    unit: Unit
    employee: Employee | None
    title: str
    started_on: date
    problem: str
    change: str
    effect: str


def _clean(data: InnovationInput, today: date) -> dict:
    values = {}
    for field, label in (("title", "Judul"), ("problem", "Masalah"), ("change", "Perubahan"), ("effect", "Dampak")):
        text = (getattr(data, field) or "").strip()
        if not text:
            raise DomainError(f"{label} wajib diisi.", field=field)
        values[field] = text[:200] if field == "title" else text[:5000]
    if data.started_on > today:
        raise DomainError("Tanggal mulai inovasi tidak boleh di masa depan.", field="started_on")
    return values


def submit(data: InnovationInput, actor: User, today: date) -> Innovation:
    """Record an innovation for HR's review."""
    values = _clean(data, today)
    inv = Innovation(
        unit_id=data.unit.id,
        employee_id=data.employee.id if data.employee else None,
        started_on=data.started_on,
        created_by_id=actor.id,
        status=InnovationStatus.SUBMITTED,
        **values,
    )
    db.session.add(inv)
    db.session.flush()
    return inv


def update(inv: Innovation, data: InnovationInput, today: date) -> None:
    if inv.status == InnovationStatus.ACCEPTED:
        raise DomainError("Inovasi yang sudah diterima tidak dapat diubah.")
    for k, v in _clean(data, today).items():
        setattr(inv, k, v)
    inv.started_on = data.started_on
    inv.unit_id = data.unit.id
    inv.employee_id = data.employee.id if data.employee else None
    if inv.status == InnovationStatus.RETURNED:
        inv.status = InnovationStatus.SUBMITTED
    db.session.flush()


def add_file(inv: Innovation, filename: str, data: bytes) -> InnovationFile:
    """An evidence file: PDF, image or Office document whose content is what it claims (never its name)."""
    if inv.status == InnovationStatus.ACCEPTED:
        raise DomainError("Inovasi yang sudah diterima tidak dapat diubah.", field="berkas")
    if len(inv.files) >= MAX_FILES:
        raise DomainError(f"Paling banyak {MAX_FILES} berkas bukti.", field="berkas")
    if not data:
        raise DomainError("Pilih berkas bukti.", field="berkas")
    checked = check_file(
        data, EVIDENCE_TYPES, field="berkas", not_allowed="Berkas bukti harus PDF, PNG, JPEG, DOCX, atau XLSX."
    )
    cols = checked.columns(filename, "bukti-inovasi")
    f = InnovationFile(
        innovation_id=inv.id, filename=cols["filename"], mime=cols["content_type"], size=cols["size"], data=cols["data"]
    )
    db.session.add(f)
    db.session.flush()
    return f


def review(inv: Innovation, accept: bool, note: str | None, actor: User) -> None:
    """HR accepts the innovation as evidence, or returns it with a note to its author."""
    note = (note or "").strip() or None
    if not accept and not note:
        raise DomainError("Tuliskan alasan pengembalian.", field="note")
    if inv.status == InnovationStatus.ACCEPTED:
        raise DomainError("Inovasi ini sudah diterima.")
    before = inv.status
    inv.status = InnovationStatus.ACCEPTED if accept else InnovationStatus.RETURNED
    inv.review_note = note
    inv.reviewed_by_id = actor.id
    inv.reviewed_at = utcnow()
    audit.record(
        db.session,
        "inovasi_tinjau",
        "innovation",
        inv.id,
        f"Inovasi '{inv.title}': {inv.status.label}",
        before={"status": before.value},
        after={"status": inv.status.value},
    )
    db.session.flush()


def propose_award(inv: Innovation, period: Period, actor: User, note: str | None) -> tuple[AwardProposal, bool]:
    """An award proposal with the innovation as its reason, in the awards area's one-proposal-per-period rule."""
    if inv.status != InnovationStatus.ACCEPTED or inv.employee is None:
        raise DomainError("Hanya inovasi pegawai yang sudah diterima yang dapat menjadi alasan usulan penghargaan.")
    reason = f"Inovasi: {inv.title} ({inv.started_on.year}) — {inv.effect}"
    return awards.propose_for_reason(inv.employee, period, actor, reason, note)


def listing(scope: Select, status: InnovationStatus | None = None) -> list[Innovation]:
    stmt = scope.options(joinedload(Innovation.unit), joinedload(Innovation.employee)).order_by(
        Innovation.started_on.desc(), Innovation.id.desc()
    )
    if status is not None:
        stmt = stmt.where(Innovation.status == status)
    return list(db.session.scalars(stmt.limit(500)).unique())


def accepted_for(employee_id: int | None, unit_ids: Sequence[int], start: date, end: date) -> list[Innovation]:
    """Accepted innovations of the employee or of their units started in [start, end]: rating evidence."""
    cond = Innovation.unit_id.in_(unit_ids or [-1]) & Innovation.employee_id.is_(None)
    if employee_id is not None:
        cond = cond | (Innovation.employee_id == employee_id)
    return list(
        db.session.scalars(
            select(Innovation)
            .where(cond, Innovation.status == InnovationStatus.ACCEPTED, Innovation.started_on.between(start, end))
            .order_by(Innovation.started_on)
        )
    )


def accepted_in_units(unit_ids: Sequence[int], start: date, end: date) -> list[Innovation]:
    """Every accepted innovation of the units (the unit's own and its employees') started in [start, end]."""
    return list(
        db.session.scalars(
            select(Innovation)
            .where(
                Innovation.unit_id.in_(unit_ids or [-1]),
                Innovation.status == InnovationStatus.ACCEPTED,
                Innovation.started_on.between(start, end),
            )
            .options(joinedload(Innovation.employee))
            .order_by(Innovation.started_on)
        )
    )


def count_by_unit(unit_ids: Sequence[int] | None, start: date, end: date) -> dict[int, int]:
    stmt = select(Innovation.unit_id, func.count()).where(
        Innovation.status == InnovationStatus.ACCEPTED, Innovation.started_on.between(start, end)
    )
    if unit_ids is not None:
        stmt = stmt.where(Innovation.unit_id.in_(unit_ids or [-1]))
    return dict(db.session.execute(stmt.group_by(Innovation.unit_id)).all())
