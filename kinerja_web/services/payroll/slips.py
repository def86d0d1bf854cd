"""The payslip of one employee in one run, read back from the stored lines and the inputs snapshot."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, select

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
from ..org.units import opd_name
from .attendance import attendance_dicts
from .lines import line_from_row
from .status_periods import status_period_dicts


def slip_context(run: PayrollRun, employee: Employee) -> dict | None:
    """Plain data of one employee's slip and explanation (for the HTML page now, the PDF service later)."""
    re_ = run_employee(run, employee)
    if re_ is None:
        return None
    lines = line_dicts(run, employee)
    inputs = json.loads(re_.inputs)
    # THR/gaji ke-13/rapel snapshots wrap the employee's monthly inputs (see special.py)
    inputs = inputs.get("pegawai_bayar") or inputs.get("pegawai") or inputs
    pred = inputs.get("predikat")
    recorded = db.session.execute(_RECORDED, {"employee_id": employee.id, "month": run.month}).first()
    # The source of a predikat changed after this run (waiting for a compensating run) is not this run's.
    source = recorded.source if recorded and recorded.predikat == pred else None
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
            "opd": opd_name(re_.opd_id),
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


# Built once, bound per call: on the explanation page (issue 23) building these statements cost more than
# running them.
_RUN_EMPLOYEE = select(PayrollRunEmployee).where(
    PayrollRunEmployee.run_id == bindparam("run_id"), PayrollRunEmployee.employee_id == bindparam("employee_id")
)
_LINES = (
    select(PayrollLine)
    .where(PayrollLine.run_id == bindparam("run_id"), PayrollLine.employee_id == bindparam("employee_id"))
    .order_by(PayrollLine.seq)
)
_RECORDED = select(PayrollPredikat.predikat, PayrollPredikat.source).where(
    PayrollPredikat.employee_id == bindparam("employee_id"), PayrollPredikat.month == bindparam("month")
)


def run_employee(run: PayrollRun, employee: Employee) -> PayrollRunEmployee | None:
    """The employee's row in the run (totals and inputs snapshot); None when the run does not cover them."""
    return db.session.scalar(_RUN_EMPLOYEE, {"run_id": run.id, "employee_id": employee.id})


def line_dicts(run: PayrollRun, employee: Employee) -> list[dict]:
    """The employee's stored lines in the run, in payslip order, as the slip page shows them."""
    rows = db.session.scalars(_LINES, {"run_id": run.id, "employee_id": employee.id})
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
    return lines
