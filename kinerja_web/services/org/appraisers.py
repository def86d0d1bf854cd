"""Who holds which post on a date, and therefore who is whose atasan / pejabat penilai."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ...extensions import db
from ...models import AssignmentKind, Employee, Position, PositionAssignment

MAX_CHAIN = 20  # deeper than any real Pemda; guards against cycles in bad data


@dataclass(frozen=True)
class Appraiser:
    employee: Employee
    position: Position
    kind: AssignmentKind  # DEFINITIF, or PLT/PLH when an acting official takes the role
    skipped_vacant: tuple[Position, ...] = ()

    @property
    def acting_prefix(self) -> str:
        return {AssignmentKind.PLT: "Plt. ", AssignmentKind.PLH: "Plh. "}.get(self.kind, "")


def _covering(on: date):
    return (PositionAssignment.start_date <= on) & or_(
        PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= on
    )


def position_of(employee: Employee, on: date) -> Position | None:
    """The definitive post of `employee` on `on` (from riwayat jabatan; current post if no history)."""
    row = db.session.scalars(
        select(PositionAssignment)
        .where(
            PositionAssignment.employee_id == employee.id,
            PositionAssignment.kind == AssignmentKind.DEFINITIF,
            _covering(on),
        )
        .order_by(PositionAssignment.start_date.desc())
    ).first()
    if row:
        return row.position
    has_history = db.session.scalar(
        select(PositionAssignment.id).where(PositionAssignment.employee_id == employee.id).limit(1)
    )
    return None if has_history else employee.position


def holder_of(position: Position, on: date) -> tuple[Employee, AssignmentKind] | None:
    """Who exercises `position` on `on`: an acting official (Plt/Plh) in their range wins over the definitive holder."""
    rows = db.session.execute(
        select(PositionAssignment.kind, Employee)
        .join(Employee, Employee.id == PositionAssignment.employee_id)
        .where(PositionAssignment.position_id == position.id, _covering(on), Employee.active.is_(True))
    ).all()
    rank = {AssignmentKind.PLH: 0, AssignmentKind.PLT: 1, AssignmentKind.DEFINITIF: 2}
    if rows:
        kind, emp = min(rows, key=lambda r: rank[r[0]])
        return emp, kind
    # No riwayat rows for this post at all: fall back to the denormalised current holder.
    has_history = db.session.scalar(
        select(PositionAssignment.id).where(PositionAssignment.position_id == position.id).limit(1)
    )
    if not has_history:
        emp = db.session.scalars(
            select(Employee).where(Employee.position_id == position.id, Employee.active.is_(True))
        ).first()
        if emp:
            return emp, AssignmentKind.DEFINITIF
    return None


def appraiser_for_position(
    position: Position | None, on: date, exclude: Employee | tuple[Employee, ...] | None = None
) -> Appraiser | None:
    """Walk up from `position`'s parent to the first post that somebody holds on `on`.

    A vacant atasan post passes the role to the next post up; the skipped posts are reported so the
    page and the data-quality queue can say so.
    """
    excluded = {e.id for e in (exclude if isinstance(exclude, tuple) else (exclude,)) if e is not None}
    skipped: list[Position] = []
    node = position.parent if position else None
    seen: set[int] = set()
    while node is not None and node.id not in seen and len(seen) < MAX_CHAIN:
        seen.add(node.id)
        held = holder_of(node, on)
        if held and held[0].id not in excluded:
            return Appraiser(held[0], node, held[1], tuple(skipped))
        skipped.append(node)
        node = node.parent
    return None


def appraiser_of(employee: Employee, on: date) -> Appraiser | None:
    """Pejabat penilai kinerja = atasan langsung on that date (PP 30/2019; PermenPANRB 6/2022)."""
    return appraiser_for_position(position_of(employee, on), on, exclude=employee)


def appraiser_supervisor_of(employee: Employee, on: date) -> Appraiser | None:
    """Atasan pejabat penilai: the appraiser's own atasan; decides objections (PP 30/2019 Pasal 59).

    Never the appraiser again: when the appraiser also acts (Plt/Plh) in the post above, the role
    passes further up.
    """
    first = appraiser_of(employee, on)
    if first is None:
        return None
    return appraiser_for_position(first.position, on, exclude=(employee, first.employee))


def positions_held(employee: Employee, on: date) -> list[Position]:
    """Every post `employee` exercises on `on`: the definitive one plus any Plt/Plh."""
    rows = db.session.scalars(
        select(Position)
        .join(PositionAssignment, PositionAssignment.position_id == Position.id)
        .where(PositionAssignment.employee_id == employee.id, _covering(on))
    ).all()
    if rows:
        return list(rows)
    pos = position_of(employee, on)
    return [pos] if pos else []


def is_superior(boss: Employee, employee: Employee, on: date) -> bool:
    """True when `boss` exercises a post above `employee`'s post on `on` (any level up the chain)."""
    if boss.id == employee.id:
        return False
    mine = {p.id for p in positions_held(boss, on)}
    if not mine:
        return False
    node = position_of(employee, on)
    node = node.parent if node else None
    seen: set[int] = set()
    while node is not None and node.id not in seen and len(seen) < MAX_CHAIN:
        if node.id in mine:
            return True
        seen.add(node.id)
        node = node.parent
    return False


