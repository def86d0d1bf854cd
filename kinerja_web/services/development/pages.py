"""Page queries and catalogue edits of the pengembangan area; the rules and lifecycle live in
`kinerja_web/services/development.py` (shared with the pembinaan kinerja area and dashboards)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ... import exports
from ...domain import DomainError, golongan
from ...domain.development import (
    JP_TARGET,
    OPEN,
    ProgrammeBentuk,
    ReasonKind,
    ReferralStatus,
    check_jp,
    check_schedule,
    jp_progress,
)
from ...domain.pembinaan import PlanStatus
from ...extensions import db
from ...models import (
    Employee,
    ImprovementPlan,
    JpEntry,
    PerformanceRating,
    Period,
    PositionKind,
    Programme,
    Referral,
    Unit,
    UnitKind,
)
from .lifecycle import jp_total, jp_totals, occupied_seats
from .outcomes import referral_outcomes

QUEUE_PAGE_SIZE = 50


# --- catalogue ------------------------------------------------------------------------------------------


def programmes(include_inactive: bool = False) -> list[Programme]:
    stmt = select(Programme).order_by(Programme.start_date.is_(None), Programme.start_date, Programme.name)
    if not include_inactive:
        stmt = stmt.where(Programme.active.is_(True))
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class CatalogueRow:
    programme: Programme
    taken: int
    eligible: bool | None  # None: the user has no employee record
    why_not: str


def catalogue(employee: Employee | None, include_inactive: bool) -> list[CatalogueRow]:
    """Programmes with seats taken and, for the viewing employee, whether they are eligible and why not."""
    items = programmes(include_inactive)
    seats = occupied_seats([p.id for p in items]) if items else {}
    rows = []
    for p in items:
        eligible, why = None, ""
        if employee is not None:
            kind = employee.position.kind if employee.position else None
            reasons = p.eligibility.reasons(kind.value if kind else None, kind.label if kind else "", employee.golongan)
            eligible, why = not reasons, "; ".join(reasons)
        rows.append(CatalogueRow(p, seats.get(p.id, 0), eligible, why))
    return rows


def _golongan(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    g = golongan.normalize(value)
    if golongan.rank(g) == 0:
        raise DomainError(f"Golongan «{value}» tidak dikenal (contoh: III/a).", field=field)
    return g


def save_programme(programme: Programme | None, data: dict) -> Programme:
    """Create or update a catalogue entry; every check raises DomainError naming its field."""
    code = data["code"].strip().upper()
    clash = db.session.scalar(select(Programme.id).where(Programme.code == code))
    if clash is not None and (programme is None or clash != programme.id):
        raise DomainError(f"Kode «{code}» sudah dipakai program lain.", field="code")
    jp = check_jp(data["jp"])
    check_schedule(data.get("start_date"), data.get("end_date"))
    capacity = data.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError("Kapasitas minimal 1 peserta (kosongkan bila tanpa batas).", field="capacity")
    cost = data.get("cost") or 0
    if cost < 0:
        raise DomainError("Biaya tidak boleh negatif.", field="cost")
    lo, hi = _golongan(data.get("min_golongan"), "min_golongan"), _golongan(data.get("max_golongan"), "max_golongan")
    if lo and hi and golongan.rank(lo) > golongan.rank(hi):
        raise DomainError("Golongan minimal lebih tinggi dari golongan maksimal.", field="max_golongan")
    if programme is not None and capacity is not None:
        taken = occupied_seats([programme.id]).get(programme.id, 0)
        if capacity < taken:
            raise DomainError(f"Sudah ada {taken} peserta; kapasitas tidak boleh lebih kecil.", field="capacity")
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    programme.code = code
    programme.name = data["name"].strip()
    programme.bentuk = ProgrammeBentuk(data["bentuk"])
    programme.jp = jp
    programme.provider = data["provider"].strip()
    programme.location = (data.get("location") or "").strip() or None
    programme.start_date, programme.end_date = data.get("start_date"), data.get("end_date")
    programme.capacity = capacity
    programme.cost = cost
    programme.competencies = (data.get("competencies") or "").strip() or None
    programme.berakhlak_values = list(data.get("berakhlak_values") or [])
    programme.eligible_kinds = [PositionKind(k).value for k in data.get("eligible_kinds") or []]
    programme.min_golongan, programme.max_golongan = lo, hi
    programme.description = (data.get("description") or "").strip() or None
    programme.active = bool(data.get("active"))
    db.session.flush()
    return programme


# --- HR work queue -------------------------------------------------------------------------------------


def opds() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD).order_by(Unit.name)))


def unit_ids_under(opd_id: int) -> list[int]:
    """The OPD and every unit below it (one query per tree level, a handful at most)."""
    ids, frontier = [opd_id], [opd_id]
    while frontier:
        frontier = list(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


@dataclass(frozen=True)
class QueueFilter:
    opd_id: int | None = None
    reason: ReasonKind | None = None
    status: ReferralStatus | None = ReferralStatus.DIUSULKAN
    year: int | None = None
    q: str = ""


def queue_query(f: QueueFilter) -> Select:
    stmt = (
        select(Referral)
        .join(Employee, Employee.id == Referral.employee_id)
        .options(
            joinedload(Referral.employee).joinedload(Employee.position),
            joinedload(Referral.employee).joinedload(Employee.unit),
            joinedload(Referral.programme),
        )
        .order_by(Referral.reason_kind, Employee.name, Referral.id)
    )
    if f.status is not None:
        stmt = stmt.where(Referral.status == f.status)
    if f.reason is not None:
        stmt = stmt.where(Referral.reason_kind == f.reason)
    if f.year is not None:
        stmt = stmt.where(Referral.year == f.year)
    if f.opd_id is not None:
        stmt = stmt.where(Employee.unit_id.in_(unit_ids_under(f.opd_id)))
    if f.q:
        like = f"%{f.q.strip()}%"
        stmt = stmt.where(Employee.name.ilike(like) | Employee.nip.like(like))
    return stmt


def status_counts(year: int | None) -> dict[str, int]:
    stmt = select(Referral.status, func.count(Referral.id)).group_by(Referral.status)
    if year is not None:
        stmt = stmt.where(Referral.year == year)
    return {s.value if hasattr(s, "value") else s: n for s, n in db.session.execute(stmt).all()}


def referrals_by_ids(ids: list[int]) -> list[Referral]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.id.in_(ids))
            .options(joinedload(Referral.employee).joinedload(Employee.position))
            .order_by(Referral.id)
        ).unique()
    )


def periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


# --- one employee's development ------------------------------------------------------------------------


@dataclass(frozen=True)
class Development:
    employee: Employee
    year: int
    jp: int
    target: int
    percent: int
    ledger: list[JpEntry]
    open: list[Referral]
    history: list[Referral]
    outcomes: dict = field(default_factory=dict)  # referral id → development_outcomes.Outcome


def development_of(employee: Employee, year: int) -> Development:
    refs = list(
        db.session.scalars(
            select(Referral)
            .where(Referral.employee_id == employee.id)
            .options(joinedload(Referral.programme), selectinload(Referral.certificates))
            .order_by(Referral.created_at.desc(), Referral.id.desc())
        )
    )
    ledger = list(
        db.session.scalars(
            select(JpEntry)
            .where(JpEntry.employee_id == employee.id)
            .order_by(JpEntry.year.desc(), JpEntry.on_date.desc(), JpEntry.id.desc())
        )
    )
    total = jp_total(employee.id, year)
    # A suggestion is HR's working state: the employee sees a referral once it is assigned.
    visible = [r for r in refs if r.status not in (ReferralStatus.DIUSULKAN, ReferralStatus.DITOLAK)]
    history = [r for r in visible if r.status not in OPEN]
    return Development(
        employee=employee,
        year=year,
        jp=total,
        target=JP_TARGET,
        percent=jp_progress(total),
        ledger=ledger,
        open=[r for r in visible if r.status in OPEN],
        history=history,
        outcomes=referral_outcomes(history),
    )


def suggestions_of(employee: Employee) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(
                Referral.employee_id == employee.id,
                Referral.status.in_([ReferralStatus.DIUSULKAN, ReferralStatus.DITOLAK]),
            )
            .options(joinedload(Referral.programme))
            .order_by(Referral.id.desc())
        )
    )


# --- dashboard: JP coverage per OPD, referral funnel, pembinaan outcomes -----------------------------------


@dataclass(frozen=True)
class CoverageRow:
    opd: str
    employees: int
    reached: int  # employees with at least 20 JP in the year

    @property
    def percent(self) -> Decimal:
        if not self.employees:
            return Decimal(0)
        return (Decimal(self.reached) * 100 / self.employees).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def jp_coverage(year: int) -> list[CoverageRow]:
    """Share of active employees per OPD with ≥ 20 JP in the year (three queries, whatever the regency size)."""
    units = db.session.execute(select(Unit.id, Unit.parent_id, Unit.kind, Unit.name)).all()
    by_id = {u.id: u for u in units}

    def opd_of(unit_id: int | None) -> int | None:
        seen = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            u = by_id[unit_id]
            if u.kind in (UnitKind.OPD, UnitKind.PEMDA):
                return u.id
            unit_id = u.parent_id
        return None

    totals = jp_totals(None, year)
    staff: dict[int | None, list[int]] = {}
    for eid, unit_id in db.session.execute(select(Employee.id, Employee.unit_id).where(Employee.active.is_(True))):
        staff.setdefault(opd_of(unit_id), []).append(eid)
    rows = [
        CoverageRow(
            by_id[opd].name if opd is not None else "Tanpa unit kerja",
            len(ids),
            sum(1 for i in ids if totals.get(i, 0) >= JP_TARGET),
        )
        for opd, ids in staff.items()
    ]
    return sorted(rows, key=lambda r: (r.percent, r.opd))


@dataclass(frozen=True)
class Funnel:
    suggested: int
    assigned: int
    started: int
    completed: int
    not_completed: int
    dismissed: int

    def stages(self) -> list[tuple[str, int]]:
        return [
            ("Diusulkan", self.suggested),
            ("Ditugaskan", self.assigned),
            ("Dimulai", self.started),
            ("Selesai", self.completed),
        ]


def funnel(year: int, reason: ReasonKind | None = None) -> Funnel:
    """Referral funnel of a year: every stage counts the referrals that reached it (one grouped query)."""
    stmt = select(Referral.status, func.count(Referral.id)).where(Referral.year == year).group_by(Referral.status)
    if reason is not None:
        stmt = stmt.where(Referral.reason_kind == reason)
    n = {ReferralStatus(s): c for s, c in db.session.execute(stmt).all()}
    S = ReferralStatus
    completed, failed = n.get(S.SELESAI, 0), n.get(S.TIDAK_SELESAI, 0)
    started = n.get(S.BERJALAN, 0) + completed + failed
    assigned = started + n.get(S.DITUGASKAN, 0)
    return Funnel(
        suggested=sum(n.values()),
        assigned=assigned,
        started=started,
        completed=completed,
        not_completed=failed,
        dismissed=n.get(S.DITOLAK, 0),
    )


def dashboard_xlsx(year: int, coverage: list[CoverageRow], funnels: dict[str, Funnel]) -> bytes:
    from openpyxl.styles import Font

    wb = exports.workbook()
    ws = wb.active
    ws.title = f"Cakupan JP {year}"
    ws.append(["Perangkat daerah", "Pegawai aktif", f"Pegawai ≥ {JP_TARGET} JP", "Persentase"])
    for r in coverage:
        ws.append([r.opd, r.employees, r.reached, float(r.percent) / 100])
        ws.cell(ws.max_row, 4).number_format = "0.0%"
    ws.column_dimensions["A"].width = 60
    fs = wb.create_sheet(f"Corong rujukan {year}")
    fs.append(["Alasan", "Diusulkan", "Ditugaskan", "Dimulai", "Selesai", "Tidak selesai", "Tidak ditindaklanjuti"])
    for label, f in funnels.items():
        fs.append([label, f.suggested, f.assigned, f.started, f.completed, f.not_completed, f.dismissed])
    fs.column_dimensions["A"].width = 40
    for sheet in (ws, fs):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return exports.xlsx_bytes(wb)


def plan_outcome_counts(year: int) -> dict[str, int]:
    """Improvement plans triggered by the year's ratings, by review outcome (one grouped query):
    membaik, tidak membaik (with or without the follow-up recorded), berjalan, dibatalkan."""
    rows = db.session.execute(
        select(ImprovementPlan.status, func.count(ImprovementPlan.id))
        .join(PerformanceRating, PerformanceRating.id == ImprovementPlan.rating_id)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(Period.year == year)
        .group_by(ImprovementPlan.status)
    ).all()
    n = {PlanStatus(s): c for s, c in rows}
    return {
        "membaik": n.get(PlanStatus.IMPROVED, 0),
        "tidak_membaik": n.get(PlanStatus.NOT_IMPROVED, 0) + n.get(PlanStatus.FOLLOWED_UP, 0),
        "berjalan": n.get(PlanStatus.RUNNING, 0),
        "dibatalkan": n.get(PlanStatus.CANCELLED, 0),
    }
