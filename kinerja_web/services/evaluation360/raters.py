"""Evaluation360 raters: nominations by the evaluatee, the appraiser's decision, HR's overrides, declines.

Every function flushes and never commits; the view commits once.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import func, select

from ...domain import DomainError
from ...domain.labels import full_stop
from ...extensions import db
from ...models import (
    AssignmentStatus,
    Employee,
    Evaluatee,
    RaterAssignment,
    RaterGroup,
    RaterSource,
)
from ..skp.records import notify_employee

DECLINE_REASON_MIN = 10


# --- raters ------------------------------------------------------------------------------------------


def find_employee_by_nip(nip: str) -> Employee:
    emp = db.session.scalars(select(Employee).where(Employee.nip == nip.replace(" ", ""))).first()
    if emp is None:
        raise DomainError("Pegawai dengan NIP tersebut tidak ditemukan.", field="nip")
    return emp


def check_rater(evaluatee: Evaluatee, rater: Employee, group: RaterGroup) -> None:
    """Refuse conflicts: self outside the "diri sendiri" group, inactive raters, raters outside the OPD."""
    if not rater.active:
        raise DomainError("Pegawai tersebut tidak aktif dan tidak dapat menjadi penilai.", field="nip")
    is_self = rater.id == evaluatee.employee_id
    if is_self and group != RaterGroup.DIRI:
        raise DomainError("Pegawai tidak dapat menilai dirinya sendiri sebagai rekan, atasan, atau bawahan.", "nip")
    if group == RaterGroup.DIRI and not is_self:
        raise DomainError("Kelompok “diri sendiri” hanya untuk pegawai yang dinilai.", field="group")
    if group != RaterGroup.ATASAN:
        own = evaluatee.employee.unit.opd.id if evaluatee.employee.unit else None
        theirs = rater.unit.opd.id if rater.unit else None
        if own is None or own != theirs:
            raise DomainError("Penilai harus pegawai aktif pada perangkat daerah yang sama.", field="nip")
    exists = db.session.scalar(
        select(RaterAssignment.id).where(
            RaterAssignment.evaluatee_id == evaluatee.id, RaterAssignment.rater_id == rater.id
        )
    )
    if exists:
        raise DomainError("Pegawai tersebut sudah terdaftar sebagai penilai.", field="nip")


def nominations_used(evaluatee: Evaluatee) -> int:
    return (
        db.session.scalar(
            select(func.count(RaterAssignment.id)).where(
                RaterAssignment.evaluatee_id == evaluatee.id,
                RaterAssignment.source == RaterSource.NOMINATED,
                RaterAssignment.status != AssignmentStatus.REJECTED,
            )
        )
        or 0
    )


def nominate(evaluatee: Evaluatee, nip: str, today: date) -> RaterAssignment:
    """The employee proposes an extra peer; the atasan approves it (pending until then)."""
    cycle = evaluatee.cycle
    if today > cycle.deadline:
        raise DomainError("Batas waktu siklus ini telah lewat; usulan penilai tidak dapat ditambahkan.")
    if nominations_used(evaluatee) >= cycle.max_nominations:
        raise DomainError(f"Anda sudah mengusulkan {cycle.max_nominations} rekan (batas siklus ini).", field="nip")
    rater = find_employee_by_nip(nip)
    check_rater(evaluatee, rater, RaterGroup.REKAN)
    a = RaterAssignment(
        evaluatee=evaluatee,
        rater=rater,
        group=RaterGroup.REKAN,
        source=RaterSource.NOMINATED,
        status=AssignmentStatus.PENDING,
    )
    db.session.add(a)
    db.session.flush()
    notify_employee(
        evaluatee.appraiser_id,
        "penilaian360_usulan",
        f"{evaluatee.employee.full_name} mengusulkan penilai rekan tambahan; mohon setujui atau tolak.",
        url_for("evaluation360.approvals", _external=False),
    )
    return a


def decide_nomination(assignment: RaterAssignment, approve: bool) -> None:
    if assignment.status != AssignmentStatus.PENDING:
        raise DomainError("Usulan ini sudah diputuskan.")
    assignment.status = AssignmentStatus.APPROVED if approve else AssignmentStatus.REJECTED
    db.session.flush()
    if approve:
        notify_employee(
            assignment.rater_id,
            "penilaian360_tugas",
            full_stop(f"Anda diminta mengisi penilaian 360 untuk {assignment.evaluatee.employee.full_name}"),
            url_for("evaluation360.inbox", _external=False),
        )


def add_rater(evaluatee: Evaluatee, nip: str, group: RaterGroup) -> RaterAssignment:
    """HR override: add any rater that passes the conflict checks, approved at once."""
    rater = find_employee_by_nip(nip)
    check_rater(evaluatee, rater, group)
    a = RaterAssignment(
        evaluatee=evaluatee, rater=rater, group=group, source=RaterSource.HR, status=AssignmentStatus.APPROVED
    )
    db.session.add(a)
    db.session.flush()
    return a


def remove_rater(assignment: RaterAssignment) -> None:
    """HR override: remove a rater who has not submitted (submitted answers are never deleted one by one)."""
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise DomainError("Penilai yang sudah mengirim penilaian tidak dapat dihapus.")
    db.session.delete(assignment)
    db.session.flush()


def decline(assignment: RaterAssignment, reason: str) -> None:
    """The rater declines with a reason; any draft answers are discarded."""
    reason = (reason or "").strip()
    if len(reason) < DECLINE_REASON_MIN:
        raise DomainError(f"Tuliskan alasan minimal {DECLINE_REASON_MIN} karakter.", field="reason")
    assignment.status, assignment.decline_reason = AssignmentStatus.DECLINED, reason[:500]
    assignment.responses.clear()
    assignment.overall_comment = None
    db.session.flush()
