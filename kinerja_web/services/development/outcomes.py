"""Closing the loop: does the next cycle's result show that a referral or an improvement plan helped?

For each finished referral and each reviewed improvement plan the triggering result is compared with the
employee's next one:

- predikat (predikat rendah/tinggi referrals, improvement plans): the next final annual rating, in a period
  of a later year, counted in predikat steps;
- a BerAKHLAK value (berakhlak rendah referrals): that value's mean from the other raters in the employee's
  next closed 360 cycle, aggregated by the 360 results rules, so a value hidden for too few raters stays
  "belum ada data" and no single rater's answer is ever read out.

Everything is set-wise (a fixed number of queries for any number of referrals). HR's effectiveness report
groups the outcomes per programme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ... import exports
from ...domain import berakhlak
from ...domain.development import OutcomeStatus, ReasonKind, ReferralStatus, compare, predikat_level
from ...domain.evaluation360 import aggregate
from ...domain.pembinaan import PlanStatus
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    ANNUAL,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    ImprovementPlan,
    PerformanceRating,
    Period,
    RatingStatus,
    Referral,
)
from ..competency.gaps import next_levels
from ..evaluation360.results import comment_seed, sheets_for, thresholds_of

PREDIKAT = "predikat"
BERAKHLAK = "berakhlak"
KOMPETENSI = "kompetensi"
MEASURE_LABELS = {
    PREDIKAT: "Predikat kinerja (tingkat)",
    BERAKHLAK: "Nilai BerAKHLAK 360 (skor)",
    KOMPETENSI: "Level kompetensi pada penilaian kompetensi berikutnya",
}
PREDIKAT_KINDS = frozenset({ReasonKind.PREDIKAT_RENDAH, ReasonKind.PREDIKAT_TINGGI})
REVIEWED = frozenset({PlanStatus.IMPROVED, PlanStatus.NOT_IMPROVED, PlanStatus.FOLLOWED_UP})
PLAN_PROGRAMME = "Rencana pembinaan kinerja (PP 30/2019 Pasal 57)"


def measure_of(reason: ReasonKind) -> str | None:
    """What a referral targets: the predikat, a BerAKHLAK value, or nothing comparable (the 20 JP reminder)."""
    if reason in PREDIKAT_KINDS:
        return PREDIKAT
    if reason == ReasonKind.BERAKHLAK_RENDAH:
        return BERAKHLAK
    if reason == ReasonKind.GAP_KOMPETENSI:
        return KOMPETENSI
    return None


def _score(x: Decimal) -> str:
    return f"{x:.2f}".replace(".", ",")


@dataclass(frozen=True)
class Outcome:
    measure: str
    status: OutcomeStatus
    before: str  # readable triggering result
    after: str | None  # readable next result, None without data
    change: Decimal | None  # predikat steps, or 360 score points
    source: str | None  # where the next result comes from

    @property
    def on_berakhlak(self) -> bool:
        """The outcome compares a BerAKHLAK value's 360 score (else the predikat)."""
        return self.measure == BERAKHLAK

    @property
    def detail(self) -> str:
        if self.after is None:
            return f"Sebelumnya {self.before}; hasil periode berikutnya belum tersedia."
        sign = "+" if self.change is not None and self.change > 0 else ""
        unit = {PREDIKAT: " tingkat", KOMPETENSI: " level"}.get(self.measure, "")
        change = f"{self.change:.0f}" if self.measure == PREDIKAT else _score(self.change)
        return f"{self.before} → {self.after} ({sign}{change}{unit}; {self.source})."


# --- predikat ------------------------------------------------------------------------------------------------


def _next_ratings(employee_ids: set[int]) -> dict[int, list[tuple[int, Predikat]]]:
    """Final annual predikat per employee, ordered by period year (one query)."""
    if not employee_ids:
        return {}
    rows = db.session.execute(
        select(PerformanceRating.employee_id, Period.year, PerformanceRating.predikat)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(
            PerformanceRating.employee_id.in_(list(employee_ids)),
            PerformanceRating.window_no == ANNUAL,
            PerformanceRating.status == RatingStatus.FINAL,
        )
        .order_by(PerformanceRating.employee_id, Period.year)
    ).all()
    out: dict[int, list[tuple[int, Predikat]]] = {}
    for eid, year, predikat in rows:
        out.setdefault(eid, []).append((year, Predikat(predikat)))
    return out


