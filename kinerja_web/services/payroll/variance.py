"""Variance review: each employee's net against the previous month's final run, with the reason of a change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from ...domain.labels import bulan, persen, rupiah
from ...extensions import db
from ...models import (
    Employee,
    PayrollLine,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
)
from ..org.units import opd_map
from .months import previous_month
from .runs import paying, scope_opd_ids

# ----------------------------------------------------------------------------------------- variance


@dataclass(frozen=True)
class VarianceItem:
    category: str
    employee_id: int
    nip: str
    name: str
    reason: str


def previous_run_nets(run: PayrollRun) -> dict[int, int]:
    """Net pay per employee in the final regular (+compensating) runs of the previous month."""
    prev = previous_month(run.month)
    rows = db.session.execute(
        select(PayrollRunEmployee.employee_id, func.sum(PayrollRunEmployee.netto))
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(paying(prev))
        .group_by(PayrollRunEmployee.employee_id)
    )
    return {eid: int(n) for eid, n in rows}


def variance(run: PayrollRun, threshold: Decimal | None = None) -> list[VarianceItem]:
    """Before verification: net change above the threshold vs last month, new and missing employees, zero or
    negative lines — each with its reason."""
    if threshold is None:
        threshold = Decimal(str(current_app.config.get("PAYROLL_VARIANCE_PERCENT", "10"))) / 100
    names = {
        eid: (nip, name)
        for eid, nip, name in db.session.execute(
            select(Employee.id, Employee.nip, Employee.name)
            .join(PayrollRunEmployee, PayrollRunEmployee.employee_id == Employee.id)
            .where(PayrollRunEmployee.run_id == run.id)
        )
    }
    current = dict(
        db.session.execute(
            select(PayrollRunEmployee.employee_id, PayrollRunEmployee.netto).where(PayrollRunEmployee.run_id == run.id)
        ).all()
    )
    # THR, gaji ke-13 and rapel are not compared with last month's gaji (only their zero/negative lines)
    prev = previous_run_nets(run) if run.kind in (RunKind.REGULAR, RunKind.COMPENSATING) else {}
    items: list[VarianceItem] = []
    had_prev = bool(prev)
    scope = set(scope_opd_ids(run))
    for eid, net in sorted(current.items()):
        nip, name = names[eid]
        if eid not in prev:
            if had_prev:
                items.append(
                    VarianceItem("baru", eid, nip, name, f"Tidak ada di gaji {bulan(previous_month(run.month))}.")
                )
            continue
        before = prev[eid]
        if before and abs(Decimal(net - before)) / abs(Decimal(before)) > threshold:
            change = Decimal(net - before) / abs(Decimal(before))
            items.append(
                VarianceItem(
                    "selisih",
                    eid,
                    nip,
                    name,
                    f"Gaji bersih {rupiah(before)} → {rupiah(net)} ({'+' if change > 0 else ''}{persen(change.quantize(PERSEN_1))}), "
                    f"melebihi batas {persen(threshold)}.",
                )
            )
        if net <= 0:
            items.append(VarianceItem("nol", eid, nip, name, f"Gaji bersih {rupiah(net)} (nol atau negatif)."))
    if had_prev:
        missing = [e for e in prev if e not in current]
        if missing:
            unit_opd, _ = opd_map()
            for eid, nip, name, unit_id, active in db.session.execute(
                select(Employee.id, Employee.nip, Employee.name, Employee.unit_id, Employee.active).where(
                    Employee.id.in_(missing)
                )
            ):
                if unit_opd.get(unit_id) in scope or not active:
                    why = "pegawai tidak aktif lagi" if not active else "tidak termasuk perhitungan bulan ini"
                    items.append(VarianceItem("hilang", eid, nip, name, f"Ada di gaji bulan lalu; {why}."))
    # a rapel's lines are signed differences by design: only its net pay is checked
    zero_lines = select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.label, PayrollLine.amount).where(
        PayrollLine.run_id == run.id, PayrollLine.amount <= 0, PayrollLine.kind != "info"
    )
    for eid, code, label, amount in db.session.execute(zero_lines) if run.kind is not RunKind.RAPEL else ():
        nip, name = names[eid]
        items.append(
            VarianceItem(
                "baris", eid, nip, name, f"Baris {label} ({code}) bernilai {rupiah(amount)}{_zero_reason(code)}."
            )
        )
    return items


PERSEN_1 = Decimal("0.001")  # net change shown to one decimal of a percent


def _zero_reason(code: str) -> str:
    return {
        "TPP_KINERJA": " — periksa predikat dan faktor status",
        "TPP_DISIPLIN": " — potongan disiplin mencapai batas atau faktor status nol",
        "POT_PPH": " — penghasilan di bawah lapisan TER pertama",
        "POT_PPH_TPP": " — PPh atas TPP nihil",
        "TJ_PPH": " — PPh nihil",
    }.get(code, "")
