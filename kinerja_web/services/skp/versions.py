"""Versions of one SKP and what changed between them (RHK matched by origin)."""

from __future__ import annotations

from dataclasses import dataclass

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


def _rows(skp: Skp, *, as_previous: bool = False) -> list[RhkRow]:
    """The RHK of a version for diffing. New-version RHK carry origin_id = the previous version's RHK id, so
    the previous version (`as_previous`) is keyed on its own ids and the newer one on origin."""
    return [
        RhkRow(
            key=r.id if as_previous else (r.origin_id or r.id),
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
            diffs[v.id] = diff_versions(_rows(prev, as_previous=True), _rows(v))
    return diffs


@dataclass(frozen=True)
class ReviewDiff:
    """What the pejabat penilai sees marked on a submitted version: changes against the version before it."""

    previous: Skp
    by_rhk: dict[int, DiffEntry]  # the shown version's RHK id → its entry ("tambah" or "ubah")
    removed: list[DiffEntry]

    def indikator_added(self, rhk_id: int, summary: str) -> bool:
        entry = self.by_rhk.get(rhk_id)
        return entry is not None and summary in entry.added


def review_diff(skp: Skp) -> ReviewDiff | None:
    """The diff of `skp` against its previous version; None for a first version."""
    if skp.previous_id is None:
        return None
    prev = db.session.get(Skp, skp.previous_id)
    entries = diff_versions(_rows(prev, as_previous=True), _rows(skp))
    rhk_of_key = {r.origin_id or r.id: r.id for r in skp.rhks}
    return ReviewDiff(
        prev,
        {rhk_of_key[e.key]: e for e in entries if e.kind != "hapus"},
        [e for e in entries if e.kind == "hapus"],
    )
