"""The one walk down the unit tree: a unit (or several) and every unit below it."""

from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import Unit


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
