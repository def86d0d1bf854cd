"""Operations of the 360 area: open/close cycles, suggest and manage raters, save and submit answers.

Every function flushes and never commits; the view commits once. Actors and dates are parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ... import audit
from ...domain import DomainError, berakhlak
from ...extensions import db
from ...models import (
    AssignmentStatus,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    Position,
    RaterAssignment,
    RaterGroup,
    RaterSource,
    Response,
    Unit,
    UnitKind,
    User,
)
from ...services.notifications.notify import notify
from ...services.org import appraisers

MAX_SUGGESTED_PEERS = 6  # enough for the anonymity threshold with room for declines; more tires raters
COMMENT_MAX = 2000
DECLINE_REASON_MIN = 10
CANNOT_RATE = "tdm"  # form value for "tidak dapat menilai"

ACTIVE_STATUSES = (AssignmentStatus.APPROVED, AssignmentStatus.SUBMITTED)


# --- cycles ------------------------------------------------------------------------------------------


def unit_choices() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind != UnitKind.PEMDA)
            .order_by(Unit.kind, Unit.name)
            .options(joinedload(Unit.parent))
        )
    )


def unit_subtree_ids(unit_ids: list[int]) -> set[int]:
    result = set(unit_ids)
    frontier = list(unit_ids)
    while frontier:
        children = db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))).all()
        frontier = [c for c in children if c not in result]
        result.update(frontier)
    return result


def validate_cycle(data: Mapping) -> list[tuple[str, str]]:
    """Cross-field rules of a cycle; single-field rules live in the form."""
    errors = []
    if data["end_date"] and data["start_date"] and data["end_date"] < data["start_date"]:
        errors.append(("end_date", "Tanggal akhir periode tidak boleh sebelum tanggal mulai."))
    if data["deadline"] and data["start_date"] and data["deadline"] < data["start_date"]:
        errors.append(("deadline", "Batas waktu pengisian tidak boleh sebelum periode dimulai."))
    if not any(data[f"use_{g.value}"] for g in RaterGroup):
        errors.append(("use_atasan", "Pilih minimal satu kelompok penilai."))
    if not data["unit_ids"]:
        errors.append(("unit_ids", "Pilih minimal satu unit kerja."))
    return errors


CYCLE_FIELDS = (
    "name",
    "year",
    "period_label",
    "start_date",
    "end_date",
    "deadline",
    "use_atasan",
    "use_rekan",
    "use_bawahan",
    "use_diri",
    "min_rekan",
    "min_bawahan",
    "threshold_rekan",
    "threshold_bawahan",
    "max_nominations",
)


def save_cycle(cycle: EvaluationCycle | None, data: Mapping) -> EvaluationCycle:
    if cycle is None:
        cycle = EvaluationCycle(status=CycleStatus.DRAFT)
        db.session.add(cycle)
    elif cycle.status != CycleStatus.DRAFT:
        raise DomainError("Siklus yang sudah dibuka tidak dapat diubah aturannya.")
    for key in CYCLE_FIELDS:
        setattr(cycle, key, data[key])
    cycle.units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data["unit_ids"]))))
    db.session.flush()
    return cycle


def employees_in_cycle_units(cycle: EvaluationCycle) -> list[Employee]:
    ids = unit_subtree_ids([u.id for u in cycle.units])
    return list(
        db.session.scalars(
            select(Employee)
            .where(Employee.unit_id.in_(ids), Employee.active.is_(True))
            .options(joinedload(Employee.position))
            .order_by(Employee.name)
        )
    )


def peers_of(employee: Employee, on: date, limit: int = MAX_SUGGESTED_PEERS) -> list[Employee]:
    """Peers = active employees whose post has the same atasan post (same level); without an atasan
    post, the same unit and the same kind of jabatan."""
    pos = appraisers.position_of(employee, on)
    if pos is None:
        return []
    stmt = (
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Employee.active.is_(True), Employee.id != employee.id)
    )
    if pos.parent_id is not None:
        stmt = stmt.where(Position.parent_id == pos.parent_id)
    else:
        stmt = stmt.where(Position.unit_id == pos.unit_id, Position.kind == pos.kind)
    return list(db.session.scalars(stmt.order_by(Employee.name).limit(limit)))


def suggest_raters(cycle: EvaluationCycle, employee: Employee, on: date) -> list[tuple[Employee, RaterGroup]]:
    """Raters from the org data on `on`: self, atasan (pejabat penilai), peers, direct subordinates."""
    out: list[tuple[Employee, RaterGroup]] = []
    if cycle.use_diri:
        out.append((employee, RaterGroup.DIRI))
    if cycle.use_atasan:
        appraiser = appraisers.appraiser_of(employee, on)
        if appraiser:
            out.append((appraiser.employee, RaterGroup.ATASAN))
    if cycle.use_rekan:
        out.extend((p, RaterGroup.REKAN) for p in peers_of(employee, on))
    if cycle.use_bawahan:
        out.extend((s, RaterGroup.BAWAHAN) for s in appraisers.direct_subordinates(employee, on))
    seen: set[int] = set()
    unique = []
    for emp, group in out:
        if emp.id not in seen:
            seen.add(emp.id)
            unique.append((emp, group))
    return unique


def open_cycle(cycle: EvaluationCycle, on: date, now: datetime) -> int:
    """Freeze who is evaluated and suggest raters from the org data; returns the number of evaluatees."""
    if cycle.status != CycleStatus.DRAFT:
        raise DomainError("Siklus ini sudah dibuka sebelumnya.")
    employees = employees_in_cycle_units(cycle)
    if not employees:
        raise DomainError("Tidak ada pegawai aktif di unit kerja yang dipilih.")
    for emp in employees:
        appraiser = appraisers.appraiser_of(emp, on)
        ev = Evaluatee(
            cycle=cycle, employee=emp, unit_id=emp.unit_id, appraiser=appraiser.employee if appraiser else None
        )
        db.session.add(ev)
        for rater, group in suggest_raters(cycle, emp, on):
            ev.assignments.append(
                RaterAssignment(
                    rater=rater, group=group, source=RaterSource.SUGGESTED, status=AssignmentStatus.APPROVED
                )
            )
    cycle.status, cycle.opened_at = CycleStatus.OPEN, now
    db.session.flush()
    return len(employees)


def close_cycle(cycle: EvaluationCycle, now: datetime) -> None:
    """Closing is final: results appear only now, so nobody can compare results before/after one rater."""
    if cycle.status != CycleStatus.OPEN:
        raise DomainError("Hanya siklus yang sedang dibuka yang dapat ditutup.")
    cycle.status, cycle.closed_at = CycleStatus.CLOSED, now
    db.session.flush()


# --- raters ------------------------------------------------------------------------------------------


def find_employee_by_nip(nip: str) -> Employee:
    emp = db.session.scalars(select(Employee).where(Employee.nip == nip.replace(" ", ""))).first()
    if emp is None:
        raise DomainError("Pegawai dengan NIP tersebut tidak ditemukan.", field="nip")
    return emp


def check_rater(evaluatee: Evaluatee, rater: Employee, group: RaterGroup) -> None:
    """Refuse conflicts: self outside the "diri sendiri" group, inactive raters, raters outside the OPD."""
    if not rater.active:
        raise DomainError("Pegawai tersebut tidak aktif dan tidak dapat menjadi penilai.", field="nip")
    is_self = rater.id == evaluatee.employee_id
    if is_self and group != RaterGroup.DIRI:
        raise DomainError("Pegawai tidak dapat menilai dirinya sendiri sebagai rekan, atasan, atau bawahan.", "nip")
    if group == RaterGroup.DIRI and not is_self:
        raise DomainError("Kelompok “diri sendiri” hanya untuk pegawai yang dinilai.", field="group")
    if group != RaterGroup.ATASAN:
        own = evaluatee.employee.unit.opd.id if evaluatee.employee.unit else None
        theirs = rater.unit.opd.id if rater.unit else None
        if own is None or own != theirs:
            raise DomainError("Penilai harus pegawai aktif pada perangkat daerah yang sama.", field="nip")
    exists = db.session.scalar(
        select(RaterAssignment.id).where(
            RaterAssignment.evaluatee_id == evaluatee.id, RaterAssignment.rater_id == rater.id
        )
    )
    if exists:
        raise DomainError("Pegawai tersebut sudah terdaftar sebagai penilai.", field="nip")


def nominations_used(evaluatee: Evaluatee) -> int:
    return (
        db.session.scalar(
            select(func.count(RaterAssignment.id)).where(
                RaterAssignment.evaluatee_id == evaluatee.id,
                RaterAssignment.source == RaterSource.NOMINATED,
                RaterAssignment.status != AssignmentStatus.REJECTED,
            )
        )
        or 0
    )


def nominate(evaluatee: Evaluatee, nip: str, today: date) -> RaterAssignment:
    """The employee proposes an extra peer; the atasan approves it (pending until then)."""
    cycle = evaluatee.cycle
    if today > cycle.deadline:
        raise DomainError("Batas waktu siklus ini telah lewat; usulan penilai tidak dapat ditambahkan.")
    if nominations_used(evaluatee) >= cycle.max_nominations:
        raise DomainError(f"Anda sudah mengusulkan {cycle.max_nominations} rekan (batas siklus ini).", field="nip")
    rater = find_employee_by_nip(nip)
    check_rater(evaluatee, rater, RaterGroup.REKAN)
    a = RaterAssignment(
        evaluatee=evaluatee,
        rater=rater,
        group=RaterGroup.REKAN,
        source=RaterSource.NOMINATED,
        status=AssignmentStatus.PENDING,
    )
    db.session.add(a)
    db.session.flush()
    if evaluatee.appraiser_id:
        boss = db.session.scalars(select(User).where(User.employee_id == evaluatee.appraiser_id)).first()
        if boss:
            notify(
                boss,
                "penilaian360_usulan",
                f"{evaluatee.employee.full_name} mengusulkan penilai rekan tambahan; mohon setujui atau tolak.",
                "/penilaian-360/persetujuan",
            )
    return a


def decide_nomination(assignment: RaterAssignment, approve: bool) -> None:
    if assignment.status != AssignmentStatus.PENDING:
        raise DomainError("Usulan ini sudah diputuskan.")
    assignment.status = AssignmentStatus.APPROVED if approve else AssignmentStatus.REJECTED
    db.session.flush()
    if approve:
        user = db.session.scalars(select(User).where(User.employee_id == assignment.rater_id)).first()
        if user:
            notify(
                user,
                "penilaian360_tugas",
                f"Anda diminta mengisi penilaian 360 untuk {assignment.evaluatee.employee.full_name}.",
                "/penilaian-360/",
            )


def add_rater(evaluatee: Evaluatee, nip: str, group: RaterGroup) -> RaterAssignment:
    """HR override: add any rater that passes the conflict checks, approved at once."""
    rater = find_employee_by_nip(nip)
    check_rater(evaluatee, rater, group)
    a = RaterAssignment(
        evaluatee=evaluatee, rater=rater, group=group, source=RaterSource.HR, status=AssignmentStatus.APPROVED
    )
    db.session.add(a)
    db.session.flush()
    return a


def remove_rater(assignment: RaterAssignment) -> None:
    """HR override: remove a rater who has not submitted (submitted answers are never deleted one by one)."""
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise DomainError("Penilai yang sudah mengirim penilaian tidak dapat dihapus.")
    db.session.delete(assignment)
    db.session.flush()


def decline(assignment: RaterAssignment, reason: str) -> None:
    """The rater declines with a reason; any draft answers are discarded."""
    reason = (reason or "").strip()
    if len(reason) < DECLINE_REASON_MIN:
        raise DomainError(f"Tuliskan alasan minimal {DECLINE_REASON_MIN} karakter.", field="reason")
    assignment.status, assignment.decline_reason = AssignmentStatus.DECLINED, reason[:500]
    assignment.responses.clear()
    assignment.overall_comment = None
    db.session.flush()


# --- answers -----------------------------------------------------------------------------------------


@dataclass
class ParsedAnswers:
    scores: dict[str, int | None]  # only values answered in this post; None = tidak dapat menilai
    comments: dict[str, str]  # only comment fields present in this post
    overall: str | None
    errors: dict[str, str]


def parse_answers(form: Mapping[str, str]) -> ParsedAnswers:
    """Read `nilai_<code>` (1–5 or "tdm"), `komentar_<code>` and `komentar_umum` from a posted form."""
    scores: dict[str, int | None] = {}
    comments: dict[str, str] = {}
    errors: dict[str, str] = {}
    for code in berakhlak.value_codes():
        raw = (form.get(f"nilai_{code}") or "").strip()
        if raw == CANNOT_RATE:
            scores[code] = None
        elif raw:
            if raw.isdigit() and berakhlak.SCORE_MIN <= int(raw) <= berakhlak.SCORE_MAX:
                scores[code] = int(raw)
            else:
                errors[f"nilai_{code}"] = "Nilai harus 1 sampai 5, atau pilih “tidak dapat menilai”."
        if f"komentar_{code}" in form:
            text = form.get(f"komentar_{code}") or ""
            if len(text) > COMMENT_MAX:
                errors[f"komentar_{code}"] = f"Komentar maksimal {COMMENT_MAX} karakter."
            comments[code] = text.strip()
    overall = form.get("komentar_umum")
    if overall is not None and len(overall) > COMMENT_MAX:
        errors["komentar_umum"] = f"Komentar maksimal {COMMENT_MAX} karakter."
    return ParsedAnswers(scores, comments, overall.strip() if overall is not None else None, errors)


def check_deadline(assignment: RaterAssignment, today: date) -> None:
    cycle = assignment.evaluatee.cycle
    if today > cycle.deadline:
        raise DomainError(
            f"Batas waktu pengisian siklus “{cycle.name}” ({cycle.deadline.day}/{cycle.deadline.month}/"
            f"{cycle.deadline.year}) telah lewat; penilaian tidak dapat disimpan atau dikirim lagi."
        )


def save_answers(assignment: RaterAssignment, parsed: ParsedAnswers, today: date, now: datetime) -> None:
    """Upsert the answers present in this post (autosave and the Simpan button share this)."""
    check_deadline(assignment, today)
    if parsed.errors:
        raise DomainError(next(iter(parsed.errors.values())), field=next(iter(parsed.errors)))
    by_code = {r.value_code: r for r in assignment.responses}
    for code in set(parsed.scores) | set(parsed.comments):
        r = by_code.get(code)
        if r is None:
            if code not in parsed.scores and not parsed.comments.get(code):
                continue  # an empty comment alone does not create an answer row
            r = Response(value_code=code)
            assignment.responses.append(r)
        if code in parsed.scores:
            r.score = parsed.scores[code]
        if code in parsed.comments:
            r.comment = parsed.comments[code] or None
        r.saved_at = now
    if parsed.overall is not None:
        assignment.overall_comment = parsed.overall or None
    assignment.saved_at = now
    db.session.flush()


def submit(assignment: RaterAssignment, parsed: ParsedAnswers, today: date, now: datetime) -> None:
    """Save, check completeness and submit; the audit gets counts only, never the answers."""
    save_answers(assignment, parsed, today, now)
    missing = [r for r in berakhlak.value_codes() if r not in {x.value_code for x in assignment.responses}]
    if missing:
        names = berakhlak.value_names()
        raise DomainError(
            "Semua nilai harus diisi (atau pilih “tidak dapat menilai”) sebelum dikirim. Belum diisi: "
            + ", ".join(names[c] for c in missing)
            + ".",
            field=f"nilai_{missing[0]}",
        )
    assignment.status, assignment.submitted_at = AssignmentStatus.SUBMITTED, now
    scored = sum(1 for r in assignment.responses if r.score is not None)
    audit.record(
        db.session,
        "submit_360",
        "rater_assignment",
        assignment.id,
        summary="Penilaian 360 dikirim (isi jawaban tidak dicatat demi anonimitas)",
        after={"dinilai": scored, "tidak_dapat_menilai": len(assignment.responses) - scored},
    )
    db.session.flush()


# --- lists -------------------------------------------------------------------------------------------


def inbox_query(employee_id: int) -> Select:
    return (
        select(RaterAssignment)
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
        .where(
            RaterAssignment.rater_id == employee_id,
            RaterAssignment.status.in_(ACTIVE_STATUSES),
            EvaluationCycle.status == CycleStatus.OPEN,
        )
        .options(
            joinedload(RaterAssignment.evaluatee).joinedload(Evaluatee.employee).joinedload(Employee.position),
            joinedload(RaterAssignment.evaluatee).joinedload(Evaluatee.cycle),
        )
        .order_by(EvaluationCycle.deadline, RaterAssignment.status, RaterAssignment.id)
    )


def my_evaluations(employee_id: int) -> list[Evaluatee]:
    return list(
        db.session.scalars(
            select(Evaluatee)
            .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
            .where(Evaluatee.employee_id == employee_id, EvaluationCycle.status != CycleStatus.DRAFT)
            .options(
                joinedload(Evaluatee.cycle),
                selectinload(Evaluatee.assignments).joinedload(RaterAssignment.rater),
            )
            .order_by(EvaluationCycle.start_date.desc())
        )
    )


def team_evaluations(appraiser_id: int) -> list[Evaluatee]:
    return list(
        db.session.scalars(
            select(Evaluatee)
            .join(EvaluationCycle, EvaluationCycle.id == Evaluatee.cycle_id)
            .join(Employee, Employee.id == Evaluatee.employee_id)
            .where(Evaluatee.appraiser_id == appraiser_id, EvaluationCycle.status != CycleStatus.DRAFT)
            .options(joinedload(Evaluatee.cycle), joinedload(Evaluatee.employee))
            .order_by(EvaluationCycle.start_date.desc(), Employee.name)
        )
    )


@dataclass
class ProgressRow:
    evaluatee: Evaluatee
    raters: list[RaterAssignment]
    counts: dict[AssignmentStatus, int]
    short_groups: list[str]  # groups below the cycle's minimum (results may be merged or hidden)

    @property
    def done(self) -> int:
        return self.counts.get(AssignmentStatus.SUBMITTED, 0)

    @property
    def expected(self) -> int:
        return self.done + self.counts.get(AssignmentStatus.APPROVED, 0)


def progress(cycle: EvaluationCycle, unit_id: int | None = None) -> list[tuple[Unit | None, list[ProgressRow]]]:
    """Completion per evaluatee, grouped per unit: statuses only, never answers (three queries)."""
    stmt = (
        select(Evaluatee)
        .join(Employee, Employee.id == Evaluatee.employee_id)
        .where(Evaluatee.cycle_id == cycle.id)
        .options(
            joinedload(Evaluatee.employee),
            joinedload(Evaluatee.unit),
            selectinload(Evaluatee.assignments).joinedload(RaterAssignment.rater),
        )
        .order_by(Evaluatee.unit_id, Employee.name)
    )
    if unit_id:
        stmt = stmt.where(Evaluatee.unit_id == unit_id)
    groups: dict[int | None, list[ProgressRow]] = defaultdict(list)
    units: dict[int | None, Unit | None] = {}
    minimums = {RaterGroup.REKAN: cycle.min_rekan, RaterGroup.BAWAHAN: cycle.min_bawahan}
    for ev in db.session.scalars(stmt).unique():
        counts: dict[AssignmentStatus, int] = defaultdict(int)
        per_group: dict[RaterGroup, int] = defaultdict(int)
        for a in ev.assignments:
            counts[a.status] += 1
            if a.status in ACTIVE_STATUSES:
                per_group[a.group] += 1
        # Staff without subordinates have no bawahan at all; only a too-small non-empty group is worth a flag.
        short = [
            g.label
            for g, m in minimums.items()
            if cycle.uses(g) and per_group[g] < m and (g == RaterGroup.REKAN or per_group[g] > 0)
        ]
        groups[ev.unit_id].append(ProgressRow(ev, list(ev.assignments), dict(counts), short))
        units[ev.unit_id] = ev.unit
    return sorted(((units[k], rows) for k, rows in groups.items()), key=lambda t: t[0].name if t[0] else "")
