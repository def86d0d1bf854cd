"""State changes on the organisation: posts, units and (acting) appointments. Flush, never commit.

After an appointment changes the caller also runs `services.skp.reroute_submitted`: SKP awaiting a decision follow
the new pejabat penilai at once (the SKP area sits above the organisation, so org code does not call it).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from ...domain import DomainError
from ...domain.nip import normalize
from ...domain.org import would_cycle
from ...extensions import db
from ...models import AssignmentKind, Employee, Position, PositionAssignment, Unit, UnitKind

# BKN practice (SE Kepala BKN 1/2021 on Plt/Plh): acting appointments are temporary; a Plt runs at most
# 3 months and may be extended once by 3 months. Enforced as a warning-level limit in the data-quality queue;
# here we only require an end date so that an expired one becomes visible.
ACTING_KINDS = (AssignmentKind.PLT, AssignmentKind.PLH)


def save_position(position: Position, data: dict) -> None:
    """Validate cross-record rules (no cycle, cross-OPD needs a reason) and apply the form values."""
    parent_id = data.get("parent_id")
    if parent_id is not None and position.id is not None:
        parent_of = dict(db.session.execute(select(Position.id, Position.parent_id)).all())
        if would_cycle(parent_of, position.id, parent_id):
            raise DomainError(
                "Atasan ini membuat rantai atasan berputar (siklus). Pilih jabatan lain.", field="parent_id"
            )
    parent = db.session.get(Position, parent_id) if parent_id else None
    if parent_id and parent is None:
        raise DomainError("Jabatan atasan tidak ditemukan.", field="parent_id")
    unit = position.unit or db.session.get(Unit, data["unit_id"])
    if (
        parent is not None
        and not data.get("is_leader_of_opd")
        and parent.unit.opd.id != unit.opd.id
        and not (data.get("cross_opd_reason") or "").strip()
    ):
        raise DomainError(
            "Atasan berada di OPD lain: tuliskan alasannya (mis. penugasan lintas OPD).", field="cross_opd_reason"
        )
    for key in ("name", "kind", "jenjang", "kelas_jabatan", "is_leader", "cross_opd_reason"):
        if key in data:
            setattr(position, key, data[key] or (None if key in ("jenjang", "cross_opd_reason") else data[key]))
    position.parent = parent


def add_assignment(position: Position, data: dict) -> PositionAssignment:
    """Appoint an employee definitively or as Plt/Plh for a date range."""
    emp = db.session.scalars(select(Employee).where(Employee.nip == normalize(data["nip"]))).first()
    if emp is None:
        raise DomainError("Tidak ada pegawai dengan NIP ini.", field="nip")
    kind = AssignmentKind(data["kind"])
    start, end = data["start_date"], data.get("end_date")
    if kind in ACTING_KINDS and end is None:
        raise DomainError("Plt/Plh wajib mempunyai tanggal berakhir.", field="end_date")
    if end is not None and end < start:
        raise DomainError("Tanggal berakhir harus sama dengan atau setelah tanggal mulai.", field="end_date")
    overlap = select(PositionAssignment.id).where(
        PositionAssignment.position_id == position.id,
        PositionAssignment.kind == kind,
        or_(PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= start),
    )
    if end is not None:
        overlap = overlap.where(PositionAssignment.start_date <= end)
    if kind in ACTING_KINDS and db.session.scalar(overlap.limit(1)):
        raise DomainError(
            f"Sudah ada {kind.label} pada jabatan ini dalam rentang tanggal tersebut.", field="start_date"
        )
    if kind == AssignmentKind.DEFINITIF:
        if db.session.scalar(overlap.limit(1)):
            raise DomainError(
                "Jabatan ini masih diduduki pejabat definitif. Akhiri penugasan itu terlebih dahulu.",
                field="start_date",
            )
    row = PositionAssignment(
        employee=emp,
        position=position,
        kind=kind,
        start_date=start,
        end_date=end,
        sk_number=data.get("sk_number") or None,
    )
    db.session.add(row)
    if kind == AssignmentKind.DEFINITIF:
        for other in emp.assignments:
            if other is not row and other.kind == AssignmentKind.DEFINITIF and other.end_date is None:
                if other.start_date >= start:
                    raise DomainError("Tanggal mulai harus setelah mulai jabatan pegawai saat ini.", field="start_date")
                other.end_date = date.fromordinal(start.toordinal() - 1)
        emp.position, emp.unit_id = position, position.unit_id
    db.session.flush()
    return row


def end_assignment(row: PositionAssignment, end: date) -> None:
    if end < row.start_date:
        raise DomainError("Tanggal berakhir tidak boleh sebelum tanggal mulai.", field="end_date")
    row.end_date = end
    if row.kind == AssignmentKind.DEFINITIF and row.employee.position_id == row.position_id:
        row.employee.position = None
        row.employee.unit_id = row.position.unit_id
    db.session.flush()


def create_unit(parent: Unit, data: dict) -> Unit:
    """A new sub-unit below `parent`; its code must be unused."""
    code = data["code"].strip()
    if db.session.scalar(select(Unit.id).where(Unit.code == code)):
        raise DomainError("Kode unit sudah dipakai.", field="code")
    unit = Unit(
        parent=parent,
        code=code,
        name=data["name"].strip(),
        kind=UnitKind(data["kind"]),
        address=data.get("address") or None,
    )
    db.session.add(unit)
    return unit
