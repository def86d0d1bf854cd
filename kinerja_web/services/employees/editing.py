"""Profile edits of an employee: the cross-field rules shared with the import, applying them, moving to a post."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import select

from ...domain import DomainError
from ...domain import golongan as gol
from ...domain import nip as nipmod
from ...extensions import db
from ...models import AssignmentKind, Employee, Position, PositionAssignment
from ...timeutil import today_wib
from .. import rating_rules


def validate_fields(
    data: dict, *, existing_id: int | None = None, nip_owners: Mapping[str, int] | None = None
) -> list[tuple[str, str]]:
    """Cross-field rules shared by the edit form and the import: NIP consistency, golongan, uniqueness.

    Returns (field, message) pairs; an empty list means the record may be saved. `nip_owners`
    (NIP → employee id, loaded once) spares the import one uniqueness query per row.
    """
    errors: list[tuple[str, str]] = []
    is_pppk = data.get("status_asn") == "pppk"
    nip = nipmod.normalize(data.get("nip") or "")
    errors.extend(
        nipmod.consistency_errors(
            nip,
            birth_date=data.get("birth_date"),
            gender=data.get("gender"),
            tmt_cpns=data.get("tmt_cpns"),
            is_pppk=is_pppk,
            rules=rating_rules.nip_rules(today_wib()),  # the NIP checks' parameters in force today
        )
    )
    if data.get("golongan"):
        try:
            gol.validate(data["golongan"], is_pppk=is_pppk)
        except DomainError as e:
            errors.append(("golongan", e.message))
    if not any(f == "nip" for f, _ in errors):
        if nip_owners is not None:
            dup = nip_owners.get(nip)
        else:
            dup = db.session.scalar(select(Employee.id).where(Employee.nip == nip))
        if dup and dup != existing_id:
            errors.append(("nip", "NIP ini sudah dipakai pegawai lain."))
    tmt_gol, birth = data.get("tmt_golongan"), data.get("birth_date")
    if tmt_gol and birth and tmt_gol <= birth:
        errors.append(("tmt_golongan", "TMT golongan harus setelah tanggal lahir."))
    return errors


def save_employee(employee: Employee | None, data: dict, *, today: date) -> Employee:
    """Apply validated values to the employee, or to a new one when `employee` is None."""
    if employee is None:
        employee = Employee()
        db.session.add(employee)
    apply_fields(employee, data, today=today)
    return employee


def apply_fields(employee: Employee, data: dict, *, today: date) -> None:
    """Copy validated values onto the employee; a post change also writes riwayat jabatan."""
    is_pppk = data.get("status_asn") == "pppk"
    for key in (
        "name",
        "gelar_depan",
        "gelar_belakang",
        "status_asn",
        "gender",
        "birth_place",
        "birth_date",
        "tmt_cpns",
        "tmt_golongan",
        "mkg_years",
        "mkg_months",
        "ptkp_status",
        "bank_name",
        "bank_account",
        "email",
        "phone",
    ):
        if key in data:
            setattr(employee, key, data[key] if data[key] != "" else None)
    employee.nip = nipmod.normalize(data["nip"])
    employee.golongan = gol.validate(data["golongan"], is_pppk=is_pppk)
    new_position_id = data.get("position_id")
    if new_position_id and new_position_id != employee.position_id:
        move_to_position(employee, db.session.get(Position, new_position_id), start=data.get("position_start") or today)


def move_to_position(employee: Employee, position: Position, *, start: date, sk_number: str | None = None) -> None:
    """Definitive appointment to `position` from `start`: closes the running row and opens a new one."""
    for row in employee.assignments:
        if row.kind == AssignmentKind.DEFINITIF and row.end_date is None:
            if row.start_date >= start:
                raise DomainError(
                    "Tanggal mulai jabatan baru harus setelah tanggal mulai jabatan sekarang.", field="position_start"
                )
            row.end_date = start - timedelta(days=1)
    employee.position = position
    employee.unit_id = position.unit_id
    db.session.add(
        PositionAssignment(
            employee=employee, position=position, kind=AssignmentKind.DEFINITIF, start_date=start, sk_number=sk_number
        )
    )
