"""Versions of one SKP and what changed between them (RHK matched by origin)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...domain.skp import DiffEntry, RhkRow, diff_versions
from ...extensions import db
from ...models import Rhk, Skp


def versions_of(skp: Skp) -> list[Skp]:
    return list(
        db.session.scalars(
            select(Skp)
            .options(selectinload(Skp.rhks).selectinload(Rhk.indikators), selectinload(Skp.rhks).joinedload(Rhk.parent))
            .where(Skp.employee_id == skp.employee_id, Skp.period_id == skp.period_id)
            .order_by(Skp.version)
        )
    )


def _rows(skp: Skp) -> list[RhkRow]:
    return [
        RhkRow(
            key=r.origin_id or r.id,
            kategori=r.kategori.label,
            uraian=r.uraian,
            atasan=r.parent.uraian if r.parent else "",
            indikator=tuple(i.summary for i in r.indikators),
        )
        for r in skp.rhks
    ]


def version_diffs(versions: list[Skp]) -> dict[int, list[DiffEntry]]:
    """Diff of each version against its predecessor (keys: version id). RHK match by origin."""
    by_id = {v.id: v for v in versions}
    diffs = {}
    for v in versions:
        prev = by_id.get(v.previous_id)
        if prev is not None:
            # New-version RHK carry origin_id = the previous version's RHK id, so compare on that key.
            old_rows = [
                RhkRow(
                    r.id,
                    r.kategori.label,
                    r.uraian,
                    r.parent.uraian if r.parent else "",
                    tuple(i.summary for i in r.indikators),
                )
                for r in prev.rhks
            ]
            diffs[v.id] = diff_versions(old_rows, _rows(v))
    return diffs
