"""The month's predikat kinerja per employee (fed by rating or entered by the maker) and the runs it reopens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from ...domain.payroll import (
    first_of_month,
)
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    Employee,
    PayrollPredikat,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
    RunStatus,
    User,
)

# ----------------------------------------------------------------------------------------- predikat


def predikat_for(employee_ids: Iterable[int], month: date) -> dict[int, tuple[Predikat, str]]:
    """Predikat kinerja per employee for the month's TPP, with its source text.

    THE SEAM for the evaluation feature: today it reads `PayrollPredikat` rows (entered/imported by HR
    or the finance operator); the evaluation feature will write those rows (or replace this function).
    """
    month = first_of_month(month)
    ids = list(employee_ids)
    stmt = select(PayrollPredikat.employee_id, PayrollPredikat.predikat, PayrollPredikat.source).where(
        PayrollPredikat.month == month
    )
    if len(ids) < 1000:
        stmt = stmt.where(PayrollPredikat.employee_id.in_(ids))
    wanted = set(ids)
    return {eid: (Predikat(p), src) for eid, p, src in db.session.execute(stmt) if eid in wanted}


def employee_by_nip(nip: str) -> Employee | None:
    """The employee a maker's form names by NIP (spaces ignored); None when unknown."""
    nip = (nip or "").replace(" ", "")
    return db.session.scalar(select(Employee).where(Employee.nip == nip)) if nip else None


def read_predikat_rows(
    rows: list[dict[str, str]],
) -> tuple[list[tuple[Employee, Predikat, str]], list[tuple[int, str]]]:
    """An imported predikat table (columns nip, predikat, sumber; row 1 the header): the rows that can be saved
    (employee, predikat, source) and the problems per spreadsheet row number."""
    nips = {r.get("nip", "").replace(" ", "") for r in rows}
    emps = {e.nip: e for e in db.session.scalars(select(Employee).where(Employee.nip.in_(nips)))}
    by_name = {p.value: p for p in Predikat} | {p.label.lower(): p for p in Predikat}
    parsed, errors = [], []
    for i, r in enumerate(rows, start=2):
        nip = r.get("nip", "").replace(" ", "")
        raw = (r.get("predikat") or "").strip().lower()
        if nip not in emps:
            errors.append((i, f"NIP '{nip}' tidak dikenal."))
        if raw not in by_name:
            errors.append((i, f"Predikat '{r.get('predikat', '')}' tidak dikenal."))
        elif nip in emps:
            parsed.append((emps[nip], by_name[raw], r.get("sumber") or "impor operator"))
    return parsed, errors


def set_predikat(employee: Employee, month: date, predikat: Predikat, source: str, actor: User | None = None) -> bool:
    """Record the month's predikat (audited); True when it differs from the one recorded before. `actor` is
    recorded as a maker of the runs that use it."""
    month = first_of_month(month)
    row = db.session.scalar(
        select(PayrollPredikat).where(PayrollPredikat.employee_id == employee.id, PayrollPredikat.month == month)
    )
    if row is None:
        row = PayrollPredikat(employee_id=employee.id, month=month)
        db.session.add(row)
    changed = row.predikat != predikat.value
    row.predikat, row.source = predikat.value, source
    row.recorded_by_id = actor.id if actor else None
    db.session.flush()
    return changed


def runs_past_recompute(month: date, employee_ids: Iterable[int]) -> list[PayrollRun]:
    """The month's monthly runs (reguler, kompensasi) paying one of `employee_ids` that can no longer be
    recomputed (diverifikasi, disetujui, final): a changed input of theirs is paid only by a compensating run,
    which recomputes the month from the inputs recorded now (their own snapshot never changes)."""
    ids = list(employee_ids)
    if not ids:
        return []
    paying = select(PayrollRunEmployee.run_id).where(PayrollRunEmployee.employee_id.in_(ids))
    return list(
        db.session.scalars(
            select(PayrollRun)
            .where(
                PayrollRun.month == first_of_month(month),
                PayrollRun.kind.in_([RunKind.REGULAR, RunKind.COMPENSATING]),
                PayrollRun.status.in_([RunStatus.DIVERIFIKASI, RunStatus.DISETUJUI, RunStatus.FINAL]),
                PayrollRun.id.in_(paying),
            )
            .order_by(PayrollRun.id)
        )
    )
