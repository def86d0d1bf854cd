"""Corrections of THR, gaji ke-13 and rapel runs (issue 20 item 5).

A correction is a compensating run (kind `kompensasi`) whose original is a final THR, gaji ke-13 or rapel run.
It recomputes the original the way the original was computed (same kind, month, OPD, rapel period) from
today's data and rules, leaving out of the payment month's masa (and, for a rapel, out of "already paid") the
original and its earlier corrections, then pays only the difference per employee and component
(`compute.compensate_rows`). `flask payroll verify` recomputes it from its own snapshots the same way.
Such a correction is not monthly pay (`runs.paying` leaves it out). Services flush, never commit.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from ...domain import DomainError
from ...domain.labels import bulan
from ...domain.payroll.special import special_table_problems
from ...extensions import db
from ...models import PayrollLine, PayrollRun, PayrollRunEmployee, RunKind, RunStatus, User, utcnow
from .copy_writer import EMPLOYEE_COLUMNS, LINE_COLUMNS, bulk_insert
from .lines import VerifyResult, stored_lines_hash
from .months import PayrollRefused
from .rules import load_rules, special_rule_table
from .special import _compute_rapel, _compute_thr, recompute_rows
from .special_history import unfinished_opds

SPECIAL = (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL)


def by_code_and_month(code: str, inputs: str):
    """A rapel line's component: its code and the month it is for (one line per code and month)."""
    return code, dict(json.loads(inputs)).get("bulan")


def _keys(original: PayrollRun) -> list:
    """The compensation key to pass for the corrected run (none: by code)."""
    return [by_code_and_month] if original.kind is RunKind.RAPEL else []


def is_special_correction(run: PayrollRun) -> bool:
    return run.kind is RunKind.COMPENSATING and run.original is not None and run.original.kind in SPECIAL


class AsCorrected:
    """The correction seen as the run it corrects: that run's kind, month and rapel period; the correction's
    own id, OPD scope, rule versions and rows. `corrected_run_ids`: the runs its recomputation leaves out."""

    def __init__(self, run: PayrollRun, original: PayrollRun, corrected_run_ids: tuple[int, ...]):
        self._run, self._original = run, original
        self.corrected_run_ids = corrected_run_ids

    def __getattr__(self, name):
        if name in ("kind", "month", "period_start", "period_end"):
            return getattr(self._original, name)
        return getattr(self._run, name)


def _corrected_ids(run: PayrollRun) -> tuple[int, ...]:
    """The original and its final corrections other than `run`."""
    earlier = db.session.scalars(
        select(PayrollRun.id).where(
            PayrollRun.original_run_id == run.original_run_id,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.id != run.id,
        )
    )
    return (run.original_run_id, *earlier)


def compute_special_correction(run: PayrollRun, actor: User, compensate, progress=None) -> PayrollRun:
    """Recompute the corrected THR/gaji ke-13/rapel and store only the differences; `PayrollRefused` (nothing
    written) when rules or months are missing. `compensate`: `compute.compensate_rows` (passed in, so this
    module does not import the one that calls it)."""
    if run.status not in (RunStatus.DRAFT, RunStatus.DIHITUNG):
        raise DomainError(
            f"Proses penggajian berstatus {run.status.label}; hanya draf atau hasil hitung yang dapat dihitung ulang."
        )
    original = run.original
    view = AsCorrected(run, original, _corrected_ids(run))
    rules = load_rules()
    problems = rules.problems() + special_table_problems(special_rule_table())
    if problems:
        raise PayrollRefused(problems)
    if original.kind is RunKind.RAPEL:
        result = _compute_rapel(view, rules, problems, progress)
    else:
        names = unfinished_opds(view, original.month)
        if names:
            raise PayrollRefused([f"Gaji bulan {bulan(original.month)} belum final untuk: {', '.join(names)}."])
        try:
            rules.resolve(original.month)
        except DomainError as e:
            raise PayrollRefused([e.message]) from None
        result = _compute_thr(view, rules, problems)
    if problems:
        raise PayrollRefused(problems)
    emp_rows, line_rows, lines_hash, input_hash, versions, _sources = result
    computed = compensate(emp_rows, line_rows, lines_hash, input_hash, original.id, *_keys(original))
    db.session.execute(PayrollLine.__table__.delete().where(PayrollLine.run_id == run.id))
    db.session.execute(PayrollRunEmployee.__table__.delete().where(PayrollRunEmployee.run_id == run.id))
    bulk_insert(PayrollRunEmployee.__table__, EMPLOYEE_COLUMNS, computed.employee_rows)
    bulk_insert(PayrollLine.__table__, LINE_COLUMNS, computed.line_rows)
    run.rule_versions = versions
    run.source_run_ids = list(view.corrected_run_ids)
    run.input_hash, run.lines_hash = computed.input_hash, computed.lines_hash
    run.employee_count = len(computed.employee_rows)
    run.total_penghasilan, run.total_potongan = computed.totals
    run.total_netto = run.total_penghasilan - run.total_potongan
    run.status, run.computed_at = RunStatus.DIHITUNG, utcnow()
    db.session.flush()
    return run


def verify_special_correction(run: PayrollRun, compensate) -> VerifyResult:
    """Recompute from the correction's snapshots and recorded versions, difference against the original."""
    if not run.rule_versions or not run.lines_hash:
        raise DomainError(f"Proses penggajian {run.title} belum dihitung; tidak ada yang dapat diverifikasi.")
    view = AsCorrected(run, run.original, tuple(run.source_run_ids or ()))
    emp_rows, line_rows, lh = recompute_rows(view)
    recomputed = compensate(emp_rows, line_rows, lh, "", run.original_run_id, *_keys(run.original)).lines_hash
    return VerifyResult(run, run.lines_hash, stored_lines_hash(run), recomputed)
