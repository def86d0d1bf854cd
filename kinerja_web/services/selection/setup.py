"""Opening a selection, forming the panitia seleksi, registering candidates and starting the stages.

Functions flush, never commit. A selection is opened with its requirements, schedule and the weight and pass mark of
each of the four stages (weights sum to 100 %, `domain.selection.check_weights`); the pansel is checked (odd size,
one ketua) when the selection starts, which also opens the administrasi stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ... import audit
from ...domain import DomainError
from ...domain import golongan as gol
from ...domain.nip import normalize as normalize_nip
from ...domain.predikat import Predikat
from ...domain.selection import (
    STAGE_ORDER,
    CandidateStatus,
    MemberRole,
    Pendidikan,
    SelectionKind,
    SelectionStatus,
    StageKind,
    StageStatus,
    check_pansel,
    check_weights,
)
from ...extensions import db
from ...models import (
    Candidate,
    ConflictDeclaration,
    Employee,
    MemberScore,
    PanselMember,
    Position,
    PositionKind,
    Selection,
    SelectionStage,
    User,
)

SELECTABLE_KINDS = (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)


@dataclass
class SelectionInput:
    position_id: int
    unit_id: int
    kind: SelectionKind
    title: str
    registration_opens: date
    registration_closes: date
    weights: dict[StageKind, Decimal]
    pass_marks: dict[StageKind, Decimal]
    min_golongan: str | None = None
    min_pendidikan: Pendidikan | None = None
    min_predikat: Predikat | None = Predikat.BAIK
    no_discipline: bool = True
    training: str | None = None
    notes: str | None = None


def open_selection(data: SelectionInput, actor: User) -> Selection:
    """Open a selection for a vacant JPT/administrator/pengawas post with its four stages."""
    position = db.session.get(Position, data.position_id)
    if position is None or position.kind not in SELECTABLE_KINDS:
        raise DomainError("Pilih jabatan pimpinan tinggi, administrator, atau pengawas.", field="position_id")
    if not (data.title or "").strip():
        raise DomainError("Judul seleksi wajib diisi.", field="title")
    if data.registration_closes < data.registration_opens:
        raise DomainError("Tanggal tutup pendaftaran tidak boleh sebelum tanggal buka.", field="registration_closes")
    min_golongan = None
    if data.min_golongan:
        min_golongan = gol.normalize(data.min_golongan)
        if gol.rank(min_golongan) == 0:
            raise DomainError(f"Golongan '{data.min_golongan}' tidak dikenal (contoh: III/c).", field="min_golongan")
    check_weights(data.weights)
    for kind, mark in data.pass_marks.items():
        if mark < 0 or mark > 100:
            raise DomainError(f"Nilai ambang {kind.label} harus antara 0 dan 100.", field=f"pass_{kind.value}")
    sel = Selection(
        position_id=position.id,
        unit_id=data.unit_id,
        kind=data.kind,
        title=data.title.strip()[:200],
        registration_opens=data.registration_opens,
        registration_closes=data.registration_closes,
        min_golongan=min_golongan,
        min_pendidikan=data.min_pendidikan,
        min_predikat=data.min_predikat,
        no_discipline=data.no_discipline,
        training=(data.training or "").strip() or None,
        notes=(data.notes or "").strip() or None,
        created_by_id=actor.id,
    )
    sel.stages = [
        SelectionStage(kind=k, seq=i, weight=data.weights[k], pass_mark=data.pass_marks.get(k, Decimal(0)))
        for i, k in enumerate(STAGE_ORDER, start=1)
    ]
    db.session.add(sel)
    db.session.flush()
    audit.record(db.session, "open_selection", "selection", sel.id, f"Seleksi dibuka: {sel.title}")
    return sel


def load(selection_id: int) -> Selection | None:
    return db.session.scalar(
        select(Selection)
        .where(Selection.id == selection_id)
        .options(
            selectinload(Selection.stages),
            selectinload(Selection.members).selectinload(PanselMember.employee),
            selectinload(Selection.candidates).selectinload(Candidate.employee).selectinload(Employee.position),
        )
    )


def _require_not_started(sel: Selection, what: str) -> None:
    if sel.status != SelectionStatus.OPEN:
        raise DomainError(f"{what} hanya dapat diubah sebelum seleksi dimulai.")


def employee_by_nip(nip: str, field: str) -> Employee:
    emp = db.session.scalar(select(Employee).where(Employee.nip == normalize_nip(nip or "")))
    if emp is None:
        raise DomainError(f"Pegawai dengan NIP «{nip}» tidak ditemukan.", field=field)
    return emp


def add_member(sel: Selection, *, nip: str | None, name: str | None, institution: str | None, role: MemberRole):
    """Add a pansel member from the org data (by NIP) or an external member (name and institution)."""
    _require_not_started(sel, "Panitia seleksi")
    if role == MemberRole.KETUA and any(m.role == MemberRole.KETUA for m in sel.members):
        raise DomainError("Panitia seleksi sudah mempunyai ketua.", field="role")
    if (nip or "").strip():
        emp = employee_by_nip(nip, "nip")
        if any(m.employee_id == emp.id for m in sel.members):
            raise DomainError(f"{emp.full_name} sudah menjadi anggota panitia seleksi ini.", field="nip")
        if any(c.employee_id == emp.id for c in sel.candidates):
            raise DomainError(f"{emp.full_name} terdaftar sebagai peserta; peserta tidak dapat menjadi panitia.", "nip")
        member = PanselMember(employee_id=emp.id, name=emp.full_name, role=role, institution=emp.unit.name)
    else:
        if not (name or "").strip():
            raise DomainError("Isi NIP anggota dari data pegawai, atau nama anggota dari luar instansi.", field="nip")
        member = PanselMember(name=name.strip()[:150], institution=(institution or "").strip()[:200] or None, role=role)
    sel.members.append(member)
    db.session.flush()
    return member


def remove_member(sel: Selection, member: PanselMember) -> None:
    _require_not_started(sel, "Panitia seleksi")
    sel.members.remove(member)
    db.session.flush()


def _check_registration(sel: Selection, employee: Employee | None) -> None:
    if sel.status != SelectionStatus.OPEN:
        raise DomainError("Pendaftaran seleksi ini sudah ditutup.")
    if employee is not None:
        if any(c.employee_id == employee.id for c in sel.candidates):
            raise DomainError(f"{employee.full_name} sudah terdaftar pada seleksi ini.", field="nip")
        if any(m.employee_id == employee.id for m in sel.members):
            raise DomainError(f"{employee.full_name} adalah panitia seleksi ini dan tidak dapat mendaftar.", "nip")
        if employee.position_id == sel.position_id:
            raise DomainError(f"{employee.full_name} sedang menduduki jabatan yang diseleksi.", field="nip")


def apply(sel: Selection, employee: Employee, pendidikan: Pendidikan | None, on: date, actor: User) -> Candidate:
    """An employee applies from the intranet during the registration period."""
    if not (sel.registration_opens <= on <= sel.registration_closes):
        raise DomainError(
            f"Pendaftaran dibuka {sel.registration_opens:%d-%m-%Y} s.d. {sel.registration_closes:%d-%m-%Y}."
        )
    return register_employee(sel, employee, pendidikan, actor)


def register_employee(sel: Selection, employee: Employee, pendidikan: Pendidikan | None, actor: User) -> Candidate:
    _check_registration(sel, employee)
    if pendidikan is None:
        raise DomainError("Pilih pendidikan terakhir.", field="pendidikan")
    cand = Candidate(
        employee_id=employee.id,
        name=employee.full_name,
        nip=employee.nip,
        golongan=employee.golongan,
        pendidikan=pendidikan,
        registered_by_id=actor.id,
    )
    sel.candidates.append(cand)
    db.session.flush()
    return cand


def register_external(
    sel: Selection, *, name: str, nip: str | None, institution: str, golongan: str | None, pendidikan, actor: User
) -> Candidate:
    """HR registers a candidate from another instansi (open selection)."""
    _check_registration(sel, None)
    if sel.kind != SelectionKind.TERBUKA:
        raise DomainError("Peserta dari luar instansi hanya untuk seleksi terbuka.", field="name")
    if not (name or "").strip() or not (institution or "").strip():
        raise DomainError("Nama dan instansi asal peserta wajib diisi.", field="name")
    if pendidikan is None:
        raise DomainError("Pilih pendidikan terakhir.", field="pendidikan")
    cand = Candidate(
        name=name.strip()[:150],
        nip=(nip or "").strip()[:18] or None,
        institution=institution.strip()[:200],
        golongan=gol.normalize(golongan) if golongan else None,
        pendidikan=pendidikan,
        registered_by_id=actor.id,
    )
    sel.candidates.append(cand)
    db.session.flush()
    return cand


def start(sel: Selection, actor: User) -> SelectionStage:
    """Close registration and open the administrasi stage: the pansel must be complete first."""
    if sel.status != SelectionStatus.OPEN:
        raise DomainError("Seleksi ini sudah dimulai.")
    check_pansel(sel.position.kind.value, len(sel.members), sum(1 for m in sel.members if m.role == MemberRole.KETUA))
    if not any(c.status == CandidateStatus.ACTIVE for c in sel.candidates):
        raise DomainError("Belum ada peserta terdaftar.")
    sel.status = SelectionStatus.RUNNING
    first = sel.stages[0]
    first.status = StageStatus.OPEN
    db.session.flush()
    audit.record(
        db.session,
        "start_selection",
        "selection",
        sel.id,
        f"Seleksi dimulai: {len(sel.candidates)} peserta, panitia {len(sel.members)} orang",
    )
    return first


def member_of(sel: Selection, user: User) -> PanselMember | None:
    if not user.is_authenticated or user.employee_id is None:
        return None
    return next((m for m in sel.members if m.employee_id == user.employee_id), None)


def candidate_of(sel: Selection, user: User) -> Candidate | None:
    if not user.is_authenticated or user.employee_id is None:
        return None
    return next((c for c in sel.candidates if c.employee_id == user.employee_id), None)


def declarations(member: PanselMember) -> dict[int, ConflictDeclaration]:
    return {
        d.candidate_id: d
        for d in db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.member_id == member.id))
    }


def declare(member: PanselMember, candidate: Candidate, has_conflict: bool, note: str | None) -> ConflictDeclaration:
    """A member states, per candidate, that there is no conflict of interest (or that there is one: then they do not
    score that candidate). A statement is final; a conflict found later is a new statement with a reason."""
    if candidate.selection_id != member.selection_id:
        raise DomainError("Peserta tidak ditemukan pada seleksi ini.")
    if has_conflict and not (note or "").strip():
        raise DomainError("Jelaskan singkat hubungan yang menimbulkan konflik kepentingan.", field="note")
    found = db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.candidate_id == candidate.id
        )
    )
    if found is not None and not has_conflict:
        return found
    scored = db.session.scalar(
        select(func.count(MemberScore.id)).where(
            MemberScore.member_id == member.id, MemberScore.candidate_id == candidate.id
        )
    )
    if has_conflict and scored:
        raise DomainError("Anda sudah memberi nilai kepada peserta ini; hubungi admin kepegawaian.", field="note")
    if found is None:
        found = ConflictDeclaration(member_id=member.id, candidate_id=candidate.id)
        db.session.add(found)
    found.has_conflict = has_conflict
    found.note = (note or "").strip()[:300] or None
    db.session.flush()
    return found


def open_selections(on: date) -> list[Selection]:
    return list(
        db.session.scalars(
            select(Selection)
            .where(Selection.status == SelectionStatus.OPEN, Selection.registration_closes >= on)
            .order_by(Selection.registration_closes)
        )
    )


def all_selections() -> list[Selection]:
    return list(db.session.scalars(select(Selection).order_by(Selection.created_at.desc(), Selection.id.desc())))


def selections_of_member(employee_id: int) -> list[Selection]:
    return list(
        db.session.scalars(
            select(Selection).join(PanselMember).where(PanselMember.employee_id == employee_id).order_by(Selection.id)
        )
    )


def candidacies_of(employee_id: int) -> list[Candidate]:
    return list(
        db.session.scalars(select(Candidate).where(Candidate.employee_id == employee_id).order_by(Candidate.id.desc()))
    )


def selectable_positions() -> list[Position]:
    return list(
        db.session.scalars(
            select(Position)
            .where(Position.kind.in_(list(SELECTABLE_KINDS)))
            .options(selectinload(Position.unit))
            .order_by(Position.kelas_jabatan.desc(), Position.name)
        )
    )
