"""PTKP status per tax year (issue 20 item 1): opening a year from the family data, HR confirming or
overriding (with reason, audited through the model), and the status a month's run uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, or_, select

from ...domain import DomainError
from ...domain.labels import tanggal
from ...domain.payroll.ptkp_year import (
    CITATION_AWAL_TAHUN,
    FamilyFact,
    PtkpSource,
    contradiction,
    derive,
    parse_status,
)
from ...extensions import db
from ...models import Employee, FamilyRelation, Gender, PtkpYear, User
from ...models.base import utcnow


def family_facts(employee: Employee) -> list[FamilyFact]:
    """The employee's family as the PTKP rule reads it (a child counts from its birth unless dated otherwise)."""
    return [
        FamilyFact(
            is_spouse=f.relation != FamilyRelation.ANAK,
            since=f.tanggungan_sejak or (f.birth_date if f.relation == FamilyRelation.ANAK else None),
            tanggungan=f.receives_allowance,
            keterangan_tanpa_penghasilan=f.keterangan_tanpa_penghasilan,
        )
        for f in employee.family
    ]


def start_of_employment(employee: Employee) -> date | None:
    return employee.tmt_cpns


def derive_for(employee: Employee, tahun: int):
    return derive(tahun, employee.gender == Gender.P, family_facts(employee), start_of_employment(employee))


def contradiction_for(employee: Employee, tahun: int, status: str) -> str | None:
    return contradiction(
        status, tahun, employee.gender == Gender.P, family_facts(employee), start_of_employment(employee)
    )


_ROW = select(PtkpYear).where(PtkpYear.employee_id == bindparam("employee_id"), PtkpYear.tahun == bindparam("tahun"))


def row_for(employee_id: int, tahun: int) -> PtkpYear | None:
    return db.session.scalar(_ROW, {"employee_id": employee_id, "tahun": tahun})


def statuses(employee_ids: Iterable[int] | None, tahun: int) -> dict[int, str]:
    """employee id → the status stored for `tahun` (one query); employees without a row are absent."""
    stmt = select(PtkpYear.employee_id, PtkpYear.status).where(PtkpYear.tahun == tahun)
    ids = None if employee_ids is None else set(employee_ids)
    if ids is not None and len(ids) < 1000:
        stmt = stmt.where(PtkpYear.employee_id.in_(ids))
    return {eid: s for eid, s in db.session.execute(stmt) if ids is None or eid in ids}


@dataclass
class OpenResult:
    created: int = 0
    pending: int = 0
    unchanged: int = 0


def open_year(tahun: int, actor: User | None) -> OpenResult:
    """A row for `tahun` for every active employee without one: the status the family data gives as of
    1 January (or the start of employment). Equal to the previous year's status (or, without a row, the
    employee's current field) → confirmed; a change → pending until HR confirms it. Rows already there stay."""
    have = set(db.session.scalars(select(PtkpYear.employee_id).where(PtkpYear.tahun == tahun)))
    before = statuses(None, tahun - 1)
    out = OpenResult()
    for emp in db.session.scalars(select(Employee).where(Employee.active.is_(True)).order_by(Employee.id)):
        if emp.id in have:
            continue
        d = derive_for(emp, tahun)
        previous = before.get(emp.id, emp.ptkp_status)
        same = previous == d.status
        db.session.add(
            PtkpYear(
                employee_id=emp.id,
                tahun=tahun,
                status=d.status,
                source=PtkpSource.KELUARGA,
                as_of=d.as_of,
                derived_status=d.status,
                basis=d.basis if same else f"{d.basis} Sebelumnya {previous or 'belum diisi'}.",
                confirmed_at=utcnow() if same else None,
                confirmed_by_id=actor.id if same and actor else None,
            )
        )
        out.created += 1
        out.pending += not same
        out.unchanged += same
    db.session.flush()
    return out


def confirm(row: PtkpYear, actor: User) -> None:
    """HR confirms a pending status (the family data's); refused when the family data changed since."""
    if not row.pending:
        raise DomainError("Status PTKP tahun ini sudah dikonfirmasi.", field="status")
    problem = contradiction_for(row.employee, row.tahun, row.status)
    if problem:
        raise DomainError(problem, field="status")
    row.confirmed_at = utcnow()
    row.confirmed_by_id = actor.id
    db.session.flush()


def override(row: PtkpYear, status: str, reason: str, actor: User) -> None:
    """HR sets the year's status with a reason; refused if it contradicts the family data (claims a marriage
    or dependants the family data does not carry, or K/… for a married female employee without the
    kecamatan statement). Audited through the model."""
    status = (status or "").strip().upper()
    parse_status(status)
    if not (reason or "").strip():
        raise DomainError("Alasan wajib diisi.", field="reason")
    problem = contradiction_for(row.employee, row.tahun, status)
    if problem:
        raise DomainError(problem, field="status")
    row.status = status
    row.source = PtkpSource.KOREKSI
    row.reason = reason.strip()
    row.confirmed_at = utcnow()
    row.confirmed_by_id = actor.id
    db.session.flush()


def rows_of_year(tahun: int, pending_only: bool = False, q: str = "", limit: int | None = None) -> list[PtkpYear]:
    """The year's rows by name (optionally only pending ones, or those whose name or NIP contains `q`)."""
    stmt = select(PtkpYear).join(Employee, Employee.id == PtkpYear.employee_id).where(PtkpYear.tahun == tahun)
    if pending_only:
        stmt = stmt.where(PtkpYear.confirmed_at.is_(None))
    if q.strip():
        like = f"%{q.strip().replace(' ', '')}%"
        stmt = stmt.where(or_(Employee.name.ilike(f"%{q.strip()}%"), Employee.nip.like(like)))
    return list(db.session.scalars(stmt.order_by(Employee.name, Employee.id).limit(limit)))


def pending_count(tahun: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(PtkpYear).where(PtkpYear.tahun == tahun, PtkpYear.confirmed_at.is_(None))
    )


def rows_of_employee(employee_id: int) -> list[PtkpYear]:
    return list(
        db.session.scalars(select(PtkpYear).where(PtkpYear.employee_id == employee_id).order_by(PtkpYear.tahun.desc()))
    )


def explanation(employee: Employee, month: date, used: str | None) -> str | None:
    """Which year's status the month used and why, in one sentence (for "Mengapa gaji saya…")."""
    if not used:
        return None
    row = row_for(employee.id, month.year)
    head = f"PPh 21 bulan ini memakai status PTKP {used} untuk tahun pajak {month.year}"
    if row is None or row.status != used:
        return f"{head}, dari data pegawai (belum ada status per tahun pajak yang tersimpan)."
    why = {
        PtkpSource.MIGRASI: "dipindahkan dari data pegawai saat status per tahun pajak mulai dipakai",
        PtkpSource.KELUARGA: row.basis.rstrip("."),
        PtkpSource.KOREKSI: f"ditetapkan HR dengan alasan: {row.reason}",
    }[row.source]
    sentence = f"{head} ({CITATION_AWAL_TAHUN}): {why}."
    upcoming = derive_for(employee, month.year + 1)
    if upcoming.status != used:
        sentence += (
            f" Menurut data keluarga, status tahun pajak {month.year + 1} menjadi {upcoming.status} "
            f"(perubahan di tengah tahun baru berlaku mulai Januari, per {tanggal(upcoming.as_of)})."
        )
    return sentence
