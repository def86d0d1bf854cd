"""Stored payroll lines, shared by regular and special runs: a row back to a domain `Line`, the text each
line contributes to the run's hash, and the stored hash a verification compares with."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from ...domain.payroll import (
    Bagian,
    Line,
    LineKind,
)
from ...extensions import db
from ...models import (
    PayrollLine,
    PayrollRun,
)


def line_hash_text(seq: int, code: str, amount: int, kind: str, bagian: str, rv: str, inputs: str) -> str:
    return f"{seq}|{code}|{amount}|{kind}|{bagian}|{rv}|{inputs}\n"


# -------------------------------------------------------------------------------------------- slips


def line_from_row(r: PayrollLine) -> Line:
    inputs = tuple((k, v) for k, v in json.loads(r.inputs))
    return Line(r.code, r.label, r.amount, LineKind(r.kind), Bagian(r.bagian), r.citation, r.rule_version, inputs)


# ---------------------------------------------------------------------------------- reproducibility


@dataclass
class VerifyResult:
    run: PayrollRun
    recorded_hash: str
    stored_hash: str
    recomputed_hash: str

    @property
    def ok(self) -> bool:
        return self.recorded_hash == self.stored_hash == self.recomputed_hash


def stored_lines_hash(run: PayrollRun) -> str:
    """SHA-256 over the lines as stored, in the same order and format as `compute_lines`."""
    h = hashlib.sha256()
    last = None
    for eid, seq, code, amount, kind, bagian, rv, inputs in db.session.execute(
        select(
            PayrollLine.employee_id,
            PayrollLine.seq,
            PayrollLine.code,
            PayrollLine.amount,
            PayrollLine.kind,
            PayrollLine.bagian,
            PayrollLine.rule_version,
            PayrollLine.inputs,
        )
        .where(PayrollLine.run_id == run.id)
        .order_by(PayrollLine.employee_id, PayrollLine.seq)
    ):
        if eid != last:
            h.update(f"E{eid}\n".encode())
            last = eid
        h.update(line_hash_text(seq, code, int(amount), kind, bagian, rv, inputs).encode())
    return h.hexdigest()
