"""The home page's aggregates: own post, appraiser and team, head counts and payroll data gaps.

The people card and the counts are cached per worker by the view (services/datacache.py), so they return
plain values, never ORM objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, func, select

from ...domain.development import JP_TARGET, jp_progress
from ...domain.skp import current_window
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import (
    ANNUAL,
    Employee,
    Notification,
    PayrollRun,
    PerformanceRating,
    Period,
    RatingStatus,
    RunKind,
    RunStatus,
    UnitKind,
    User,
)
from ..development import jp as development_jp
from ..evaluation360 import assignments as evaluation360_assignments
from ..org import appraisers, data_quality
from ..payroll import runs as payroll_runs
from ..payroll import slips as payroll_slips
from ..pembinaan import plans as pembinaan_plans
from ..rating import ratings as rating_ratings
from ..rating import windows as rating_windows
from ..skp import inbox as skp_inbox
from ..skp import monitoring as skp_monitoring
from ..skp import progress as skp_progress
from ..skp import records as skp_records
from . import evaluation


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str


@dataclass(frozen=True)
class AppraiserCard(Person):
    acting_prefix: str  # "Plt. " / "Plh. " or ""


def people(emp: Employee, today: date) -> tuple[str | None, AppraiserCard | None, tuple[Person, ...]]:
    """Own post, appraiser and team as plain values (never ORM objects: the cache is shared by the worker's
    requests)."""
    found = appraisers.appraiser_of(emp, today)
    card = AppraiserCard(found.employee.id, found.employee.full_name, found.acting_prefix) if found else None
    team = tuple(Person(t.id, t.full_name) for t in appraisers.direct_subordinates(emp, today))
    return (emp.position.full_name if emp.position else None), card, team


def count_by_status() -> tuple[tuple[str, int], ...]:
    rows = db.session.execute(
        select(Employee.status_asn, func.count()).where(Employee.active.is_(True)).group_by(Employee.status_asn)
    ).all()
    return tuple((s, n) for s, n in rows)


def payroll_gaps() -> tuple[int, int]:
    active = Employee.active.is_(True)
    no_bank = (Employee.bank_account.is_(None)) | (Employee.bank_account == "")
    return (
        db.session.scalar(select(func.count()).select_from(Employee).where(active, no_bank)) or 0,
        db.session.scalar(select(func.count()).select_from(Employee).where(active, Employee.ptkp_status.is_(None)))
        or 0,
    )


def recent_notifications(visible: Select, limit: int = 5) -> list[Notification]:
    return list(db.session.scalars(visible.order_by(Notification.created_at.desc()).limit(limit)))


def user_counts() -> tuple[int, int]:
    """(accounts, locked accounts)."""
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(User).where(User.locked_until.is_not(None))),
    )


# --- "where am I this year?" -------------------------------------------------------------------------------
# Each card asks the area's own services (SKP, rating, 360, JP, payroll, pembinaan) and keeps plain values,
# so the view can cache it like the people card. Every card runs a fixed number of statements: a team of 40
# costs what a team of 2 costs (tests/web/dashboards/test_home_cards.py counts them).


def current_period(today: date) -> Period | None:
    """This year's performance period, else the newest one."""
    found = rating_windows.periods()
    return next((p for p in found if p.year == today.year), found[0] if found else None)


@dataclass(frozen=True)
class SkpCard:
    year: int
    period_id: int
    skp_id: int | None
    status: str | None  # label of the effective SKP's status, None without an SKP
    approved: bool
    window_label: str | None  # this quarter's (window's) realisasi …
    window_end: date | None  # … is due by this date
    reported: bool  # … and has been filled in


def my_skp(emp: Employee, period: Period, today: date) -> SkpCard:
    skp = skp_records.effective_skp(emp.id, period.id)
    window = current_window(period.windows, today)
    approved = skp is not None and skp.status == SkpStatus.APPROVED
    return SkpCard(
        year=period.year,
        period_id=period.id,
        skp_id=skp.id if skp else None,
        status=skp.status.label if skp else None,
        approved=approved,
        window_label=window.label if window else None,
        window_end=window.end if window else None,
        reported=bool(approved and window and skp_progress.realisasi_for(skp, window.index)),
    )


@dataclass(frozen=True)
class PredikatCard:
    label: str
    period_id: int
    window: str  # "Tahunan 2025", "Triwulan II 2026"