def _predikat_outcome(before: Predikat, year: int, later: list[tuple[int, Predikat]]) -> Outcome:
    nxt = next(((y, p) for y, p in later if y > year), None)
    if nxt is None:
        return Outcome(PREDIKAT, OutcomeStatus.BELUM_ADA_DATA, before.label, None, None, None)
    status, change = compare(predikat_level(before), predikat_level(nxt[1]))
    return Outcome(PREDIKAT, status, before.label, nxt[1].label, change, f"penilaian kinerja tahunan {nxt[0]}")


def _trigger_ratings(rating_ids: set[int]) -> dict[int, tuple[int, Predikat, int]]:
    """rating id → (employee id, predikat, period year) (one query)."""
    if not rating_ids:
        return {}
    rows = db.session.execute(
        select(PerformanceRating.id, PerformanceRating.employee_id, PerformanceRating.predikat, Period.year)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(PerformanceRating.id.in_(list(rating_ids)))
    ).all()
    return {rid: (eid, Predikat(p), year) for rid, eid, p, year in rows}


# --- BerAKHLAK 360 -------------------------------------------------------------------------------------------


def _berakhlak_outcomes(refs: Sequence[Referral]) -> dict[int, Outcome]:
    """Per referral: the targeted value's others-mean in the trigger cycle and the next closed cycle.

    Four queries whatever the number of referrals: the employees' closed cycles, then the anonymous sheets.
    """
    if not refs:
        return {}
    employee_ids = {r.employee_id for r in refs}
    evaluatees = db.session.scalars(
        select(Evaluatee)
        .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(Evaluatee.employee_id.in_(list(employee_ids)), EvaluationCycle.status == CycleStatus.CLOSED)
        .options(joinedload(Evaluatee.cycle))
        .order_by(EvaluationCycle.end_date, Evaluatee.id)
    ).all()
    by_id = {e.id: e for e in evaluatees}
    by_employee: dict[int, list[Evaluatee]] = {}
    for e in evaluatees:
        by_employee.setdefault(e.employee_id, []).append(e)
    pairs: dict[int, tuple[Evaluatee | None, Evaluatee | None]] = {}
    for r in refs:
        trigger = by_id.get(r.evaluatee_id)
        nxt = None
        if trigger is not None:
            nxt = next(
                (e for e in by_employee.get(r.employee_id, []) if e.cycle.start_date > trigger.cycle.end_date), None
            )
        pairs[r.id] = (trigger, nxt)
    needed = {e.id for pair in pairs.values() for e in pair if e is not None}
    sheets = sheets_for(list(needed)) if needed else {}
    codes, names = berakhlak.value_codes(), berakhlak.value_names()
    reports = {
        eid: aggregate(sheets.get(eid, []), codes, thresholds_of(by_id[eid].cycle), comment_seed(by_id[eid]))
        for eid in needed
    }
    out = {}
    for r in refs:
        trigger, nxt = pairs[r.id]
        code = r.berakhlak_value
        name = names.get(code, code or "")
        before = _mean(reports, trigger, code)
        after = _mean(reports, nxt, code)
        status, change = compare(before, after)
        out[r.id] = Outcome(
            BERAKHLAK,
            status,
            f"{name} {_score(before)}" if before is not None else f"{name} (tidak ditampilkan)",
            f"{name} {_score(after)}" if after is not None else None,
            change,
            f"penilaian 360 «{nxt.cycle.name}»" if nxt is not None else None,
        )
    return out


def _mean(reports: dict, evaluatee: Evaluatee | None, code: str | None) -> Decimal | None:
    """The others' mean of one value as the results page shows it (None when hidden for too few raters)."""
    if evaluatee is None:
        return None
    v = next((v for v in reports[evaluatee.id].values if v.code == code), None)
    return v.others.mean if v is not None else None


