"""The unit tree: the one walk down it (`subtree_ids`), the tree in display order, posts and who holds them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import AssignmentKind, Employee, Position, PositionAssignment, Unit, UnitKind


def limit_to_units(stmt: Select, column, unit_ids: Sequence[int] | None) -> Select:
    """`stmt` limited to rows whose `column` (a unit id) is in `unit_ids` (a pimpinan's scope, a subtree);
    unchanged when `unit_ids` is None (every unit)."""
    return stmt if unit_ids is None else stmt.where(column.in_(unit_ids))


def subtree_ids(*roots: Unit | int) -> list[int]:
    """The roots and every unit below them, roots first then level by level (one query per tree level).

    Roots may be units or ids; a unit reached twice (overlapping roots, or bad data with a cycle) is listed once.
    """
    ids = list(dict.fromkeys(r if isinstance(r, int) else r.id for r in roots))
    seen, frontier = set(ids), ids
    while frontier:
        children = db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier)))
        frontier = [c for c in children if c not in seen]
        seen.update(frontier)
        ids.extend(frontier)
    return ids


def unit_tree() -> list[tuple[Unit, int]]:
    """All units in tree order with their depth (one query; the tree is built in memory)."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.sort_order, Unit.name)))
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u)
    out: list[tuple[Unit, int]] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for u in children.get(parent_id, []):
            if u.id in seen:
                continue
            seen.add(u.id)
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def holders_on(on: date, position_ids: list[int] | None = None) -> dict[int, list[tuple[Employee, AssignmentKind]]]:
    """position id → who exercises it on `on`, from riwayat jabatan (current post as fallback).

    `position_ids` limits the lookup (a unit page needs a dozen posts, not the whole regency).
    """
    covering = (PositionAssignment.start_date <= on) & or_(
        PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= on
    )
    held: dict[int, list[tuple[Employee, AssignmentKind]]] = defaultdict(list)
    rows = (
        select(PositionAssignment.position_id, PositionAssignment.kind, Employee)
        .join(Employee, Employee.id == PositionAssignment.employee_id)
        .where(covering, Employee.active.is_(True))
    )
    history = select(PositionAssignment.position_id).distinct()
    current = select(Employee).where(Employee.active.is_(True), Employee.position_id.is_not(None))
    if position_ids is not None:
        rows = rows.where(PositionAssignment.position_id.in_(position_ids))
        history = history.where(PositionAssignment.position_id.in_(position_ids))
        current = current.where(Employee.position_id.in_(position_ids))
    for pos_id, kind, emp in db.session.execute(rows):
        held[pos_id].append((emp, kind))
    with_history = set(db.session.scalars(history))
    for emp in db.session.scalars(current):
        if emp.position_id not in with_history:
            held[emp.position_id].append((emp, AssignmentKind.DEFINITIF))
    return held


def unit_leaders(on: date) -> dict[int, tuple[Position, list[tuple[Employee, AssignmentKind]]]]:
    """unit id → its leading post and who holds it, for the org chart."""
    leaders = list(db.session.scalars(select(Position).where(Position.is_leader.is_(True))))
    holders = holders_on(on, [p.id for p in leaders])
    out: dict[int, tuple[Position, list[tuple[Employee, AssignmentKind]]]] = {}
    for p in sorted(leaders, key=lambda p: -p.kelas_jabatan):
        out.setdefault(p.unit_id, (p, holders.get(p.id, [])))
    return out


def unit_positions(unit: Unit, on: date) -> list[tuple[Position, list[tuple[Employee, AssignmentKind]]]]:
    rows = list(
        db.session.scalars(
            select(Position)
            .options(joinedload(Position.parent))
            .where(Position.unit_id == unit.id)
            .order_by(Position.is_leader.desc(), Position.kelas_jabatan.desc(), Position.name)
        )
    )
    holders = holders_on(on, [p.id for p in rows])
    return [(p, holders.get(p.id, [])) for p in rows]


def atasan_candidates(unit: Unit, exclude_id: int | None) -> list[tuple[int, str, str]]:
    """Candidate atasan posts for a post of `unit` (id, post name, unit name): leaders in the same OPD, heads of
    OPDs and the Pemda's top posts; the post itself (`exclude_id`) left out."""
    same_opd_units = subtree_ids(unit.opd)
    rows = db.session.execute(
        select(Position.id, Position.name, Unit.name)
        .join(Unit, Unit.id == Position.unit_id)
        .where(
            (Position.unit_id.in_(same_opd_units) & Position.is_leader.is_(True))
            | (Unit.kind.in_([UnitKind.OPD, UnitKind.PEMDA]) & Position.is_leader.is_(True))
        )
        .order_by(Unit.name, Position.kelas_jabatan.desc())
    ).all()
    return [(pid, pname, uname) for pid, pname, uname in rows if pid != exclude_id]


def assignments_of(position: Position) -> list[PositionAssignment]:
    """Riwayat of a post: every (acting) appointment, latest first."""
    return list(
        db.session.scalars(
            select(PositionAssignment)
            .where(PositionAssignment.position_id == position.id)
            .order_by(PositionAssignment.start_date.desc())
        )
    )


_OPD_NAME = select(Unit.name).where(Unit.id == bindparam("unit_id"), Unit.kind.in_((UnitKind.OPD, UnitKind.PEMDA)))


def opd_name(unit_id: int | None) -> str:
    """The name of an OPD (or of the Pemda) by id; "" for another unit or none (one row, not the whole tree)."""
    if unit_id is None:
        return ""
    return db.session.scalar(_OPD_NAME, {"unit_id": unit_id}) or ""


def opd_map() -> tuple[dict[int, int], dict[int, Unit]]:
    """unit id → id of its OPD (the Pemda for the top node), and the OPD/Pemda units by id."""
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    parents = {u.id: u.parent_id for u in units.values()}
    out: dict[int, int] = {}
    for uid in units:
        node, seen = uid, set()
        while units[node].kind not in (UnitKind.OPD, UnitKind.PEMDA) and parents[node] and node not in seen:
            seen.add(node)
            node = parents[node]
        out[uid] = node
    opds = {i: u for i, u in units.items() if u.kind in (UnitKind.OPD, UnitKind.PEMDA)}
    return out, opds
