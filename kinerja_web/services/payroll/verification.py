"""Reproducibility check: recompute a stored run from its snapshot and versions and compare the hashes."""

from __future__ import annotations

import json

from sqlalchemy import select

from ...domain import DomainError
from ...domain.payroll import (
    EmployeeInputs,
)
from ...domain.payroll.codec import decode
from ...extensions import db
from ...models import (
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
)
from .compute import apply_compensation, compensate_rows, compute_lines
from .copy_writer import gc_paused
from .corrections import is_special_correction, verify_special_correction
from .lines import VerifyResult, stored_lines_hash
from .loading import EmployeeRow
from .months import PayrollRefused
from .rules import resolved_from_ids
from .special import verify_special_run


def verify_run(run: PayrollRun) -> VerifyResult:
    """Recompute the run from its recorded rule versions and input snapshots (not today's data) and compare
    SHA-256 over the ordered lines with the recorded hash and the stored lines."""
    if run.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL):
        return verify_special_run(run)
    if is_special_correction(run):
        return verify_special_correction(run, compensate_rows)
    if not run.rule_versions or not run.lines_hash:
        raise DomainError(f"Proses penggajian {run.title} belum dihitung; tidak ada yang dapat diverifikasi.")
    with gc_paused():
        return _verify_run(run)


def _verify_run(run: PayrollRun) -> VerifyResult:
    resolved = resolved_from_ids(run.rule_versions)
    snaps = db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs, PayrollRunEmployee.opd_id)
        .where(PayrollRunEmployee.run_id == run.id)
        .order_by(PayrollRunEmployee.employee_id)
    ).all()
    # only the id and OPD are read back: the inputs come from the snapshot
    rows = [EmployeeRow(eid, "", "", None, None, None, None, None, None, opd) for eid, _, opd in snaps]
    by_id = {eid: inputs for eid, inputs, _ in snaps}
    computed = compute_lines(
        run.id, rows, lambda r: decode(EmployeeInputs, json.loads(by_id[r[0]])), resolved, run.month
    )
    if run.kind is RunKind.COMPENSATING and not computed.problems:
        computed = apply_compensation(computed, run.original_run_id)
    recomputed, problems = computed.lines_hash, computed.problems
    del computed
    if problems:
        raise PayrollRefused(problems)
    return VerifyResult(run, run.lines_hash or "", stored_lines_hash(run), recomputed)