# --- public entry points -------------------------------------------------------------------------------------


def referral_outcomes(refs: Sequence[Referral]) -> dict[int, Outcome]:
    """Outcome per finished referral that targets something comparable (constant number of queries)."""
    done = [r for r in refs if r.status == ReferralStatus.SELESAI]
    pred = [r for r in done if measure_of(r.reason_kind) == PREDIKAT and r.rating_id is not None]
    triggers = _trigger_ratings({r.rating_id for r in pred})
    later = _next_ratings({triggers[r.rating_id][0] for r in pred if r.rating_id in triggers})
    out: dict[int, Outcome] = {}
    for r in pred:
        if r.rating_id in triggers:
            eid, predikat, year = triggers[r.rating_id]
            out[r.id] = _predikat_outcome(predikat, year, later.get(eid, []))
    out.update(
        _berakhlak_outcomes(
            [r for r in done if measure_of(r.reason_kind) == BERAKHLAK and r.berakhlak_value is not None]
        )
    )
    out.update(_competency_outcomes([r for r in done if measure_of(r.reason_kind) == KOMPETENSI]))
    return out


def _level(x: Decimal) -> str:
    return str(x.normalize()).replace(".", ",")


def _competency_outcomes(refs: Sequence[Referral]) -> dict[int, Outcome]:
    """A gap referral: the competency's level then against the employee's next finalised assessment (did the
    gap close?). Two queries."""
    refs = [r for r in refs if r.assessment_participant_id is not None and r.competency_code]
    levels = next_levels({(r.assessment_participant_id, r.competency_code) for r in refs})
    out = {}
    for r in refs:
        n = levels.get((r.assessment_participant_id, r.competency_code))
        if n is None:
            continue
        before = f"{r.competency_code} level {_level(n.before)}" + (f" (syarat {n.required})" if n.required else "")
        if n.after is None:
            out[r.id] = Outcome(KOMPETENSI, OutcomeStatus.BELUM_ADA_DATA, before, None, None, None)
            continue
        status, change = compare(n.before, n.after)
        closed = "; kesenjangan tertutup" if n.closed else ""
        out[r.id] = Outcome(
            KOMPETENSI,
            status,
            before,
            f"level {_level(n.after)}",
            change,
            f"penilaian kompetensi {n.held_on:%d-%m-%Y}{closed}",
        )
    return out


def plan_outcomes(plans: Sequence[ImprovementPlan]) -> dict[int, Outcome]:
    """Outcome per reviewed improvement plan: the triggering predikat against the next final annual one."""
    reviewed = [p for p in plans if p.status in REVIEWED]
    triggers = _trigger_ratings({p.rating_id for p in reviewed})
    later = _next_ratings({p.employee_id for p in reviewed})
    out = {}
    for p in reviewed:
        _, predikat, year = triggers[p.rating_id]
        out[p.id] = _predikat_outcome(predikat, year, later.get(p.employee_id, []))
    return out


def outcome_of_referral(ref: Referral) -> Outcome | None:
    return referral_outcomes([ref]).get(ref.id)


def outcome_of_plan(plan: ImprovementPlan) -> Outcome | None:
    return plan_outcomes([plan]).get(plan.id)


# --- HR report: effectiveness per programme ------------------------------------------------------------------


