"""A correction never sends a negative transfer (issue 20 item 8).

A final compensating run whose difference for an employee is negative is an overpayment: the bank file leaves
that employee out and the amount becomes a *potongan kelebihan pembayaran* carried into the next months' runs
(within the net-pay floor, `domain.payroll.deductions`). Nothing is stored for it besides the runs themselves:
outstanding = overpaid by final corrections − recovered by the recovery lines of final runs, so a deleted or
recomputed draft never leaves a stale balance behind. The bank file writer refuses any non-positive transfer.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from ...domain import DomainError
from ...domain.labels import rupiah
from ...domain.payroll.deductions import CODE_KELEBIHAN, JenisPotonganLain, PotonganTetap
from ...extensions import db
from ...models import PayrollLine, PayrollRun, PayrollRunEmployee, RunKind, RunStatus


def overpayments(employee_ids: Iterable[int] | None = None) -> dict[int, tuple[int, list[int]]]:
    """employee id → (total overpaid, source run ids) from final compensating runs with a negative net."""
    stmt = (
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.run_id, PayrollRunEmployee.netto)
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(
            PayrollRun.kind == RunKind.COMPENSATING,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRunEmployee.netto < 0,
        )
        .order_by(PayrollRunEmployee.run_id)
    )
    if employee_ids is not None:
        stmt = stmt.where(PayrollRunEmployee.employee_id.in_(list(employee_ids)))
    out: dict[int, tuple[int, list[int]]] = {}
    for eid, run_id, netto in db.session.execute(stmt):
        total, runs = out.get(eid, (0, []))
        out[eid] = (total - int(netto), [*runs, run_id])
    return out


def recovered(employee_ids: Iterable[int], exclude_run_id: int | None = None) -> dict[int, int]:
    """employee id → amount already recovered by final runs (the recovery lines)."""
    ids = list(employee_ids)
    if not ids:
        return {}
    final_runs = select(PayrollRun.id).where(PayrollRun.status == RunStatus.FINAL)
    stmt = (
        select(PayrollLine.employee_id, func.sum(PayrollLine.amount))
        .where(
            PayrollLine.run_id.in_(final_runs),
            PayrollLine.employee_id.in_(ids),
            PayrollLine.code == CODE_KELEBIHAN,
        )
        .group_by(PayrollLine.employee_id)
    )
    if exclude_run_id is not None:
        stmt = stmt.where(PayrollLine.run_id != exclude_run_id)
    return {eid: int(total or 0) for eid, total in db.session.execute(stmt)}


def outstanding(employee_ids: Iterable[int] | None = None, exclude_run_id: int | None = None) -> dict[int, tuple]:
    """employee id → (amount still to recover, source run ids), only where something is left."""
    over = overpayments(employee_ids)
    done = recovered(over, exclude_run_id)
    return {eid: (total - done.get(eid, 0), runs) for eid, (total, runs) in over.items() if total > done.get(eid, 0)}


def recovery_items(run: PayrollRun, employee_ids: Iterable[int]) -> dict[int, PotonganTetap]:
    """The recovery item of each employee for a run's inputs.

    A regular run takes what is outstanding. A correction of a month repeats what that month's original run
    recovered (a correction recomputes the month; it does not recover again)."""
    ids = set(employee_ids)
    if run.kind is RunKind.COMPENSATING:
        if not run.original_run_id:
            return {}
        rows = db.session.execute(
            select(PayrollLine.employee_id, func.sum(PayrollLine.amount))
            .where(PayrollLine.run_id == run.original_run_id, PayrollLine.code == CODE_KELEBIHAN)
            .group_by(PayrollLine.employee_id)
        )
        return {
            eid: _item(int(amount), f"#{run.original_run_id}")
            for eid, amount in rows
            if eid in ids and amount and amount > 0
        }
    if run.kind is not RunKind.REGULAR:
        return {}
    found = outstanding(None, run.id)
    return {eid: _item(left, ", ".join(f"#{r}" for r in runs)) for eid, (left, runs) in found.items() if eid in ids}


def _item(amount: int, sources: str) -> PotonganTetap:
    return PotonganTetap(
        ref="KB",
        jenis=JenisPotonganLain.KELEBIHAN,
        penerima="Kas Daerah (pengembalian kelebihan pembayaran)",
        sisa=amount,
        dasar=f"proses penggajian {sources}",
    )


def check_transfers(rows: list, correction: bool) -> list:
    """The rows a bank file may carry: positive amounts only. A zero amount is no transfer (left out: a rapel
    or correction without a difference for that employee). In a correction a negative difference is left out
    too (the overpayment is recovered from the next months); anywhere else a negative amount refuses the file."""
    if correction:
        return [e for e in rows if e.netto > 0]
    bad = [e for e in rows if e.netto < 0]
    if bad:
        names = ", ".join(f"{e.name} ({rupiah(e.netto)})" for e in bad[:10])
        raise DomainError(
            f"Berkas bank ditolak: {len(bad)} pegawai bergaji bersih negatif ({names}). Berkas bank hanya memuat "
            "transfer bernilai positif; periksa potongan dan buat koreksi (kelebihan pembayaran dipulihkan dari "
            "gaji bulan berikutnya)."
        )
    return [e for e in rows if e.netto > 0]


def recoveries_of_run(run: PayrollRun) -> list[tuple]:
    """A correction's overpayments (employee id, amount) the bank file leaves out, for the run's page."""
    if run.kind is not RunKind.COMPENSATING:
        return []
    return [
        (eid, -int(n))
        for eid, n in db.session.execute(
            select(PayrollRunEmployee.employee_id, PayrollRunEmployee.netto).where(
                PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.netto < 0
            )
        )
    ]


def outstanding_by_employee() -> dict[int, int]:
    return {eid: left for eid, (left, _) in outstanding().items()}
