"""HR dashboards of the evaluation: predikat distribution per OPD and 360 cycle progress, plus XLSX.

Everything is counted in SQL with GROUP BY (a constant number of queries for the whole regency). The 360
progress reads assignment *statuses* only, never responses: who has or has not finished, for HR (anonymity
rules in `domain.evaluation360` and `access.py`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import aliased

from ... import exports
from ...domain.labels import persen
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    ANNUAL,
    AssignmentStatus,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    PerformanceRating,
    Period,
    RaterAssignment,
    Unit,
    UnitKind,
)
from ..org.units import limit_to_units
from ..paging import Page
from ..rating.windows import final_in


def share(n: int, total: int) -> str:
    return persen((Decimal(n) / total).quantize(Decimal("0.001"))) if total else "–"


# --- predikat per OPD -------------------------------------------------------------------------------------


def opd_of_units() -> dict[int, Unit]:
    """Every unit id → its OPD (units loaded once; the tree is walked in Python, not per row)."""
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    out: dict[int, Unit] = {}
    for uid, unit in units.items():
        node, seen = unit, set()
        while node.kind not in (UnitKind.OPD, UnitKind.PEMDA) and node.parent_id in units and node.id not in seen:
            seen.add(node.id)
            node = units[node.parent_id]
        out[uid] = node
    return out


@dataclass(frozen=True)
class OpdPredikat:
    opd: Unit
    employees: int  # active employees
    counts: dict[Predikat, int]  # final ratings

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def not_final(self) -> int:
        return max(0, self.employees - self.rated)

    def share(self, p: Predikat) -> str:
        return share(self.counts.get(p, 0), self.rated)


def predikat_per_opd(
    period: Period, window_no: int = ANNUAL, unit_ids: Sequence[int] | None = None
) -> list[OpdPredikat]:
    """Final predikat counts per OPD for the period (drafts are the appraiser's working state, not counted);
    only of the employees in `unit_ids` and the OPDs they belong to when given (a pimpinan's scope)."""
    opd_of = opd_of_units()
    staff: Counter[int] = Counter()
    for unit_id, n in db.session.execute(
        limit_to_units(
            select(Employee.unit_id, func.count(Employee.id))
            .where(Employee.active.is_(True), Employee.unit_id.is_not(None))
            .group_by(Employee.unit_id),
            Employee.unit_id,
            unit_ids,
        )
    ):
        staff[opd_of[unit_id].id] += n
    counts: dict[int, Counter] = defaultdict(Counter)
    for unit_id, predikat, n in db.session.execute(
        limit_to_units(
            select(Employee.unit_id, PerformanceRating.predikat, func.count(PerformanceRating.id))
            .join(Employee, Employee.id == PerformanceRating.employee_id)
            .where(*final_in(period.id, window_no), Employee.unit_id.is_not(None))
            .group_by(Employee.unit_id, PerformanceRating.predikat),
            Employee.unit_id,
            unit_ids,
        )
    ):
        counts[opd_of[unit_id].id][predikat] += n
    opds = {u.id: u for u in opd_of.values() if u.kind == UnitKind.OPD}
    if unit_ids is not None:
        mine = {opd_of[u].id for u in unit_ids if u in opd_of}
        opds = {k: u for k, u in opds.items() if k in mine}
    return sorted((OpdPredikat(u, staff[u.id], dict(counts[u.id])) for u in opds.values()), key=lambda r: r.opd.name)


def predikat_total(rows: list[OpdPredikat]) -> dict[Predikat, int]:
    total: Counter[Predikat] = Counter()
    for r in rows:
        total.update(r.counts)
    return dict(total)


# --- 360 progress -----------------------------------------------------------------------------------------

COUNTED = (AssignmentStatus.APPROVED, AssignmentStatus.SUBMITTED)


@dataclass
class UnitProgress:
    unit: Unit | None
    evaluatees: int = 0
    done: int = 0
    pending: int = 0
    declined: int = 0

    @property
    def expected(self) -> int:
        return self.done + self.pending

    @property
    def share(self) -> str:
        return share(self.done, self.expected)

    def count(self, status: AssignmentStatus, n: int) -> None:
        """Add `n` rater assignments in `status`: submitted are done, approved pending, declined apart."""
        if status == AssignmentStatus.SUBMITTED:
            self.done += n
        elif status == AssignmentStatus.APPROVED:
            self.pending += n
        elif status == AssignmentStatus.DECLINED:
            self.declined += n


@dataclass
class RaterProgress:
    rater: Row  # the rater's id, name and nip
    done: int = 0
    pending_for: list[str] | None = None  # names of the employees this rater has not rated yet

    @property
    def pending(self) -> int:
        return len(self.pending_for or [])

    @property
    def expected(self) -> int:
        return self.done + self.pending


def progress_per_unit(cycle: EvaluationCycle, unit_ids: Sequence[int] | None = None) -> list[UnitProgress]:
    """Per unit of the evaluatees: evaluatees, finished / unfinished / declined assignments (two queries);
    only the evaluatees in `unit_ids` when given."""
    rows: dict[int | None, UnitProgress] = {}
    in_cycle = (Evaluatee.cycle_id == cycle.id,)
    units = {
        u.id: u
        for u in db.session.scalars(
            select(Unit).where(
                Unit.id.in_(limit_to_units(select(Evaluatee.unit_id).where(*in_cycle), Evaluatee.unit_id, unit_ids))
            )
        )
    }
    for unit_id, n in db.session.execute(
        limit_to_units(
            select(Evaluatee.unit_id, func.count(Evaluatee.id)).where(*in_cycle).group_by(Evaluatee.unit_id),
            Evaluatee.unit_id,
            unit_ids,
        )
    ):
        rows[unit_id] = UnitProgress(units.get(unit_id), evaluatees=n)
    for unit_id, status, n in db.session.execute(
        limit_to_units(
            select(Evaluatee.unit_id, RaterAssignment.status, func.count(RaterAssignment.id))
            .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
            .where(*in_cycle)
            .group_by(Evaluatee.unit_id, RaterAssignment.status),
            Evaluatee.unit_id,
            unit_ids,
        )
    ):
        rows.setdefault(unit_id, UnitProgress(units.get(unit_id))).count(status, n)
    return sorted(rows.values(), key=lambda r: r.unit.name if r.unit else "")


def progress_of_employees(employee_ids: list[int]) -> UnitProgress:
    """The 360 progress of these employees in open cycles (an atasan's team): one grouped query."""
    out = UnitProgress(None)
    if not employee_ids:
        return out
    open_cycle = (Evaluatee.cycle_id == EvaluationCycle.id) & (EvaluationCycle.status == CycleStatus.OPEN)
    mine = Evaluatee.employee_id.in_(employee_ids)
    out.evaluatees = db.session.scalar(select(func.count(Evaluatee.id)).join(EvaluationCycle, open_cycle).where(mine))
    for status, n in db.session.execute(
        select(RaterAssignment.status, func.count(RaterAssignment.id))
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .join(EvaluationCycle, open_cycle)
        .where(mine)
        .group_by(RaterAssignment.status)
    ):
        out.count(status, n)
    return out


def _per_rater(cycle: EvaluationCycle, only_pending: bool, unit_ids: Sequence[int] | None):
    """Finished and unfinished assignments per rater, counted in SQL (a subquery: rater_id, done, pending)."""
    done = func.count(case((RaterAssignment.status == AssignmentStatus.SUBMITTED, 1)))
    pending = func.count(case((RaterAssignment.status == AssignmentStatus.APPROVED, 1)))
    per_rater = limit_to_units(
        select(RaterAssignment.rater_id, done.label("done"), pending.label("pending"))
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .where(Evaluatee.cycle_id == cycle.id, RaterAssignment.status.in_(COUNTED))
        .group_by(RaterAssignment.rater_id),
        Evaluatee.unit_id,
        unit_ids,
    )
    return (per_rater.having(pending > 0) if only_pending else per_rater).subquery()


def _rater_rows(
    cycle: EvaluationCycle, only_pending: bool, unit_ids: Sequence[int] | None, page: int | None, per_page: int
) -> tuple[list[RaterProgress], int | None]:
    """Raters, most unfinished first then by name; one page of them when `page` is given, with the number of
    raters (None on a page past the end), then the names each has not rated yet (one more query, for those
    raters only)."""
    counted = _per_rater(cycle, only_pending, unit_ids)
    stmt = (
        select(Employee.id, Employee.name, Employee.nip, counted.c.done, counted.c.pending, func.count().over())
        .join(counted, counted.c.rater_id == Employee.id)
        .order_by(counted.c.pending.desc(), Employee.name, Employee.id)
    )
    if page is not None:
        stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    found = db.session.execute(stmt).all()
    rows = {r.id: RaterProgress(r, done=r.done, pending_for=[]) for r in found}
    if rows and any(r.pending for r in found):
        rated = aliased(Employee)
        for rater_id, name in db.session.execute(
            limit_to_units(
                select(RaterAssignment.rater_id, rated.name)
                .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
                .join(rated, rated.id == Evaluatee.employee_id)
                .where(
                    Evaluatee.cycle_id == cycle.id,
                    RaterAssignment.status == AssignmentStatus.APPROVED,
                    RaterAssignment.rater_id.in_(list(rows)),
                )
                .order_by(rated.name),
                Evaluatee.unit_id,
                unit_ids,
            )
        ):
            rows[rater_id].pending_for.append(name)
    return list(rows.values()), (found[0][-1] if found else None)


def progress_per_rater(
    cycle: EvaluationCycle, only_pending: bool = False, unit_ids: Sequence[int] | None = None
) -> list[RaterProgress]:
    """Per rater: how many finished, and whom they have not rated yet (names only, never answers); only the
    assignments of evaluatees in `unit_ids` when given. Every rater (the XLSX)."""
    return _rater_rows(cycle, only_pending, unit_ids, None, 0)[0]


def rater_page(
    cycle: EvaluationCycle,
    only_pending: bool = False,
    unit_ids: Sequence[int] | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page[RaterProgress]:
    """One page of `progress_per_rater` (the page: a regency has tens of thousands of raters)."""
    page = max(1, page)
    rows, total = _rater_rows(cycle, only_pending, unit_ids, page, per_page)
    if total is None:  # past the last page (or no raters): count them to link back
        total = (
            0
            if page == 1
            else db.session.scalar(select(func.count()).select_from(_per_rater(cycle, only_pending, unit_ids)))
        )
    return Page(rows, page, per_page, total)


def periods() -> list[Period]:
    """Every period, newest year first."""
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


def cycles() -> list[EvaluationCycle]:
    return list(
        db.session.scalars(
            select(EvaluationCycle).order_by(EvaluationCycle.start_date.desc(), EvaluationCycle.id.desc())
        )
    )


# --- XLSX --------------------------------------------------------------------------------------------------


def _book():
    from openpyxl.styles import Font

    return exports.workbook(), Font(bold=True)


def predikat_xlsx(rows: list[OpdPredikat], title: str) -> bytes:
    """The heat map's table: counts and shares per OPD × predikat, the same numbers as the page."""
    from openpyxl.styles import PatternFill

    wb, bold = _book()
    ws = wb.active
    ws.title = "Predikat per OPD"
    ws.append([title])
    ws["A1"].font = bold
    header = ["OPD", "Pegawai aktif", "Predikat final"]
    header += [p.label for p in Predikat] + [f"% {p.label}" for p in Predikat] + ["Belum final"]
    ws.append(header)
    for c in ws[2]:
        c.font = bold
    for r in rows:
        fractions = [Decimal(r.counts.get(p, 0)) / r.rated if r.rated else Decimal(0) for p in Predikat]
        ws.append(
            [r.opd.name, r.employees, r.rated]
            + [r.counts.get(p, 0) for p in Predikat]
            + [float(f.quantize(Decimal("0.0001"))) for f in fractions]
            + [r.not_final]
        )
        for k, f in enumerate(fractions):
            cell = ws.cell(row=ws.max_row, column=4 + len(Predikat) + k)
            cell.number_format = "0.0%"
            level = int(f * 4)  # four tints, the page's colour scale in steps
            if level:
                cell.fill = PatternFill("solid", fgColor=("DCE8EF", "A9C6D6", "5F93AE", "0B4F6C", "0B4F6C")[level - 1])
    ws.column_dimensions["A"].width = 50
    return exports.xlsx_bytes(wb)


def progress_xlsx(units: list[UnitProgress], raters: list[RaterProgress], title: str) -> bytes:
    """Two sheets, per unit and per rater: statuses and names only, never an answer."""
    wb, bold = _book()
    ws = wb.active
    ws.title = "Per unit"
    ws.append([title])
    ws["A1"].font = bold
    ws.append(["Unit", "Pegawai dinilai", "Penilaian diharapkan", "Selesai", "Belum selesai", "Menolak", "% selesai"])
    for c in ws[2]:
        c.font = bold
    for u in units:
        pct = float((Decimal(u.done) / u.expected).quantize(Decimal("0.0001"))) if u.expected else 0
        ws.append([u.unit.name if u.unit else "–", u.evaluatees, u.expected, u.done, u.pending, u.declined, pct])
        ws.cell(row=ws.max_row, column=7).number_format = "0.0%"
    ws.column_dimensions["A"].width = 50
    wr = wb.create_sheet("Per penilai")
    wr.append(["Penilai", "NIP", "Harus menilai", "Selesai", "Belum selesai", "Belum menilai"])
    for c in wr[1]:
        c.font = bold
    for r in raters:
        wr.append([r.rater.name, r.rater.nip, r.expected, r.done, r.pending, "; ".join(r.pending_for or [])])
    wr.column_dimensions["A"].width = 40
    wr.column_dimensions["F"].width = 80
    return exports.xlsx_bytes(wb)
