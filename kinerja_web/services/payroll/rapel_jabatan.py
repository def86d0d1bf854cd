"""A rapel picks up a back-dated change of the tunjangan jabatan (issue 20 item 5).

A month's stored inputs carry the tunjangan jabatan amount that the `tunjangan_jabatan` table gave when the
month was computed. When a version of that table is added retroactively, the rapel re-reads the amount for the
post the employee held definitively on the first day of each month (riwayat jabatan) from the version in
force now for that month; the refreshed inputs are what the rapel snapshots, so `flask payroll verify`
reproduces it. Without a definitive post on record for the month, the stored inputs are kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import or_, select

from ...domain.payroll import EmployeeInputs, RuleVersion
from ...domain.payroll.tables import TunjanganJabatanTable
from ...extensions import db
from ...models import AssignmentKind, Position, PositionAssignment
from .loading import tunjangan_jabatan_of

_DEFAULT_DASAR = EmployeeInputs.__dataclass_fields__["dasar_tunjangan_jabatan"].default


def posts_by_month(months: list[date], ids: list[int]) -> dict[tuple[int, date], tuple]:
    """(employee id, month) → (position kind, name, jenjang) of the definitive post held on the month's first day."""
    if not ids or not months:
        return {}
    rows = db.session.execute(
        select(
            PositionAssignment.employee_id,
            PositionAssignment.start_date,
            PositionAssignment.end_date,
            Position.kind,
            Position.name,
            Position.jenjang,
        )
        .join(Position, Position.id == PositionAssignment.position_id)
        .where(
            PositionAssignment.employee_id.in_(ids),
            PositionAssignment.kind == AssignmentKind.DEFINITIF,
            PositionAssignment.start_date <= months[-1],
            or_(PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= months[0]),
        )
        .order_by(PositionAssignment.start_date)
    ).all()
    out: dict[tuple[int, date], tuple] = {}
    for eid, start, end, kind, name, jenjang in rows:  # later starts win
        for m in months:
            if start <= m and (end is None or end >= m):
                out[(eid, m)] = (kind, name, jenjang)
    return out


def refreshed(
    pegawai: EmployeeInputs, post: tuple | None, version: RuleVersion[TunjanganJabatanTable] | None
) -> EmployeeInputs:
    """The month's inputs with the tunjangan jabatan of `post` under `version`; the same object when unchanged
    (or when the post or the table is unknown)."""
    if post is None or version is None:
        return pegawai
    found = tunjangan_jabatan_of(version, *post)
    amount, jenis, dasar = found if found is not None else (0, None, _DEFAULT_DASAR)
    if (amount, jenis, dasar) == (
        pegawai.tunjangan_jabatan,
        pegawai.jenis_tunjangan_jabatan,
        pegawai.dasar_tunjangan_jabatan,
    ):
        return pegawai
    return replace(pegawai, tunjangan_jabatan=amount, jenis_tunjangan_jabatan=jenis, dasar_tunjangan_jabatan=dasar)
