"""Pembinaan kinerja: start, coach, check in on and review a 6-month improvement plan (PP 30/2019 Pasal 57–58).

Shared service (the plan pages and, later, an accepted "pembinaan kinerja" referral call
`start_improvement_plan`). Functions flush, never commit; the lifecycle comes from `domain.pembinaan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from ... import audit
from ...domain import DomainError
from ...domain import pembinaan as rules
from ...domain.labels import tanggal
from ...domain.pembinaan import ActionStatus, PlanStatus, ReviewOutcome
from ...extensions import db
from ...models import (
    CheckIn,
    CoachingSession,
    Employee,
    ImprovementAction,
    ImprovementPlan,
    PerformanceRating,
    RatingStatus,
    Role,
    User,
)
from ...timeutil import today_wib
from ..notifications.notify import Todo, notify
from ..org import appraisers
from ..skp.records import user_of

NOTIFY_KIND = "pembinaan"
MAX_ACTION = 500


@dataclass(frozen=True)
class AgreedAction:
    description: str
    target_date: date


def needs_plan(rating: PerformanceRating) -> bool:
    """A final rating below Baik (PP 30/2019 Pasal 57)."""
    return rating.status == RatingStatus.FINAL and rules.needs_improvement_plan(rating.predikat)


def plan_path(plan: ImprovementPlan) -> str:
    return url_for("pembinaan.show", _external=False, plan_id=plan.id)


def plan_of_rating(rating_id: int) -> ImprovementPlan | None:
    return db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.rating_id == rating_id))


def coach_choices(employee: Employee, on: date) -> list[Employee]:
    """The atasan langsung first, then the atasan's own atasan (the usual coaches)."""
    out: list[Employee] = []
    first = appraisers.appraiser_of(employee, on)
    if first is not None:
        out.append(first.employee)
        second = appraisers.appraiser_supervisor_of(employee, on)
        if second is not None and second.employee.id != first.employee.id:
            out.append(second.employee)
    return out


def chosen_coach(nip: str | None, coach_id: int | None, offered_ids: Sequence[int]) -> Employee:
    """The coach picked on the start form: an active employee by NIP, else one of the offered coaches."""
    nip = (nip or "").replace(" ", "")
    if nip:
        coach = db.session.scalar(select(Employee).where(Employee.nip == nip, Employee.active.is_(True)))
        if coach is None:
            raise DomainError("Pegawai aktif dengan NIP itu tidak ditemukan.", field="coach_nip")
        return coach
    coach = db.session.get(Employee, coach_id or 0)
    if coach is None or coach_id not in set(offered_ids):
        raise DomainError("Pilih pembina, atau isi NIP pembina lain.", field="coach_id")
    return coach


def eligible_ratings(opd_unit_ids: Sequence[int] | None = None) -> list[PerformanceRating]:
    """Final ratings below Baik that have no plan yet (the HR queue "perlu pembinaan")."""
    stmt = (
        select(PerformanceRating)
        .join(Employee, Employee.id == PerformanceRating.employee_id)
        .where(
            PerformanceRating.status == RatingStatus.FINAL,
            PerformanceRating.predikat.in_(rules.PREDIKAT_NEEDING_PLAN),
            Employee.active.is_(True),
            ~exists().where(ImprovementPlan.rating_id == PerformanceRating.id),
        )
        .options(
            joinedload(PerformanceRating.employee).joinedload(Employee.position), joinedload(PerformanceRating.period)
        )
        .order_by(Employee.name)
    )
    if opd_unit_ids is not None:
        stmt = stmt.where(Employee.unit_id.in_(opd_unit_ids))
    return list(db.session.scalars(stmt))


def _clean_actions(actions: Sequence[AgreedAction], start: date, end: date) -> list[AgreedAction]:
    cleaned = [AgreedAction(a.description.strip(), a.target_date) for a in actions if (a.description or "").strip()]
    for a in cleaned:
        if len(a.description) > MAX_ACTION:
            raise DomainError(f"Uraian tindakan maksimal {MAX_ACTION} karakter.", field="actions")
        if a.target_date is None:
            raise DomainError(f"Tanggal target untuk «{a.description[:60]}» wajib diisi.", field="actions")
        if not start <= a.target_date <= end:
            raise DomainError(
                f"Tanggal target «{a.description[:60]}» harus di dalam masa pembinaan "
                f"({tanggal(start)} s.d. {tanggal(end)}).",
                field="actions",
            )
    return cleaned


