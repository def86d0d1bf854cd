"""The payslip of one employee in one run, read back from the stored lines and the inputs snapshot."""

from __future__ import annotations

import json

from sqlalchemy import select

from ...domain.labels import bulan
from ...domain.payroll import (
    describe_inputs,
)
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    Employee,
    PayrollLine,
    PayrollPredikat,
    PayrollRun,
    PayrollRunEmployee,
)
from ..org.units import opd_map
from .attendance import attendance_dicts
from .lines import line_from_row
from .status_periods import status_period_dicts


def slip_context(run: PayrollRun, employee: Employee) -> dict | None:
    """Plain data of one employee's slip and explanation (for the HTML page now, the PDF service later)."""
    re_ = db.session.scalar(
        select(PayrollRunEmployee).where(
            PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.employee_id == employee.id
        )
    )
    if re_ is None:
        return None
    rows = db.session.scalars(
        select(PayrollLine)
        .where(PayrollLine.run_id == run.id, PayrollLine.employee_id == employee.id)
        .order_by(PayrollLine.seq)
    )
    lines = []
    for r in rows:
        ln = line_from_row(r)
        described = describe_inputs(ln)
        lines.append(
            {
                "code": ln.code,
                "label": ln.label,
                "amount": ln.amount,
                "kind": ln.kind.value,
                "kind_label": ln.kind.label,
                "bagian": ln.bagian.value,
                "bagian_label": ln.bagian.label,
                "citation": ln.citation,
                "rule_version": ln.rule_version,
                "inputs": described,
                "values": dict(ln.inputs),  # raw input values by code (the plain-language summary)
                "texts": {code: text for (code, _), (_, text) in zip(ln.inputs, described, strict=True)},
            }
        )
    inputs = json.loads(re_.inputs)
    # THR/gaji ke-13/rapel snapshots wrap the employee's monthly inputs (see special.py)
    inputs = inputs.get("pegawai_bayar") or inputs.get("pegawai") or inputs
    pred = inputs.get("predikat")
    recorded = db.session.execute(
        select(PayrollPredikat.predikat, PayrollPredikat.source).where(
            PayrollPredikat.employee_id == employee.id, PayrollPredikat.month == run.month
        )
    ).first()
    # The source of a predikat changed after this run (waiting for a compensating run) is not this run's.
    source = recorded.source if recorded and recorded.predikat == pred else None
    _, opds = opd_map()
    return {
        "run_id": run.id,
        "run_title": run.title,
        "run_status": run.status.label,
        "month": run.month.isoformat(),
        "month_label": bulan(run.month),
        "employee": {
            "id": employee.id,
            "nip": employee.nip,
            "nama": employee.full_name,
            "golongan": employee.golongan,
            "jabatan": employee.position.full_name if employee.position else "",
            "opd": opds[re_.opd_id].name if re_.opd_id in opds else "",
            "status_ptkp": inputs.get("status_ptkp"),
            "bank": employee.bank_name,
            "rekening": employee.bank_account,
        },
        "predikat": Predikat(pred).label if pred else None,
        "predikat_source": source,
        "attendance": attendance_dicts(employee.id, run.month),
        "status_periods": status_period_dicts(employee.id, run.month, inputs.get("status_tpp") or []),
        "lines": lines,
        "penghasilan": re_.penghasilan,
        "potongan": re_.potongan,
        "netto": re_.netto,
        "rule_versions": run.rule_versions or {},
    }
