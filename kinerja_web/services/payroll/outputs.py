"""A run's outputs: the employee list, the daftar gaji (table and XLSX), the bank transfer CSV, the recap per OPD."""

from __future__ import annotations

import io
from collections import defaultdict

from flask import current_app
from sqlalchemy import func, select

from ... import exports
from ...domain.labels import bulan
from ...extensions import db
from ...models import (
    Employee,
    PayrollLine,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
)
from ..org.units import opd_map
from .recovery import check_transfers
from .special import bank_note

# ------------------------------------------------------------------------------------------ outputs


def run_employees(run: PayrollRun, opd_id: int | None = None) -> list[tuple]:
    """Rows with .id, .nip, .name, .golongan, .opd_id, .bank_name, .bank_account, .penghasilan, .potongan,
    .netto, ordered by OPD and name."""
    stmt = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.golongan,
            PayrollRunEmployee.opd_id,
            Employee.bank_name,
            Employee.bank_account,
            PayrollRunEmployee.penghasilan,
            PayrollRunEmployee.potongan,
            PayrollRunEmployee.netto,
        )
        .join(PayrollRunEmployee, PayrollRunEmployee.employee_id == Employee.id)
        .where(PayrollRunEmployee.run_id == run.id)
        .order_by(PayrollRunEmployee.opd_id, Employee.name, Employee.id)
    )
    if opd_id is not None:
        stmt = stmt.where(PayrollRunEmployee.opd_id == opd_id)
    return list(db.session.execute(stmt).all())


def daftar_gaji(run: PayrollRun, opd_id: int | None = None) -> tuple[list[tuple[str, str]], list[dict]]:
    """The daftar gaji: columns (code, label) in first-seen order and one dict per employee."""
    emps = run_employees(run, opd_id)
    ids = {e.id for e in emps}
    columns: dict[str, str] = {}
    amounts: dict[int, dict[str, int]] = defaultdict(dict)
    stmt = select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.label, PayrollLine.amount).where(
        PayrollLine.run_id == run.id
    )
    if opd_id is not None:
        stmt = stmt.where(PayrollLine.employee_id.in_(ids))
    for eid, code, label, amount in db.session.execute(stmt.order_by(PayrollLine.employee_id, PayrollLine.seq)):
        columns.setdefault(code, label)
        amounts[eid][code] = amounts[eid].get(code, 0) + amount
    rows = [
        {
            "employee_id": e.id,
            "nip": e.nip,
            "nama": e.name,
            "golongan": e.golongan,
            "amounts": amounts[e.id],
            "penghasilan": e.penghasilan,
            "potongan": e.potongan,
            "netto": e.netto,
        }
        for e in emps
    ]
    return list(columns.items()), rows


def daftar_gaji_xlsx(run: PayrollRun, opd_id: int | None, opd_name: str) -> bytes:
    columns, rows = daftar_gaji(run, opd_id)
    wb = exports.workbook(write_only=True)  # thousands of rows: streamed, so each row goes through exports.row
    ws = wb.create_sheet("Daftar Gaji")
    ws.append(exports.row([f"Daftar gaji {bulan(run.month)} — {opd_name} ({run.status.label})"]))
    ws.append(
        exports.row(
            [
                "No",
                "NIP",
                "Nama",
                "Golongan",
                *[label for _, label in columns],
                "Jumlah penghasilan",
                "Jumlah potongan",
                "Gaji bersih",
            ]
        )
    )
    for i, r in enumerate(rows, start=1):
        ws.append(
            exports.row(
                [
                    i,
                    r["nip"],
                    r["nama"],
                    r["golongan"],
                    *[r["amounts"].get(c, 0) for c, _ in columns],
                    r["penghasilan"],
                    r["potongan"],
                    r["netto"],
                ]
            )
        )
    ws.append(
        [
            "",
            "",
            "Jumlah",
            "",
            *[sum(r["amounts"].get(c, 0) for r in rows) for c, _ in columns],
            sum(r["penghasilan"] for r in rows),
            sum(r["potongan"] for r in rows),
            sum(r["netto"] for r in rows),
        ]
    )
    return exports.xlsx_bytes(wb)


# Bank file layout: (CSV header, field). Override with app config PAYROLL_BANK_COLUMNS.
DEFAULT_BANK_COLUMNS = (
    ("No", "no"),
    ("Nama Bank", "bank"),
    ("Nomor Rekening", "rekening"),
    ("Nama Pemilik", "nama"),
    ("NIP", "nip"),
    ("Jumlah", "jumlah"),
    ("Keterangan", "keterangan"),
)


def bank_csv(run: PayrollRun, columns=None, delimiter: str | None = None) -> str:
    """One line per employee (net pay of the run) in the configured column layout (app config
    PAYROLL_BANK_COLUMNS: (header, field) pairs over no, bank, rekening, nama, nip, jumlah, keterangan)."""
    columns = columns or current_app.config.get("PAYROLL_BANK_COLUMNS") or DEFAULT_BANK_COLUMNS
    delimiter = delimiter or current_app.config.get("PAYROLL_BANK_DELIMITER", ",")
    buf = io.StringIO()
    w = exports.CsvWriter(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow([h for h, _ in columns])
    note = f"Gaji dan TPP {bulan(run.month)}"
    if run.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL):
        note = bank_note(run)
    # positive transfers only: a correction's overpayments are recovered from the next months (recovery.py)
    employees = check_transfers(run_employees(run), run.kind is RunKind.COMPENSATING)
    for i, e in enumerate(employees, start=1):
        values = {
            "no": i,
            "bank": e.bank_name or "",
            "rekening": e.bank_account or "",
            "nama": e.name,
            "nip": e.nip,
            "jumlah": e.netto,
            "keterangan": note,
        }
        w.writerow([values[f] for _, f in columns])
    return buf.getvalue()


def recap(run: PayrollRun) -> list[dict]:
    _, opds = opd_map()
    rows = db.session.execute(
        select(
            PayrollRunEmployee.opd_id,
            func.count(),
            func.sum(PayrollRunEmployee.penghasilan),
            func.sum(PayrollRunEmployee.potongan),
            func.sum(PayrollRunEmployee.netto),
        )
        .where(PayrollRunEmployee.run_id == run.id)
        .group_by(PayrollRunEmployee.opd_id)
    ).all()
    out = [
        {
            "opd_id": o,
            "opd": opds[o].name if o in opds else "-",
            "pegawai": n,
            "penghasilan": int(p or 0),
            "potongan": int(q or 0),
            "netto": int(t or 0),
        }
        for o, n, p, q, t in rows
    ]
    return sorted(out, key=lambda r: r["opd"])