def start_improvement_plan(
    employee: Employee,
    rating: PerformanceRating,
    coach: Employee,
    *,
    start_date: date,
    goal: str,
    actions: Sequence[AgreedAction],
    actor: User,
    check_in_every: int = 1,
    source_ref: str | None = None,
) -> ImprovementPlan:
    """Open the 6-month improvement plan for a final rating below Baik (PP 30/2019 Pasal 57).

    Check-ins are scheduled every `check_in_every` months; the review date is 6 months after the start.
    `source_ref` links the plan to what started it (an accepted referral). Raises DomainError, never
    half-saves: everything is checked before the first row is added.
    """
    if rating.employee_id != employee.id:
        raise DomainError("Penilaian kinerja yang dipilih bukan milik pegawai ini.", field="rating")
    if rating.status != RatingStatus.FINAL:
        raise DomainError("Rencana pembinaan hanya untuk penilaian kinerja yang sudah final.", field="rating")
    if not rules.needs_improvement_plan(rating.predikat):
        raise DomainError(
            f"Predikat {rating.predikat.label} tidak memerlukan pembinaan kinerja "
            "(hanya Butuh Perbaikan, Kurang/Misconduct, dan Sangat Kurang).",
            field="rating",
        )
    if plan_of_rating(rating.id) is not None:
        raise DomainError("Rencana pembinaan untuk penilaian ini sudah ada.", field="rating")
    if coach.id == employee.id:
        raise DomainError("Pembina tidak boleh pegawai itu sendiri.", field="coach_id")
    if start_date < rating.period.start_date:
        raise DomainError("Tanggal mulai tidak boleh sebelum awal periode penilaian.", field="start_date")
    goal = (goal or "").strip()
    if not goal:
        raise DomainError("Sasaran perbaikan wajib diisi.", field="goal")
    end = rules.review_date(start_date)
    cleaned = _clean_actions(actions, start_date, end)
    if not cleaned:
        raise DomainError("Isi minimal satu tindakan yang disepakati.", field="actions")
    check_ins = rules.check_in_dates(start_date, check_in_every)

    plan = ImprovementPlan(
        employee_id=employee.id,
        rating_id=rating.id,
        coach_id=coach.id,
        start_date=start_date,
        review_date=end,
        goal=goal,
        status=PlanStatus.RUNNING,
        source_ref=(source_ref or None),
        created_by_id=actor.id if actor else None,
    )
    plan.actions = [ImprovementAction(description=a.description, target_date=a.target_date) for a in cleaned]
    plan.check_ins = [CheckIn(scheduled_on=d) for d in check_ins]
    db.session.add(plan)
    db.session.flush()
    audit.record(
        db.session,
        "start_pembinaan",
        "improvement_plan",
        plan.id,
        f"Pembinaan kinerja {employee.name} dimulai ({rating.predikat.label}), tinjauan {tanggal(end)}",
    )
    _tell(employee.id, plan, f"Rencana pembinaan kinerja Anda dimulai {tanggal(start_date)}; tinjauan {tanggal(end)}.")
    if coach.id != employee.id:
        _tell(coach.id, plan, f"Anda ditunjuk sebagai pembina kinerja {employee.name} hingga {tanggal(end)}.")
    return plan


def _tell(employee_id: int, plan: ImprovementPlan, message: str) -> None:
    user = user_of(employee_id)
    if user is not None:
        notify(user, NOTIFY_KIND, message[:400], plan_path(plan))


def load_plan(plan_id: int) -> ImprovementPlan | None:
    return db.session.scalars(
        select(ImprovementPlan)
        .where(ImprovementPlan.id == plan_id)
        .options(
            joinedload(ImprovementPlan.employee).joinedload(Employee.position),
            joinedload(ImprovementPlan.coach),
            joinedload(ImprovementPlan.rating).joinedload(PerformanceRating.period),
            selectinload(ImprovementPlan.actions),
            selectinload(ImprovementPlan.check_ins),
            selectinload(ImprovementPlan.sessions).joinedload(CoachingSession.coach),
            selectinload(ImprovementPlan.sessions).selectinload(CoachingSession.actions),
        )
    ).first()