@dataclass
class EffectRow:
    programme: str
    measure: str | None
    finished: int = 0
    improved: int = 0
    same: int = 0
    declined: int = 0
    changes: list[Decimal] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Short chart label: the programme (cut to fit) and what is measured."""
        name = self.programme if len(self.programme) <= 48 else self.programme[:47].rstrip() + "…"
        return f"{name} ({ {BERAKHLAK: '360', KOMPETENSI: 'kompetensi'}.get(self.measure, 'predikat') })"

    @property
    def measure_label(self) -> str:
        return MEASURE_LABELS[self.measure] if self.measure else "Tidak diukur (20 JP)"

    @property
    def with_data(self) -> int:
        return len(self.changes)

    @property
    def percent_improved(self) -> Decimal | None:
        if not self.changes:
            return None
        return (Decimal(self.improved) * 100 / len(self.changes)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def average_change(self) -> Decimal | None:
        if not self.changes:
            return None
        return (sum(self.changes, Decimal(0)) / len(self.changes)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def add(self, outcome: Outcome | None) -> None:
        self.finished += 1
        if outcome is None or outcome.change is None:
            return
        self.changes.append(outcome.change)
        if outcome.status == OutcomeStatus.MEMBAIK:
            self.improved += 1
        elif outcome.status == OutcomeStatus.MENURUN:
            self.declined += 1
        else:
            self.same += 1


def _of_employees(model, year_column, year: int | None, unit_ids: Sequence[int] | None) -> Select:
    """Rows of `model` (with an employee_id) joined to their employee, narrowed to `year` (on `year_column`) and to
    employees of `unit_ids`, each when given."""
    stmt = select(model).join(Employee, Employee.id == model.employee_id)
    if year is not None:
        stmt = stmt.where(year_column == year)
    if unit_ids is not None:
        stmt = stmt.where(Employee.unit_id.in_(list(unit_ids)))
    return stmt


def effectiveness(year: int | None, unit_ids: Sequence[int] | None) -> list[EffectRow]:
    """Per programme (and what it targets): finished referrals, those with next-cycle data, % improved, average
    change; plus one row for the reviewed improvement plans. A fixed number of queries."""
    stmt = (
        _of_employees(Referral, Referral.year, year, unit_ids)
        .where(Referral.status == ReferralStatus.SELESAI)
        .options(joinedload(Referral.programme))
        .order_by(Referral.id)
    )
    refs = db.session.scalars(stmt).all()
    outcomes = referral_outcomes(refs)
    rows: dict[tuple[str, str | None], EffectRow] = {}
    for r in refs:
        name = r.programme.name if r.programme else "Tanpa program"
        m = measure_of(r.reason_kind)
        rows.setdefault((name, m), EffectRow(name, m)).add(outcomes.get(r.id))
    pstmt = (
        _of_employees(ImprovementPlan, Period.year, year, unit_ids)
        .join(PerformanceRating, PerformanceRating.id == ImprovementPlan.rating_id)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(ImprovementPlan.status.in_(list(REVIEWED)))
        .order_by(ImprovementPlan.id)
    )
    plans = db.session.scalars(pstmt).all()
    if plans:
        row = EffectRow(PLAN_PROGRAMME, PREDIKAT)
        po = plan_outcomes(plans)
        for p in plans:
            row.add(po.get(p.id))
        rows[(PLAN_PROGRAMME, PREDIKAT)] = row
    return sorted(rows.values(), key=lambda r: (r.measure is None, r.programme, r.measure or ""))


def effectiveness_xlsx(title: str, rows: Sequence[EffectRow]) -> bytes:
    from openpyxl.styles import Font

    wb = exports.workbook()
    ws = wb.active
    ws.title = "Efektivitas program"
    ws.append([title])
    ws.append(
        [
            "Program",
            "Yang diukur",
            "Rujukan selesai",
            "Ada data periode berikutnya",
            "Membaik",
            "Tetap",
            "Menurun",
            "% membaik",
            "Rata-rata perubahan",
        ]
    )
    for r in rows:
        ws.append(
            [
                r.programme,
                r.measure_label,
                r.finished,
                r.with_data,
                r.improved,
                r.same,
                r.declined,
                float(r.percent_improved) / 100 if r.percent_improved is not None else None,
                float(r.average_change) if r.average_change is not None else None,
            ]
        )
        ws.cell(ws.max_row, 8).number_format = "0.0%"
        ws.cell(ws.max_row, 9).number_format = "+0.00;-0.00;0.00"
    for cell in ws[1] + ws[2]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 28
    return exports.xlsx_bytes(wb)