def my_latest_predikat(emp: Employee) -> PredikatCard | None:
    """The newest final rating (the annual one before the year's windows), with what the rating page needs."""
    row = db.session.execute(
        select(PerformanceRating, Period)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(PerformanceRating.employee_id == emp.id, PerformanceRating.status == RatingStatus.FINAL)
        .order_by(
            Period.year.desc(), (PerformanceRating.window_no == ANNUAL).desc(), PerformanceRating.window_no.desc()
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    rating, period = row
    return PredikatCard(rating.predikat.label, period.id, rating_windows.window_label(period, rating.window_no))


@dataclass(frozen=True)
class PayCard:
    run_id: int
    month: str
    netto: int
    tpp: int
    previous_month: str | None = None
    previous_netto: int | None = None
    previous_tpp: int | None = None

    @property
    def netto_change(self) -> int | None:
        return None if self.previous_netto is None else self.netto - self.previous_netto

    @property
    def tpp_change(self) -> int | None:
        return None if self.previous_tpp is None else self.tpp - self.previous_tpp


def _tpp_of(slip: dict) -> int:
    """TPP received on a slip: its TPP income lines (the slip's own lines, as the slip page shows them)."""
    return sum(ln["amount"] for ln in slip["lines"] if ln["bagian"] == "tpp" and ln["kind"] == "penghasilan")


def my_pay(emp: Employee) -> PayCard | None:
    """The last final monthly run's take-home pay and TPP, and the change from the month before."""
    monthly = [r for r in payroll_runs.employee_runs(emp.id, final_only=True) if r.kind == RunKind.REGULAR][:2]
    slips = [s for s in (payroll_slips.slip_context(r, emp) for r in monthly) if s is not None]
    if not slips:
        return None
    last = slips[0]
    card = PayCard(last["run_id"], last["month_label"], last["netto"], _tpp_of(last))
    if len(slips) > 1:
        prev = slips[1]
        card = replace(
            card, previous_month=prev["month_label"], previous_netto=prev["netto"], previous_tpp=_tpp_of(prev)
        )
    return card


@dataclass(frozen=True)
class MyYear:
    skp: SkpCard | None
    predikat: PredikatCard | None
    jp: int
    jp_target: int
    pay: PayCard | None
    coaching_plan_id: int | None  # the pembinaan plan whose next check-in …
    coaching_on: date | None  # … is on this date

    @property
    def jp_percent(self) -> int:
        return jp_progress(self.jp)


def my_year(emp: Employee, today: date) -> MyYear:
    period = current_period(today)
    coaching = pembinaan_plans.own_next_check_in(emp.id, today)
    return MyYear(
        skp=my_skp(emp, period, today) if period else None,
        predikat=my_latest_predikat(emp),
        jp=development_jp.jp_total(emp.id, today.year),
        jp_target=JP_TARGET,
        pay=my_pay(emp),
        coaching_plan_id=coaching[0].id if coaching else None,
        coaching_on=coaching[1] if coaching else None,
    )


@dataclass(frozen=True)
class OpenForms:
    count: int  # 360 forms waiting for this rater in open cycles
    deadline: date | None  # the nearest cycle deadline among them


def open_360_forms(emp: Employee) -> OpenForms:
    """Not cached with the rest: answering a 360 form is not audited (anonymity), so no data version sees it."""
    return OpenForms(*evaluation360_assignments.open_forms(emp.id))


# --- the atasan's team ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamYear:
    year: int | None
    size: int
    skp_states: tuple[tuple[str, int], ...]  # (status label, n), "Belum ada SKP" included
    approvals_due: int  # SKP waiting for this atasan's approval (the SKP inbox)
    ratings_due: int  # team members with an approved SKP and no final rating


def team_year(user: User, team_ids: list[int], today: date) -> TeamYear:
    period = current_period(today)
    states: Counter[str] = Counter()
    if period is not None:
        effective = skp_records.effective_skps(period.id, team_ids)
        for eid in team_ids:
            skp = effective.get(eid)
            states[skp.status.label if skp else "Belum ada SKP"] += 1
    return TeamYear(
        year=period.year if period else None,
        size=len(team_ids),
        skp_states=tuple(sorted(states.items(), key=lambda kv: -kv[1])),
        approvals_due=sum(t.count for t in skp_inbox.skp_waiting_for_me(user)),
        ratings_due=rating_ratings.awaiting_count(user.employee, today),
    )


# --- HR and finance ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpdSkpProgress:
    name: str
    employees: int
    approved: int
    missing_realisasi: int

    @property
    def share(self) -> str:
        return evaluation.share(self.approved, self.employees)


@dataclass(frozen=True)
class CycleProgress:
    year: int | None
    window_label: str | None
    opds: tuple[OpdSkpProgress, ...]
    data_quality: int


def cycle_progress(today: date) -> CycleProgress:
    """Per OPD: SKP approved of the active staff and approved SKP without this window's realisasi (the SKP
    monitoring's numbers), and the data-quality queue's length."""
    period = current_period(today)
    rows: list = []
    window_label = None
    if period is not None:
        rows, window_no = skp_monitoring.monitoring(period, today)
        window_label = next((w.label for w in period.windows if w.index == window_no), None)
    return CycleProgress(
        year=period.year if period else None,
        window_label=window_label,
        opds=tuple(
            OpdSkpProgress(r.unit.name, r.employees, r.approved, r.missing_realisasi)
            for r in rows
            if r.unit.kind == UnitKind.OPD
        ),
        data_quality=len(data_quality.data_quality_issues(today)),
    )


# step the run waits for → who takes it (the roles of `access.payroll`)
RUN_WAITS_FOR = {
    RunStatus.DRAFT: "Belum dihitung: Operator Keuangan menjalankan perhitungan.",
    RunStatus.DIHITUNG: "Menunggu verifikasi oleh Verifikator Keuangan (bukan pembuat proses penggajian).",
    RunStatus.DIVERIFIKASI: "Menunggu persetujuan Pejabat Keuangan (bukan pembuat atau verifikator).",
    RunStatus.DISETUJUI: "Menunggu finalisasi oleh Pejabat Keuangan.",
}


def current_run() -> PayrollRun | None:
    """The run finance is working on: the newest unfinished run, else the newest run."""
    newest = (PayrollRun.month.desc(), PayrollRun.id.desc())
    open_run = db.session.scalars(
        select(PayrollRun).where(PayrollRun.status != RunStatus.FINAL).order_by(*newest).limit(1)
    ).first()
    return open_run or db.session.scalars(select(PayrollRun).order_by(*newest).limit(1)).first()