def _require_running(plan: ImprovementPlan) -> None:
    if plan.status != PlanStatus.RUNNING:
        raise DomainError(f"Rencana pembinaan ini sudah berstatus «{plan.status.label}»; tidak dapat diubah.")


def log_session(
    plan: ImprovementPlan,
    *,
    held_on: date,
    notes: str,
    actions: Sequence[AgreedAction],
    check_in_id: int | None,
    coach: Employee,
    actor: User,
    today: date,
    form_token: str | None = None,
) -> tuple[CoachingSession, bool]:
    """Record a coaching session (date, coach, notes, agreed actions) and tick the check-in it fulfils.

    Returns (session, created); a resubmitted form (same `form_token`) returns the first session unchanged.
    """
    if form_token:
        existing = db.session.scalar(select(CoachingSession).where(CoachingSession.form_token == form_token))
        if existing is not None:
            return existing, False
    _require_running(plan)
    notes = (notes or "").strip()
    if not notes:
        raise DomainError("Catatan sesi wajib diisi.", field="notes")
    if held_on > today:
        raise DomainError("Tanggal sesi tidak boleh di masa depan.", field="held_on")
    if held_on < plan.start_date:
        raise DomainError("Tanggal sesi tidak boleh sebelum rencana pembinaan dimulai.", field="held_on")
    check_in = None
    if check_in_id:
        check_in = next((c for c in plan.check_ins if c.id == check_in_id), None)
        if check_in is None:
            raise DomainError("Jadwal pertemuan pemantauan tidak ditemukan pada rencana ini.", field="check_in_id")
        if check_in.done:
            raise DomainError("Pertemuan pemantauan ini sudah tercatat.", field="check_in_id")
    cleaned = _clean_actions(actions, held_on, plan.review_date)
    session = CoachingSession(
        plan_id=plan.id, held_on=held_on, coach_id=coach.id, notes=notes, logged_by_id=actor.id, form_token=form_token
    )
    db.session.add(session)
    db.session.flush()
    for a in cleaned:
        plan.actions.append(
            ImprovementAction(description=a.description, target_date=a.target_date, session_id=session.id)
        )
    if check_in is not None:
        check_in.held_on, check_in.session_id = held_on, session.id
    db.session.flush()
    _tell(plan.employee_id, plan, f"Sesi pembinaan {tanggal(held_on)} dicatat oleh {coach.name}.")
    return session, True


def set_action_status(plan: ImprovementPlan, action_id: int, status: ActionStatus) -> ImprovementAction:
    _require_running(plan)
    action = next((a for a in plan.actions if a.id == action_id), None)
    if action is None:
        raise DomainError("Tindakan tidak ditemukan pada rencana ini.", field="status")
    action.status = ActionStatus(status)
    db.session.flush()
    return action


def add_check_in(plan: ImprovementPlan, on: date) -> CheckIn:
    _require_running(plan)
    if not plan.start_date < on < plan.review_date:
        raise DomainError(
            f"Tanggal pertemuan pemantauan harus di antara {tanggal(plan.start_date)} dan {tanggal(plan.review_date)}.",
            field="scheduled_on",
        )
    if any(c.scheduled_on == on for c in plan.check_ins):
        raise DomainError("Pertemuan pemantauan pada tanggal itu sudah terjadwal.", field="scheduled_on")
    ci = CheckIn(scheduled_on=on)
    plan.check_ins.append(ci)
    db.session.flush()
    return ci


def recommended_next_step(plan: ImprovementPlan, outcome: ReviewOutcome) -> rules.NextStep:
    pos = plan.employee.position
    return rules.next_step(outcome, pos.kind.value if pos else None, plan.employee.is_pppk)


