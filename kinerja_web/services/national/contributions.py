"""Monthly contribution recaps from the final payroll runs: Taspen (IWP 8 %, JKK, JKM) and BPJS Kesehatan (4 % + 1 %
on gaji and TPP). Every amount is a stored payroll line (integer rupiah), summed per employee over the month's
final runs (a correction run adds its difference)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import select

from ...extensions import db
from ...models import Employee, PayrollLine, PayrollRun, RunKind, RunStatus
from ..payroll.lines import line_from_row
from ..payroll.rules import load_rules

MONTHLY = (RunKind.REGULAR, RunKind.COMPENSATING)  # THR, gaji ke-13 and rapel have their own recaps

TASPEN_FIELDS = (
    "nip",
    "nama",
    "golongan",
    "bulan",
    "gaji_pokok",
    "tunjangan_istri",
    "tunjangan_anak",
    "dasar_iuran",
    "iwp",
    "iwp_pensiun",
    "iwp_tht",
    "jkk",
    "jkm",
)
BPJS_FIELDS = (
    "nip",
    "nama",
    "bulan",
    "dasar_gaji",
    "dasar_tpp",
    "bpjs4_gaji",
    "bpjs4_tpp",
    "bpjs1_gaji",
    "bpjs1_tpp",
    "bpjs_total",
)
TASPEN_CODES = {
    "GAPOK": "gaji_pokok",
    "TJ_ISTRI": "tunjangan_istri",
    "TJ_ANAK": "tunjangan_anak",
    "POT_IWP": "iwp",
    "TJ_JKK": "jkk",
    "TJ_JKM": "jkm",
}
BPJS_CODES = {
    "TJ_BPJS": "bpjs4_gaji",
    "TJ_BPJS_TPP": "bpjs4_tpp",
    "POT_BPJS1": "bpjs1_gaji",
    "POT_BPJS1_TPP": "bpjs1_tpp",
}


def months() -> list[date]:
    """Months with a final monthly run, newest first."""
    return list(
        db.session.scalars(
            select(PayrollRun.month)
            .where(PayrollRun.status == RunStatus.FINAL, PayrollRun.kind.in_(MONTHLY))
            .distinct()
            .order_by(PayrollRun.month.desc())
        )
    )


def _sums(month: date, codes: dict[str, str]) -> tuple[dict[int, dict[str, int]], dict[int, Employee]]:
    rows = db.session.execute(
        select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.amount)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(
            PayrollRun.month == month,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.kind.in_(MONTHLY),
            PayrollLine.code.in_(list(codes)),
        )
    ).all()
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for emp_id, code, amount in rows:
        sums[emp_id][codes[code]] += int(amount)
    people = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(list(sums))))}
    return sums, people


def taspen(month: date) -> list[dict[str, object]]:
    sums, people = _sums(month, TASPEN_CODES)
    # The IWP row in force that month: the pensiun and THT parts of the 8 % (a month with final runs has one).
    rates = load_rules().iwp.in_force(month).data if sums else None
    out = []
    for emp_id in sorted(sums, key=lambda i: people[i].nip):
        s, e = sums[emp_id], people[emp_id]
        pensiun = int((Decimal(s["iwp"]) * rates.pensiun / rates.total).to_integral_value(rounding=ROUND_FLOOR))
        out.append(
            {
                "nip": e.nip,
                "nama": e.full_name,
                "golongan": e.golongan,
                "bulan": f"{month:%Y-%m}",
                "gaji_pokok": s["gaji_pokok"],
                "tunjangan_istri": s["tunjangan_istri"],
                "tunjangan_anak": s["tunjangan_anak"],
                "dasar_iuran": s["gaji_pokok"] + s["tunjangan_istri"] + s["tunjangan_anak"],
                "iwp": s["iwp"],
                "iwp_pensiun": pensiun,
                "iwp_tht": s["iwp"] - pensiun,  # the two parts always add up to the 8 % withheld
                "jkk": s["jkk"],
                "jkm": s["jkm"],
            }
        )
    return out


def bpjs(month: date) -> list[dict[str, object]]:
    sums, people = _sums(month, BPJS_CODES)
    bases = _bpjs_bases(month)
    out = []
    for emp_id in sorted(sums, key=lambda i: people[i].nip):
        s, e = sums[emp_id], people[emp_id]
        gaji, tpp = bases.get(emp_id, (0, 0))
        out.append(
            {
                "nip": e.nip,
                "nama": e.full_name,
                "bulan": f"{month:%Y-%m}",
                "dasar_gaji": gaji,
                "dasar_tpp": tpp,
                **{k: s[k] for k in ("bpjs4_gaji", "bpjs4_tpp", "bpjs1_gaji", "bpjs1_tpp")},
                "bpjs_total": s["bpjs4_gaji"] + s["bpjs4_tpp"] + s["bpjs1_gaji"] + s["bpjs1_tpp"],
            }
        )
    return out


def _bpjs_bases(month: date) -> dict[int, tuple[int, int]]:
    """The contribution bases as the latest final run of the month recorded them (input "dasar" of its 1 % lines;
    a correction run records the recomputed base, not a difference)."""
    rows = db.session.scalars(
        select(PayrollLine)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(
            PayrollRun.month == month,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.kind.in_(MONTHLY),
            PayrollLine.code.in_(["POT_BPJS1", "POT_BPJS1_TPP"]),
        )
        .order_by(PayrollRun.id)
    )
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:  # later runs overwrite earlier ones
        out[r.employee_id][0 if r.code == "POT_BPJS1" else 1] = int(dict(line_from_row(r).inputs).get("dasar", 0))
    return {k: (v[0], v[1]) for k, v in out.items()}
