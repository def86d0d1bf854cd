"""Employee queries: the directory search, OPD choices, riwayat jabatan and the posts of an OPD."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, or_, select, text
from sqlalchemy.orm import joinedload

from ...domain import nip as nipmod
from ...extensions import db
from ...models import Employee, Position, PositionAssignment, Unit, UnitKind, search
from ...models.org import person_full_name, position_full_name
from ..org import units
from ..paging import Page


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """One line of the directory: plain values, not an Employee (a page of 25 ORM rows with their post and
    unit costs more to load than the whole rest of the request)."""

    id: int
    nip: str
    full_name: str
    position: str | None  # the post's full name
    unit: str | None
    golongan: str


DirectoryPage = Page  # of DirectoryRow


def directory_page(q: str = "", opd_id: int | None = None, *, page: int = 1, per_page: int) -> DirectoryPage:
    """One page of the directory, rows with their post and unit names.

    The total is counted on the bare filter, without the row joins (3x cheaper at 7,500 employees),
    and not at all when the page already shows the last match.
    """
    page = max(1, page)
    shape, params = _directory_params(q, opd_id)
    # Plain column selects: run on the session's connection (same transaction), skipping the ORM's
    # per-statement set-up, which cost as much as the SQLite query itself.
    conn = db.session.connection()
    rows_stmt, count_stmt = _directory_statements(conn.dialect.name, shape)
    rows = conn.execute(rows_stmt, {**params, "limit": per_page, "offset": (page - 1) * per_page}).all()
    items = [
        DirectoryRow(
            id=r[0],
            nip=r[1],
            full_name=person_full_name(r[2], r[3], r[4]),
            golongan=r[5],
            position=position_full_name(r[6], r[7], r[8]) if r[6] is not None else None,
            unit=r[9],
        )
        for r in rows
    ]
    if 0 < len(items) < per_page or (page == 1 and not items):
        total = (page - 1) * per_page + len(items)
    else:
        total = conn.execute(count_stmt, params).scalar() or 0
    return DirectoryPage(items, page, per_page, total)


def _directory_params(q: str, opd_id: int | None) -> tuple[tuple[bool, bool, bool, bool, bool], dict]:
    """Which filters apply (the statement's shape) and their bound values.

    Name: case-insensitive substring, `%` and `_` typed by the user match literally. NIP: prefix, when the
    search is digits (spaces as printed on documents are ignored).
    """
    params: dict = {}
    q = (q or "").strip()
    if q:
        params["name"] = "%" + q.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        params["phrase"] = search.phrase(q)
        digits = nipmod.normalize(q)
        if digits.isdigit():
            params["nip"] = digits + "%"
    if opd_id:
        params["units"] = units.subtree_ids(opd_id)
    trigrams = len(q) >= 3  # the SQLite trigram index answers substrings of three characters or more
    return ("name" in params, "nip" in params, "units" in params, trigrams, not q.isascii()), params


@functools.cache
def _directory_statements(dialect: str, shape: tuple[bool, bool, bool, bool, bool]) -> tuple[Select, Select]:
    """The page and count statements for one filter shape, built once per process (building a statement
    costs more than running it); values are bound per request.

    The page walks the name index in order and stops after one page of matches. The count must see every
    match: on SQLite it reads them from the trigram index (models/search.py) instead of testing every name.
    Rows and count must agree: SQLite's LIKE folds only ASCII case, the trigram index folds Unicode case
    ("émile" finds "Émile"), so a search with non-ASCII letters takes its rows from the index too.
    """
    by_name, by_nip, by_units, trigrams, non_ascii = shape
    conds, count_conds = [Employee.active.is_(True)], [Employee.active.is_(True)]
    if by_name:
        # SQLite's LIKE already ignores ASCII case (and its lower() knows nothing else): plain LIKE there is
        # the same match without lower() on every row, and it reads the name straight from an index.
        name = Employee.name if dialect == "sqlite" else func.lower(Employee.name)
        pattern = bindparam("name") if dialect == "sqlite" else func.lower(bindparam("name"))
        row_match = count_match = name.like(pattern, escape="/")
        if dialect == "sqlite" and trigrams:
            fts = text(f"SELECT rowid FROM {search.TABLE} WHERE {search.TABLE} MATCH :phrase")
            count_match = Employee.id.in_(fts.columns(Employee.id).scalar_subquery())
            if non_ascii:
                row_match = count_match
        nip = [Employee.nip.like(bindparam("nip"))] if by_nip else []
        conds.append(or_(row_match, *nip))
        count_conds.append(or_(count_match, *nip))
    if by_units:
        units = Employee.unit_id.in_(bindparam("units", expanding=True))
        conds.append(units)
        count_conds.append(units)
    rows = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.gelar_depan,
            Employee.gelar_belakang,
            Employee.golongan,
            Position.name,
            Position.kind,
            Position.jenjang,
            Unit.name,
        )
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(Unit, Employee.unit_id == Unit.id)
        .where(*conds)
        .order_by(Employee.name, Employee.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    count = select(func.count()).select_from(Employee).where(*count_conds)
    return rows, count


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


def positions_in_opd(opd_id: int) -> list[tuple[int, str, str | None, str]]:
    """(id, name, jenjang, unit name) of every post in the OPD and the units below it, highest class first (posts
    of the same name in several units, e.g. "Pengadministrasi Umum", differ by their unit)."""
    return list(
        db.session.execute(
            select(Position.id, Position.name, Position.jenjang, Unit.name.label("unit_name"))
            .join(Unit, Unit.id == Position.unit_id)
            .where(Position.unit_id.in_(units.subtree_ids(opd_id)))
            .order_by(Position.kelas_jabatan.desc(), Position.name, Unit.name)
        ).all()
    )
