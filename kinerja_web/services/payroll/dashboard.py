"""TPP dashboards (issue 7 item 10): spend vs pagu anggaran per OPD, deductions by cause, the kinerja part
by predikat; SVG charts (same markup in pages and PDFs) and an XLSX export; the pagu anggaran form.

Figures come from FINAL runs only, as stored (nothing is recomputed): spend sums every TPP-part penghasilan
line of the period (regular runs and the deltas of compensating runs), per the OPD recorded on the run's
employee row. The cause and predikat analyses read the regular runs' TPP lines and their inputs (identical
lines aggregated in SQL first), once per final run and worker: final runs are immutable.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select

from ... import exports
from ...charts import Series, value_bars
from ...domain.labels import NAMA_BULAN, rupiah
from ...domain.payroll.analysis import cause_label, tpp_cuts
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import PayrollLine, PayrollRun, PayrollRunEmployee, RunKind, RunStatus, TppBudget
from ...timeutil import today_wib
from .runs import opd_units

TPP_CODES = ("TPP_KINERJA", "TPP_DISIPLIN")


# ------------------------------------------------------------------------------------------- figures


@dataclass
class OpdSpend:
    opd_id: int
    name: str
    pagu: int | None
    tpp: int  # TPP kinerja + disiplin paid
    tunjangan: int  # other TPP-part penghasilan: BPJS 4% and tunjangan PPh on TPP

    @property
    def total(self) -> int:
        return self.tpp + self.tunjangan

    @property
    def serapan(self) -> Decimal | None:
        return (Decimal(self.total) / self.pagu).quantize(Decimal("0.0001")) if self.pagu else None

    @property
    def sisa(self) -> int | None:
        return self.pagu - self.total if self.pagu is not None else None


@dataclass
class Period:
    year: int
    until: int  # last month included (1–12)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.until, 1)

    @property
    def label(self) -> str:
        if self.until == 12:
            return f"Tahun {self.year}"
        return f"Januari s.d. {NAMA_BULAN[self.until - 1]} {self.year}"


def _final_runs(period: Period, regular_only: bool = False):
    cond = and_(PayrollRun.status == RunStatus.FINAL, PayrollRun.month.between(period.start, period.end))
    if regular_only:
        cond = and_(cond, PayrollRun.kind == RunKind.REGULAR)
    return cond


def budgets(year: int) -> dict[int, TppBudget]:
    return {b.opd_id: b for b in db.session.scalars(select(TppBudget).where(TppBudget.year == year))}


# A stored line's row in its run's employee list (which carries the OPD the employee was paid under).
_LINE_EMPLOYEE = and_(
    PayrollRunEmployee.run_id == PayrollLine.run_id, PayrollRunEmployee.employee_id == PayrollLine.employee_id
)


def spend_by_opd(period: Period, unit_ids: Sequence[int] | None = None) -> list[OpdSpend]:
    """Every OPD with a pagu or a payment in the period, in the org order; only the OPDs in `unit_ids` when
    given (a pimpinan's scope: TPP is paid and budgeted per OPD)."""
    paid: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    stmt = (
        select(PayrollRunEmployee.opd_id, PayrollLine.code, func.sum(PayrollLine.amount))
        .select_from(PayrollLine)
        .join(PayrollRunEmployee, _LINE_EMPLOYEE)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(_final_runs(period), PayrollLine.bagian == "tpp", PayrollLine.kind == "penghasilan")
        .group_by(PayrollRunEmployee.opd_id, PayrollLine.code)
    )
    for opd_id, code, amount in db.session.execute(stmt):
        paid[opd_id][0 if code in TPP_CODES else 1] += int(amount or 0)
    pagu = budgets(period.year)
    out = []
    for u in opd_units():
        if unit_ids is not None and u.id not in unit_ids:
            continue
        if u.id in pagu or u.id in paid:
            tpp, tunjangan = paid.get(u.id, (0, 0))
            out.append(OpdSpend(u.id, u.name, pagu[u.id].amount if u.id in pagu else None, tpp, tunjangan))
    return out


def _run_figures(
    run_id: int, opd_ids: tuple[int, ...] | None = None
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """One final run's TPP lines read back: cause → [rupiah, lines]; predikat label → [lines, kinerja paid].
    Identical lines (same inputs and amount) are aggregated in SQL first. Only the lines of employees paid
    under the OPDs `opd_ids` when given."""
    cuts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_predikat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    stmt = (
        select(PayrollLine.code, PayrollLine.inputs, PayrollLine.amount, func.count())
        .where(PayrollLine.run_id == run_id, PayrollLine.code.in_(TPP_CODES))
        .group_by(PayrollLine.code, PayrollLine.inputs, PayrollLine.amount)
    )
    if opd_ids is not None:
        stmt = stmt.join(PayrollRunEmployee, _LINE_EMPLOYEE).where(PayrollRunEmployee.opd_id.in_(opd_ids))
    groups = db.session.execute(stmt)
    for code, inputs_text, amount, n in groups:
        inputs = dict(json.loads(inputs_text))
        for cause, rp in tpp_cuts(code, inputs, int(amount)).items():
            cuts[cause][0] += rp * n
            cuts[cause][1] += n
        if code == "TPP_KINERJA":
            label = str(inputs.get("predikat", "(tanpa predikat)"))
            by_predikat[label][0] += n
            by_predikat[label][1] += int(amount) * n
    return dict(cuts), dict(by_predikat)


# Final runs never change (corrections are new compensating runs), and the key carries the hash of every
# stored line, so an entry can never be stale: a year of 7,500 employees is read once per worker.
_FIGURES: dict[tuple[int, str], tuple] = {}


def _cached_run_figures(run_id: int, lines_hash: str | None, opd_ids: tuple[int, ...] | None = None) -> tuple:
    key = (run_id, lines_hash or "", opd_ids)
    if key not in _FIGURES:
        if len(_FIGURES) >= 120:
            _FIGURES.pop(next(iter(_FIGURES)))
        _FIGURES[key] = _run_figures(run_id, opd_ids)
    return _FIGURES[key]


@dataclass
class Analysis:
    causes: list[tuple[str, int, int]]  # (label, rupiah, TPP lines affected), largest first
    predikat: list[tuple[str, int, int]]  # (predikat label, employee-months, kinerja part paid)


def analyse(period: Period, unit_ids: Sequence[int] | None = None) -> Analysis:
    """Reductions by cause and TPP kinerja by predikat over the period's final runs (of the OPDs in
    `unit_ids` when given)."""
    opd_ids = None if unit_ids is None else tuple(sorted(u.id for u in opd_units() if u.id in set(unit_ids)))
    cuts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_predikat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    runs = db.session.execute(
        select(PayrollRun.id, PayrollRun.lines_hash).where(_final_runs(period, regular_only=True))
    ).all()
    for run_id, lines_hash in runs:
        run_cuts, run_predikat = _cached_run_figures(run_id, lines_hash, opd_ids)
        for cause, (rp, n) in run_cuts.items():
            cuts[cause][0] += rp
            cuts[cause][1] += n
        for label, (n, rp) in run_predikat.items():
            by_predikat[label][0] += n
            by_predikat[label][1] += rp
    causes = sorted(((cause_label(c), rp, n) for c, (rp, n) in cuts.items()), key=lambda r: -r[1])
    order = [p.label for p in Predikat]
    predikat = [(lbl, *by_predikat[lbl]) for lbl in order if lbl in by_predikat]
    predikat += [(lbl, n, rp) for lbl, (n, rp) in sorted(by_predikat.items()) if lbl not in order]
    return Analysis(causes, predikat)


def _juta(v) -> str:
    """Short rupiah for chart labels: 1.250.000.000 → "Rp 1.250 jt"."""
    return f"Rp {int(v) // 1_000_000:,} jt".replace(",", ".") if abs(int(v)) >= 10_000_000 else rupiah(v)


def charts(spend: list[OpdSpend], analysis: Analysis) -> dict:
    return {
        "spend": value_bars(
            [s.name for s in spend],
            [Series("Pagu anggaran", [s.pagu for s in spend]), Series("Realisasi TPP", [s.total for s in spend])],
            title="Realisasi TPP dibanding pagu anggaran per OPD",
            fmt=_juta,
        )
        if spend
        else None,
        "causes": value_bars(
            [label for label, _, _ in analysis.causes],
            [Series("Potongan", [rp for _, rp, _ in analysis.causes], "#bc4b51")],
            title="Pengurangan TPP menurut penyebab",
            fmt=rupiah,
            label_width=380,
        )
        if analysis.causes
        else None,
        "predikat": value_bars(
            [label for label, _, _ in analysis.predikat],
            [Series("TPP komponen kinerja dibayar", [rp for _, _, rp in analysis.predikat], "#20a39e")],
            title="Komponen kinerja TPP menurut predikat",
            fmt=_juta,
        )
        if analysis.predikat
        else None,
    }


def _count_sheet(wb, name: str, title: str, header: list[str], rows, widths: dict[str, int]) -> None:
    """A sheet of a title, a header and rows of a label and whole numbers (rupiah, counts)."""
    ws = wb.create_sheet(name)
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row[1:]:
            cell.number_format = "#,##0"


def dashboard_xlsx(period: Period, spend: list[OpdSpend], analysis: Analysis) -> bytes:
    wb = exports.workbook()
    ws = wb.active
    ws.title = "Serapan per OPD"
    ws.append([f"Realisasi TPP dibanding pagu anggaran — {period.label} (proses penggajian final)"])
    ws.append(["OPD", "Pagu anggaran", "TPP dibayar", "Tunjangan atas TPP", "Realisasi", "Serapan", "Sisa pagu"])
    for s in spend:
        ws.append([s.name, s.pagu, s.tpp, s.tunjangan, s.total, s.serapan, s.sisa])
    ws.append(
        [
            "Jumlah",
            sum(s.pagu or 0 for s in spend),
            sum(s.tpp for s in spend),
            sum(s.tunjangan for s in spend),
            sum(s.total for s in spend),
            None,
            None,
        ]
    )
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=7):
        for cell in row:
            cell.number_format = "0.00%" if cell.column == 6 else "#,##0"
    ws.column_dimensions["A"].width = 48
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 18
    by_cause = f"Pengurangan TPP menurut penyebab — {period.label} (proses gaji bulanan final)"
    by_predikat = f"Komponen kinerja TPP menurut predikat — {period.label} (proses gaji bulanan final)"
    for name, title, header, rows, widths in (
        (
            "Potongan menurut penyebab",
            by_cause,
            ["Penyebab", "Jumlah (Rp)", "Komponen TPP terdampak"],
            analysis.causes,
            {"A": 70, "B": 18},
        ),
        (
            "Kinerja menurut predikat",
            by_predikat,
            ["Predikat", "Pegawai-bulan", "Komponen kinerja dibayar (Rp)"],
            analysis.predikat,
            {"A": 24, "C": 26},
        ),
    ):
        _count_sheet(wb, name, title, header, rows, widths)
    return exports.xlsx_bytes(wb)


def years() -> list[int]:
    have = {y for (y,) in db.session.execute(select(TppBudget.year).distinct())}
    have |= {m.year for (m,) in db.session.execute(select(PayrollRun.month).distinct())}
    have.add(today_wib().year)
    return sorted(have, reverse=True)


def set_budget(opd_id: int, year: int, amount: int, note: str, actor) -> TppBudget:
    """Create or replace the pagu of (OPD, year) — a repeated submit changes nothing more (audited)."""
    budget = db.session.scalar(select(TppBudget).where(TppBudget.opd_id == opd_id, TppBudget.year == year))
    if budget is None:
        budget = TppBudget(opd_id=opd_id, year=year, amount=amount, note=note, updated_by_id=actor.id)
        db.session.add(budget)
    else:
        budget.amount, budget.note, budget.updated_by_id = amount, note, actor.id
    db.session.flush()
    return budget