def record_review(
    plan: ImprovementPlan, outcome: ReviewOutcome, notes: str, actor: User, today: date
) -> rules.NextStep:
    """The 6-month review (PP 30/2019 Pasal 57): outcome, notes, and the frozen recommended next step (Pasal 58)."""
    if not rules.review_is_due(plan.start_date, today):
        raise DomainError(
            f"Tinjauan baru dapat dicatat setelah masa perbaikan 6 bulan berakhir ({tanggal(plan.review_date)}).",
            field="outcome",
        )
    notes = (notes or "").strip()
    if not notes:
        raise DomainError("Catatan tinjauan wajib diisi.", field="notes")
    outcome = ReviewOutcome(outcome)
    plan.status = rules.transition(plan.status, rules.OUTCOME_STATUS[outcome])
    step = recommended_next_step(plan, outcome)
    plan.outcome, plan.review_notes, plan.reviewed_on, plan.reviewed_by_id = outcome, notes, today, actor.id
    plan.next_step, plan.next_step_basis = f"{step.title}: {step.detail}", step.dasar_hukum
    db.session.flush()
    audit.record(
        db.session,
        "review_pembinaan",
        "improvement_plan",
        plan.id,
        f"Tinjauan pembinaan {plan.employee.name}: {outcome.label}",
        after={"outcome": outcome.value, "next_step": step.title},
    )
    _tell(plan.employee_id, plan, f"Hasil tinjauan pembinaan kinerja Anda: {outcome.label}.")
    return step


def record_follow_up(plan: ImprovementPlan, notes: str, actor: User, today: date) -> None:
    """HR records what was decided after "tidak membaik" (e.g. the SK of the move); the plan closes."""
    notes = (notes or "").strip()
    if not notes:
        raise DomainError("Uraian tindak lanjut wajib diisi.", field="notes")
    plan.status = rules.transition(plan.status, PlanStatus.FOLLOWED_UP)
    plan.followup_notes, plan.followup_on = notes, today
    db.session.flush()


def cancel_plan(plan: ImprovementPlan, reason: str, actor: User) -> None:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Alasan pembatalan wajib diisi.", field="reason")
    plan.status = rules.transition(plan.status, PlanStatus.CANCELLED)
    plan.cancel_reason = reason
    db.session.flush()


def overdue_check_ins(plan: ImprovementPlan, today: date) -> list[CheckIn]:
    """Check-ins past their date without a session, while the plan runs (a closed plan has none)."""
    if plan.status != PlanStatus.RUNNING:
        return []
    return [c for c in plan.check_ins if not c.done and c.scheduled_on < today]


# --- to-dos -----------------------------------------------------------------------------------------------


def coach_due(employee_id: int, today: date) -> tuple[int, int]:
    """(check-ins due within the reminder window or overdue, reviews due) of the plans this person coaches."""
    horizon = today + timedelta(days=rules.REVIEW_REMINDER_DAYS)
    running = select(ImprovementPlan.id).where(
        ImprovementPlan.coach_id == employee_id, ImprovementPlan.status == PlanStatus.RUNNING
    )
    check_ins = db.session.scalar(
        select(func.count(CheckIn.id)).where(
            CheckIn.plan_id.in_(running), CheckIn.held_on.is_(None), CheckIn.scheduled_on <= horizon
        )
    )
    reviews = db.session.scalar(
        select(func.count(ImprovementPlan.id)).where(
            ImprovementPlan.coach_id == employee_id,
            ImprovementPlan.status == PlanStatus.RUNNING,
            ImprovementPlan.review_date <= horizon,
        )
    )
    return check_ins or 0, reviews or 0


def hr_due(today: date) -> tuple[int, int]:
    """(reviews overdue, plans waiting for a follow-up decision) across the regency."""
    overdue = db.session.scalar(
        select(func.count(ImprovementPlan.id)).where(
            ImprovementPlan.status == PlanStatus.RUNNING, ImprovementPlan.review_date < today
        )
    )
    waiting = db.session.scalar(
        select(func.count(ImprovementPlan.id)).where(ImprovementPlan.status == PlanStatus.NOT_IMPROVED)
    )
    return overdue or 0, waiting or 0