def subordinate_position_ids(boss: Employee, on: date) -> set[int]:
    """All post ids below the posts `boss` exercises (for list scopes: "my team")."""
    return set(subordinate_parent_map(boss, on))


def subordinate_parent_map(boss: Employee, on: date) -> dict[int, int | None]:
    """Every post below the posts `boss` exercises → its parent post (one statement per level)."""
    frontier = [p.id for p in positions_held(boss, on)]
    result: dict[int, int | None] = {}
    while frontier:
        rows = db.session.execute(select(Position.id, Position.parent_id).where(Position.parent_id.in_(frontier)))
        frontier = []
        for child, parent in rows:
            if child not in result:
                result[child] = parent
                frontier.append(child)
    return result


def direct_subordinates(boss: Employee, on: date) -> list[Employee]:
    """Employees whose appraiser on `on` is `boss` (direct reports, acting roles included)."""
    posts = [p.id for p in positions_held(boss, on)]
    if not posts:
        return []
    candidates = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.parent_id.in_(posts), Employee.active.is_(True))
        .order_by(Employee.name)
    ).all()
    return [e for e in candidates if e.id != boss.id]


def appraiser_ids_of(
    employees: list[Employee], on: date, parent_of: dict[int, int | None] | None = None
) -> dict[int, int | None]:
    """`appraiser_of(e, on).employee.id` for many employees at once, in a few statements whatever their number.

    Same rules as `appraiser_of`: the definitive post on `on` (the current post when there is no history),
    then up the chain to the first post somebody exercises (Plh before Plt before definitive), never the
    employee. All employees walk up together, one round per level actually climbed (vacant posts); a
    `parent_of` map the caller already has (a subtree) saves the statements that load the posts.
    """
    ids = list({e.id for e in employees})
    if not ids:
        return {}
    best: dict[int, tuple[date, int]] = {}
    with_history: set[int] = set()
    for emp_id, pos_id, kind, start, end in db.session.execute(
        select(
            PositionAssignment.employee_id,
            PositionAssignment.position_id,
            PositionAssignment.kind,
            PositionAssignment.start_date,
            PositionAssignment.end_date,
        ).where(PositionAssignment.employee_id.in_(ids))
    ):
        with_history.add(emp_id)
        covers = start <= on and (end is None or end >= on)
        if kind == AssignmentKind.DEFINITIF and covers and (emp_id not in best or start > best[emp_id][0]):
            best[emp_id] = (start, pos_id)
    parents = dict(parent_of or {})
    holders: dict[int, int | None] = {}

    def load_parents(nodes: set[int]) -> None:
        missing = [n for n in nodes if n not in parents]
        if missing:
            parents.update(
                db.session.execute(select(Position.id, Position.parent_id).where(Position.id.in_(missing)))
                .tuples()
                .all()
            )

    def load_holders(nodes: set[int]) -> None:
        rank = {AssignmentKind.PLH: 0, AssignmentKind.PLT: 1, AssignmentKind.DEFINITIF: 2}
        found: dict[int, tuple[int, int]] = {}
        with_rows: set[int] = set()
        for pos_id, kind, emp_id, start, end, active in db.session.execute(
            select(
                PositionAssignment.position_id,
                PositionAssignment.kind,
                PositionAssignment.employee_id,
                PositionAssignment.start_date,
                PositionAssignment.end_date,
                Employee.active,
            )
            .join(Employee, Employee.id == PositionAssignment.employee_id)
            .where(PositionAssignment.position_id.in_(nodes))
            .order_by(PositionAssignment.id)
        ):
            with_rows.add(pos_id)
            if active and start <= on and (end is None or end >= on):
                if pos_id not in found or rank[kind] < found[pos_id][0]:
                    found[pos_id] = (rank[kind], emp_id)
        no_history = nodes - with_rows
        if no_history:  # no riwayat rows for the post at all: the denormalised current holder
            for pos_id, emp_id in db.session.execute(
                select(Employee.position_id, Employee.id)
                .where(Employee.position_id.in_(no_history), Employee.active.is_(True))
                .order_by(Employee.id)
            ):
                found.setdefault(pos_id, (2, emp_id))
        holders.update({n: found[n][1] if n in found else None for n in nodes})

    post = {
        e.id: best[e.id][1] if e.id in best else (None if e.id in with_history else e.position_id) for e in employees
    }
    load_parents({p for p in post.values() if p is not None})
    at = {e: parents.get(p) for e, p in post.items() if p is not None}
    result: dict[int, int | None] = dict.fromkeys(ids)
    for _ in range(MAX_CHAIN):
        at = {e: n for e, n in at.items() if n is not None}
        if not at:
            break
        load_holders({n for n in at.values() if n not in holders})
        climbing = {}
        for e, n in at.items():
            held = holders[n]
            if held is not None and held != e:
                result[e] = held
            else:
                climbing[e] = n
        load_parents(set(climbing.values()))
        at = {e: parents.get(n) for e, n in climbing.items()}
    return result
