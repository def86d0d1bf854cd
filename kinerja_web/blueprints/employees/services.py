"""Employee queries and changes (directory, profile, create/edit)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain import golongan as gol
from ...domain import nip as nipmod
from ...extensions import db
from ...models import Employee, Position, PositionAssignment, Unit, UnitKind


def directory_page(q: str = "", opd_id: int | None = None, *, per_page: int) -> Pagination:
    """One page of the directory (page number from the request), rows with their post and unit loaded.

    The total is counted on the bare filter, without the row joins (3x cheaper at 7,500 employees),
    and not at all when the first page already holds every match.
    """
    stmt = directory_query(q, opd_id)
    page = db.paginate(
        stmt.options(joinedload(Employee.position), joinedload(Employee.unit)),
        per_page=per_page,
        error_out=False,
        count=False,
    )
    if page.page == 1 and len(page.items) < per_page:
        page.total = len(page.items)
    else:
        page.total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return page


def directory_query(q: str = "", opd_id: int | None = None) -> Select:
    """Active employees matching a name or NIP fragment, optionally within one OPD (and its sub-units)."""
    stmt = select(Employee).where(Employee.active.is_(True))
    q = (q or "").strip()
    if q:
        digits = nipmod.normalize(q)
        conds = [_name_contains(q)]
        if digits.isdigit():
            conds.append(Employee.nip.startswith(digits))
        stmt = stmt.where(or_(*conds))
    if opd_id:
        stmt = stmt.where(Employee.unit_id.in_(unit_subtree_ids(opd_id)))
    return stmt.order_by(Employee.name, Employee.id)


def _name_contains(q: str):
    """Case-insensitive substring match; `%` and `_` typed by the user match literally.

    SQLite's LIKE already ignores ASCII case (and its lower() knows nothing else), so plain LIKE there is
    the same match without lower() on every row, and it can read the name straight from an index.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return Employee.name.contains(q, autoescape=True)
    return Employee.name.icontains(q, autoescape=True)


def unit_subtree_ids(root_id: int) -> list[int]:
    ids, frontier = [root_id], [root_id]
    while frontier:
        frontier = list(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def opd_choices() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD).order_by(Unit.sort_order, Unit.name)))


def history_of(employee: Employee) -> list[PositionAssignment]:
    return list(
        db.session.scalars(
            select(PositionAssignment)
            .options(joinedload(PositionAssignment.position).joinedload(Position.unit))
            .where(PositionAssignment.employee_id == employee.id)
            .order_by(PositionAssignment.start_date.desc())
        )
    )


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
    from datetime import timedelta

    from ...models import AssignmentKind

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