def own_next_check_in(employee_id: int, today: date) -> tuple[ImprovementPlan, date] | None:
    """The employee's next scheduled check-in within the reminder window (their own plan)."""
    horizon = today + timedelta(days=rules.REVIEW_REMINDER_DAYS)
    row = db.session.execute(
        select(ImprovementPlan, CheckIn.scheduled_on)
        .join(CheckIn, CheckIn.plan_id == ImprovementPlan.id)
        .where(
            ImprovementPlan.employee_id == employee_id,
            ImprovementPlan.status == PlanStatus.RUNNING,
            CheckIn.held_on.is_(None),
            CheckIn.scheduled_on.between(today, horizon),
        )
        .order_by(CheckIn.scheduled_on)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _index_link(**query: str) -> str:
    """The plan list filtered by one query argument (e.g. peran=pembina)."""
    return url_for("pembinaan.index", _external=False, **query)


def pembinaan_todos(user: User) -> list[Todo]:
    if not user.is_authenticated:
        return []
    today = today_wib()
    due: list[tuple[int, str, str]] = []  # (count, message, link); a zero count is no to-do
    if user.employee_id is not None:
        check_ins, reviews = coach_due(user.employee_id, today)
        as_coach = _index_link(peran="pembina")
        due.append((check_ins, f"{check_ins} pertemuan pemantauan pembinaan kinerja jatuh tempo", as_coach))
        due.append((reviews, f"{reviews} tinjauan 6 bulan pembinaan kinerja jatuh tempo", as_coach))
        mine = own_next_check_in(user.employee_id, today)
        if mine is not None:
            plan, on = mine
            due.append((1, f"Pertemuan pemantauan pembinaan kinerja Anda pada {tanggal(on)}", plan_path(plan)))
    if user.has_role(Role.ADMIN_KEPEGAWAIAN, Role.ADMINISTRATOR):
        overdue, waiting = hr_due(today)
        due.append(
            (overdue, f"{overdue} tinjauan pembinaan kinerja melewati tanggalnya", _index_link(status="berjalan"))
        )
        due.append(
            (waiting, f"{waiting} pembinaan tidak membaik menunggu tindak lanjut", _index_link(status="tidak_membaik"))
        )
    return [Todo(n, message, link) for n, message, link in due if n]


# --- accepted "pembinaan kinerja" referrals open the plan ---------------------------------------------------


def referral_ref(referral_id: int) -> str:
    """The `source_ref` of a plan opened from an accepted referral."""
    return f"referral:{referral_id}"


def referral_id_of(plan: ImprovementPlan) -> int | None:
    """The referral a plan was opened from, when it was (parsed from `source_ref`)."""
    prefix, _, rest = (plan.source_ref or "").partition(":")
    return int(rest) if prefix == "referral" and rest.isdigit() else None


def default_goal(rating: PerformanceRating) -> str:
    return (
        f"Meningkatkan kinerja dari predikat {rating.predikat.label} (penilaian tahunan {rating.period.year}) "
        f"menjadi sekurang-kurangnya Baik dalam {rules.IMPROVEMENT_MONTHS} bulan (PP 30/2019 Pasal 57)."
    )


def start_plan_for_referral(referral, actor: User | None, today: date) -> ImprovementPlan | None:
    """Receiver of `signals.referral_assigned`: an accepted pembinaan kinerja referral opens its 6-month plan.

    Coach: the employee's pejabat penilai today. One plan per triggering rating: when HR already opened one
    from the pembinaan queue, the referral is linked to it instead. Without a pejabat penilai the whole
    assignment is refused (the caller rolls back), never a referral without its plan.
    """
    from ..development.lifecycle import BulkError

    if not referral.needs_improvement_plan or referral.rating_id is None:
        return None
    existing = plan_of_rating(referral.rating_id)
    if existing is not None:
        if existing.source_ref is None:
            existing.source_ref = referral_ref(referral.id)
            db.session.flush()
        return existing
    employee = referral.employee
    found = appraisers.appraiser_of(employee, today)
    if found is None:
        msg = (
            f"{employee.name}: pejabat penilai (atasan langsung) pada {tanggal(today)} tidak dapat ditentukan, "
            "sehingga rencana pembinaan kinerja tidak dapat dibuat. Lengkapi data jabatan/atasan di struktur "
            "organisasi terlebih dahulu; tidak ada yang disimpan."
        )
        raise BulkError(msg, {referral.id: msg})
    rating = referral.rating
    first_check_in = rules.check_in_dates(today, 1)[0]
    return start_improvement_plan(
        employee,
        rating,
        found.employee,
        start_date=today,
        goal=default_goal(rating),
        actions=[
            AgreedAction(
                "Menyepakati rincian tindakan perbaikan dengan pembina pada sesi pembinaan pertama.", first_check_in
            )
        ],
        actor=actor,
        source_ref=referral_ref(referral.id),
    )
