"""Every "may this user …?" answer lives here: views, templates and list queries all ask these functions.

404 is used where even the existence of a record is private (`get_visible_or_404`); 403 where the
record may be seen but the action is not allowed (`require`).
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import Select, exists, false, or_, select
from sqlalchemy.orm import joinedload

from ..domain.payroll import separation
from ..domain.pembinaan import PlanStatus, review_is_due
from ..domain.penghargaan import AwardStatus
from ..domain.workflow import SkpStatus, is_editable
from ..extensions import db
from ..models import (
    AssignmentStatus,
    AwardProposal,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    ImprovementPlan,
    Job,
    Keberatan,
    Notification,
    PerformanceRating,
    Position,
    PositionAssignment,
    RaterAssignment,
    Referral,
    Role,
    RunStatus,
    Skp,
    Unit,
    User,
)
from ..services.org import appraisers
from ..timeutil import today_wib

HR_ROLES = (Role.ADMIN_KEPEGAWAIAN, Role.ADMINISTRATOR)
FINANCE_ROLES = (Role.OPERATOR_KEUANGAN, Role.VERIFIKATOR_KEUANGAN, Role.PEJABAT_KEUANGAN)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def roles_required(*roles: Role):
    """View decorator: login, then one of `roles` or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require(current_user.has_role(*roles))
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- roles -----------------------------------------------------------------------------------------


def is_hr(user: User) -> bool:
    return user.is_authenticated and user.has_role(*HR_ROLES)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def is_finance(user: User) -> bool:
    return user.is_authenticated and user.has_role(*FINANCE_ROLES)


# --- people ----------------------------------------------------------------------------------------


def is_superior_of(user: User, employee: Employee, on: date | None = None) -> bool:
    """ "Atasan" is derived from the organisation data on the date, never a role flag."""
    if not user.is_authenticated or user.employee is None:
        return False
    return appraisers.is_superior(user.employee, employee, on or today_wib())


def is_self(user: User, employee: Employee) -> bool:
    return user.is_authenticated and user.employee_id == employee.id


def can_view_directory(user: User) -> bool:
    """The directory is the agency phone book: name, NIP, jabatan and unit of active staff."""
    return user.is_authenticated


def can_view_employee_work(user: User, employee: Employee) -> bool:
    """Jabatan history, golongan, atasan chain: self, superiors, HR, finance."""
    return is_self(user, employee) or is_hr(user) or is_finance(user) or is_superior_of(user, employee)


def can_view_employee_private(user: User, employee: Employee) -> bool:
    """Birth date, family, PTKP and bank account: self, HR and finance (payroll needs them), not the atasan."""
    return is_self(user, employee) or is_hr(user) or is_finance(user)


def can_edit_employee(user: User, employee: Employee | None = None) -> bool:
    return is_hr(user)


def can_assign_role(user: User, role: Role) -> bool:
    """HR grants pegawai/HR-level roles; only an administrator grants finance or administrator roles."""
    if is_admin(user):
        return True
    return is_hr(user) and role in (Role.PEGAWAI, Role.ADMIN_KEPEGAWAIAN)


def can_manage_account(user: User, target: User) -> bool:
    """Roles and activation of one account: an administrator's account only by an administrator, so HR
    cannot lock the administrators out."""
    if target.has_role(Role.ADMINISTRATOR):
        return is_admin(user)
    return is_hr(user)


def can_reset_password(user: User, target: User) -> bool:
    """Whoever may grant every role an account holds may reset its password (never their own): HR resets
    pegawai and HR accounts on the LAN; an account with a finance or administrator role only an
    administrator, or HR could sign in with the temporary password as a verifikator or pejabat keuangan."""
    if target.id == user.id or not is_hr(user):
        return False
    return all(can_assign_role(user, role) for role in target.roles)


# --- SKP (performance planning) --------------------------------------------------------------------


def appraiser_today(employee: Employee, on: date | None = None) -> appraisers.Appraiser | None:
    """The pejabat penilai on `on` (today by default; Plt/Plh aware), memoised per request: pages ask it often."""
    on = on or today_wib()
    cache = g.setdefault("_appraiser_ids", {})
    key = (employee.id, on)
    if key not in cache:
        cache[key] = appraisers.appraiser_of(employee, on)
    return cache[key]


def _appraiser_id_of(employee: Employee, on: date | None = None) -> int | None:
    found = appraiser_today(employee, on)
    return found.employee.id if found else None


def is_appraiser_of(user: User, employee: Employee, on: date | None = None) -> bool:
    """Pejabat penilai = atasan langsung on that date (PermenPANRB 6/2022), derived from org data."""
    if not user.is_authenticated or user.employee_id is None:
        return False
    return _appraiser_id_of(employee, on) == user.employee_id


def can_view_skp(user: User, skp: Skp) -> bool:
    """Owner, whoever it was submitted to, any superior up the chain, and HR."""
    if not user.is_authenticated:
        return False
    if is_self(user, skp.employee) or is_hr(user):
        return True
    if user.employee_id is not None and skp.appraiser_id == user.employee_id:
        return True
    return is_superior_of(user, skp.employee)


def can_edit_skp(user: User, skp: Skp) -> bool:
    """Only the owner edits, only a draft or returned SKP, only while the period is open."""
    return is_self(user, skp.employee) and is_editable(skp.status) and skp.period.is_open


def can_approve_skp(user: User, skp: Skp) -> bool:
    """The pejabat penilai today approves or returns (a Plt/Plh who took over the atasan post included,
    not whoever it was submitted to); when the org data names nobody today, the one it was submitted to.
    Same rule as the inbox (`services.skp.decider_ids`)."""
    if not user.is_authenticated or user.employee_id is None:
        return False
    if skp.status != SkpStatus.SUBMITTED or is_self(user, skp.employee):
        return False
    today_id = _appraiser_id_of(skp.employee)
    return today_id == user.employee_id or (today_id is None and skp.appraiser_id == user.employee_id)


def can_revise_skp(user: User, skp: Skp) -> bool:
    """An approved SKP is changed only through a new version (reason required)."""
    return is_self(user, skp.employee) and skp.status == SkpStatus.APPROVED and skp.period.is_open


def can_report_realisasi(user: User, skp: Skp) -> bool:
    return is_self(user, skp.employee) and skp.status == SkpStatus.APPROVED and skp.period.is_open


def can_give_feedback(user: User, skp: Skp) -> bool:
    """Dialog kinerja between the pegawai and the pejabat penilai on an approved SKP."""
    if skp.status not in (SkpStatus.APPROVED, SkpStatus.REPLACED):
        return False
    return is_self(user, skp.employee) or is_appraiser_of(user, skp.employee)


def can_issue_skp_document(user: User, skp: Skp) -> bool:
    """PDF of an approved SKP: its pegawai, the pejabat penilai (who approved it, or today's) and HR."""
    if skp.status != SkpStatus.APPROVED or not user.is_authenticated:
        return False
    return can_download_skp_document(user, skp)


def can_download_skp_document(user: User, skp: Skp) -> bool:
    """Issued SKP documents (SKP PDF, realisasi reports): the pegawai, the pejabat penilai and HR —
    not every superior up the chain who may read the SKP page."""
    if not user.is_authenticated:
        return False
    if is_self(user, skp.employee) or is_hr(user):
        return True
    if user.employee_id is not None and skp.appraiser_id == user.employee_id:
        return True
    return is_appraiser_of(user, skp.employee)


def can_view_pohon(user: User, unit: Unit) -> bool:
    """The unit's performance tree: HR, and staff of the same OPD (cascading is shared inside an OPD)."""
    if is_hr(user):
        return True
    emp = user.employee if user.is_authenticated else None
    return bool(emp and emp.unit and emp.unit.opd.id == unit.opd.id)


def may_approve_skps(user: User) -> bool:
    """Menu check, one cheap query: does the user hold (definitively or as Plt/Plh) a post with sub-posts?"""
    if not user.is_authenticated or user.employee_id is None:
        return False
    today = today_wib()
    held = select(PositionAssignment.position_id).where(
        PositionAssignment.employee_id == user.employee_id,
        PositionAssignment.start_date <= today,
        or_(PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= today),
    )
    own = select(Employee.position_id).where(Employee.id == user.employee_id)
    return bool(
        db.session.scalar(
            select(exists().where(or_(Position.parent_id.in_(held), Position.parent_id.in_(own.scalar_subquery()))))
        )
    )


def visible_skps(user: User) -> Select:
    """SKP list scope: own, submitted to me, my subordinates' (any level), everything for HR."""
    stmt = select(Skp)
    if is_hr(user):
        return stmt
    if user.employee_id is None:
        return stmt.where(Skp.id.is_(None))
    below = appraisers.subordinate_position_ids(user.employee, today_wib())
    conditions = [Skp.employee_id == user.employee_id, Skp.appraiser_id == user.employee_id]
    if below:
        conditions.append(Skp.employee_id.in_(select(Employee.id).where(Employee.position_id.in_(below))))
    return stmt.where(or_(*conditions))


def get_skp_or_404(skp_id: int, user: User, *options) -> Skp:
    """Load an SKP the user may see (404 otherwise, so other people's SKP do not reveal they exist)."""
    skp = db.session.scalars(
        select(Skp).options(joinedload(Skp.employee), joinedload(Skp.period), *options).where(Skp.id == skp_id)
    ).first()
    if skp is None or not can_view_skp(user, skp):
        abort(404)
    return skp


# --- penilaian kinerja (final rating, organisation predikat, calibration) --------------------------


def can_rate_performance(user: User, employee: Employee, on: date | None = None) -> bool:
    """Only the pejabat penilai (atasan langsung on the rating date, Plt-aware) rates (PermenPANRB 6/2022)."""
    return not is_self(user, employee) and is_appraiser_of(user, employee, on)


def can_view_performance(user: User, employee: Employee) -> bool:
    """The employee (own result), the pejabat penilai, superiors up the chain and HR; others get 404."""
    if not user.is_authenticated:
        return False
    return is_self(user, employee) or is_hr(user) or is_appraiser_of(user, employee) or is_superior_of(user, employee)


def can_see_rating_detail(user: User, employee: Employee, rating: PerformanceRating | None) -> bool:
    """The employee sees the ratings only once final (a draft is the appraiser's working state)."""
    if rating is None:
        return False
    return rating.is_final or not is_self(user, employee)


def leads_unit(user: User, unit: Unit | None, on: date | None = None) -> bool:
    """True when the user exercises (definitive or Plt/Plh) a leader post of `unit` on the date."""
    if unit is None or not user.is_authenticated or user.employee is None:
        return False
    return any(
        p.is_leader and p.unit_id == unit.id for p in appraisers.positions_held(user.employee, on or today_wib())
    )


def can_set_unit_predikat(user: User, unit: Unit) -> bool:
    """Capaian kinerja organisasi is set by the leader of the organisation above (SE MenPANRB 3/2023) or HR."""
    return is_hr(user) or leads_unit(user, unit.parent)


def can_calibrate_unit(user: User, unit: Unit) -> bool:
    """Calibration: HR, the unit's own leader, and the leader above (who also sets the organisation predikat)."""
    return is_hr(user) or leads_unit(user, unit) or leads_unit(user, unit.parent)


# --- pembinaan kinerja (PP 30/2019 Pasal 57) ------------------------------------------------------------
# A plan and its coaching log are seen by the employee, the coach, the superiors up the chain and HR; peers
# and everyone else get 404. Only HR starts, cancels and records the follow-up; the coach or the pejabat
# penilai logs sessions; the review is recorded by them or HR once the 6 months have passed.


def _is_coach(user: User, plan: ImprovementPlan) -> bool:
    return user.is_authenticated and user.employee_id is not None and plan.coach_id == user.employee_id


def can_view_plan(user: User, plan: ImprovementPlan) -> bool:
    if not user.is_authenticated:
        return False
    return is_self(user, plan.employee) or is_hr(user) or _is_coach(user, plan) or is_superior_of(user, plan.employee)


def can_coach_plan(user: User, plan: ImprovementPlan) -> bool:
    """Log coaching sessions and update actions: the coach or today's pejabat penilai, while the plan runs."""
    if plan.status != PlanStatus.RUNNING or is_self(user, plan.employee):
        return False
    return _is_coach(user, plan) or is_appraiser_of(user, plan.employee)


def can_schedule_check_in(user: User, plan: ImprovementPlan) -> bool:
    return plan.status == PlanStatus.RUNNING and (is_hr(user) or can_coach_plan(user, plan))


def can_review_plan(user: User, plan: ImprovementPlan, on: date | None = None) -> bool:
    """The 6-month review: coach, pejabat penilai or HR, only once the period has passed (Pasal 57)."""
    if plan.status != PlanStatus.RUNNING or not review_is_due(plan.start_date, on or today_wib()):
        return False
    return is_hr(user) or can_coach_plan(user, plan)


def can_follow_up_plan(user: User, plan: ImprovementPlan) -> bool:
    return is_hr(user) and plan.status == PlanStatus.NOT_IMPROVED


def can_cancel_plan(user: User, plan: ImprovementPlan) -> bool:
    return is_hr(user) and plan.status == PlanStatus.RUNNING


def visible_plans(user: User) -> Select:
    """Plans a user may open: own, coached, subordinates' (any level), all for HR."""
    stmt = select(ImprovementPlan)
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    conditions = [ImprovementPlan.employee_id == user.employee_id, ImprovementPlan.coach_id == user.employee_id]
    below = appraisers.subordinate_position_ids(user.employee, today_wib())
    if below:
        conditions.append(ImprovementPlan.employee_id.in_(select(Employee.id).where(Employee.position_id.in_(below))))
    return stmt.where(or_(*conditions))


# --- penghargaan ------------------------------------------------------------------------------------------
# Proposals come from a superior (for a subordinate) or as suggestions for HR; HR selects and issues the SK.
# The employee sees an award once its SK is issued; a proposal under discussion is not shown to them.


def can_propose_award(user: User, employee: Employee) -> bool:
    return not is_self(user, employee) and is_superior_of(user, employee)


def visible_awards(user: User) -> Select:
    stmt = select(AwardProposal)
    if is_hr(user):
        return stmt
    if not user.is_authenticated:
        return stmt.where(false())
    conditions = [AwardProposal.proposed_by_id == user.id]
    if user.employee_id is not None:
        conditions.append(
            (AwardProposal.employee_id == user.employee_id) & (AwardProposal.status == AwardStatus.ISSUED)
        )
    return stmt.where(or_(*conditions))


def can_download_award_sk(user: User, proposal: AwardProposal) -> bool:
    if proposal.status != AwardStatus.ISSUED or proposal.document_id is None:
        return False
    return is_hr(user) or (user.is_authenticated and proposal.employee_id == user.employee_id)


# --- talent mapping (9-box) and HR dashboards -------------------------------------------------------
# Potensial and the 9-box are HR data (PermenPANRB 3/2020: talent management is run by the personnel
# agency); the employee and the atasan do not see them. The dashboards show names with completion status
# only (never 360 answers) and predikat counts per OPD: BKPSDM too.


def can_download_evaluation(user: User, employee: Employee, rating: PerformanceRating | None) -> bool:
    """The evaluation document: the employee (own), the pejabat penilai, superiors and HR, once final."""
    return rating is not None and rating.is_final and can_view_performance(user, employee)


def can_file_keberatan(user: User, rating: PerformanceRating) -> bool:
    """Only the employee rated, and only against a final rating (deadline and "once" give a message)."""
    return rating.is_final and is_self(user, rating.employee)


def is_keberatan_decider(user: User, keberatan: Keberatan, on: date | None = None) -> bool:
    """The atasan pejabat penilai of the employee on the day (Plt/Plh-aware), PP 30/2019 Pasal 59."""
    if not user.is_authenticated or user.employee_id is None or user.employee_id == keberatan.employee_id:
        return False
    found = appraisers.appraiser_supervisor_of(keberatan.employee, on or today_wib())
    return found is not None and found.employee.id == user.employee_id


def can_view_keberatan(user: User, keberatan: Keberatan) -> bool:
    """The employee, the pejabat penilai who rated, the atasan (recorded or today's) and HR; others 404."""
    if not user.is_authenticated:
        return False
    return (
        is_hr(user)
        or user.employee_id in (keberatan.employee_id, keberatan.penilai_id, keberatan.atasan_id)
        or is_keberatan_decider(user, keberatan)
    )


def can_decide_keberatan(user: User, keberatan: Keberatan, on: date | None = None) -> bool:
    """Ask for explanations and decide: only today's atasan pejabat penilai, never HR or the appraiser."""
    return not keberatan.is_final and is_keberatan_decider(user, keberatan, on)


def can_explain_keberatan(user: User, keberatan: Keberatan) -> bool:
    """Both sides answer the atasan: the employee and the pejabat penilai who rated."""
    return (
        user.is_authenticated
        and user.employee_id is not None
        and (user.employee_id in (keberatan.employee_id, keberatan.penilai_id))
    )


# --- payroll (issue 7): operator prepares, verifikator verifies, pejabat approves; never the same person


def can_view_payroll(user: User) -> bool:
    """Run list, daftar gaji, recap, bank file and everyone's slips: finance and HR."""
    return is_finance(user) or is_hr(user)


def can_prepare_payroll(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.OPERATOR_KEUANGAN)


def can_manage_attendance(user: User) -> bool:
    """Attendance import/correction and predikat input: the finance operator and HR."""
    return can_prepare_payroll(user) or is_hr(user)


def can_edit_run(user: User, run) -> bool:
    """Compute/recompute or delete: the operator, only before verification (a locked run is never edited)."""
    return can_prepare_payroll(user) and run.status in (RunStatus.DRAFT, RunStatus.DIHITUNG)


_NEXT_STEP = {RunStatus.DIHITUNG: "verify", RunStatus.DIVERIFIKASI: "approve", RunStatus.DISETUJUI: "finalise"}


def refusal_of_run_step(user: User, run, step: str | None = None) -> str | None:
    """Why the user may not take `step` (default: the run's next step) on the run, or None: no maker of the
    run (preparer, whoever computed or recomputed it, whoever entered the inputs it used) verifies, approves
    or finalises it, and its verifier does not approve it (`domain.payroll.separation`). Roles aside."""
    step = step or _NEXT_STEP.get(run.status)
    if step is None or not user.is_authenticated:
        return None
    return separation.refusal(step, user.id, run.contributions)


def can_verify_run(user: User, run) -> bool:
    """Verifikator keuangan who is none of the run's makers (maker-checker)."""
    return (
        user.is_authenticated
        and user.has_role(Role.VERIFIKATOR_KEUANGAN)
        and refusal_of_run_step(user, run, "verify") is None
    )


def can_approve_run(user: User, run) -> bool:
    """Pejabat keuangan, neither a maker nor the verifier (maker-checker-approver: three people)."""
    return (
        user.is_authenticated
        and user.has_role(Role.PEJABAT_KEUANGAN)
        and refusal_of_run_step(user, run, "approve") is None
    )


def can_finalise_run(user: User, run) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.PEJABAT_KEUANGAN)
        and refusal_of_run_step(user, run, "finalise") is None
    )


def can_view_slip(user: User, run, employee: Employee) -> bool:
    """HR/finance see every slip; an employee sees their own only once the run is final; others get 404."""
    if can_view_payroll(user):
        return True
    return is_self(user, employee) and run.status == RunStatus.FINAL


def can_issue_payroll_documents(user: User, run=None) -> bool:
    """Slip gaji batch and daftar gaji PDFs: the finance operator and HR; only a final run's (issue 7 item 8)."""
    return (can_prepare_payroll(user) or is_hr(user)) and (run is None or run.status == RunStatus.FINAL)


def can_download_slip_pdf(user: User, run, employee: Employee) -> bool:
    """The issued slip PDF: HR/finance any; the employee their own, only for a final run; others 404."""
    if can_view_payroll(user):
        return True
    return is_self(user, employee) and run.status == RunStatus.FINAL


def can_manage_tpp_budget(user: User) -> bool:
    """Pagu anggaran TPP per OPD and year: finance (any of the three roles) and HR."""
    return is_finance(user) or is_hr(user)


def can_view_own_pay(user: User) -> bool:
    return user.is_authenticated and user.employee_id is not None


# --- official documents ----------------------------------------------------------------------------


def can_revoke_document(user: User, doc=None) -> bool:
    return is_hr(user) and (doc is None or doc.is_valid)


# --- records owned by a user -----------------------------------------------------------------------


def visible_notifications(user: User) -> Select:
    return select(Notification).where(Notification.user_id == user.id)


# --- background jobs ---------------------------------------------------------------------------------
# A job is seen by whoever started it and by those who may see its subject: a payroll run's computation and
# its slip batch by payroll viewers; an employee import, referral suggestions, a rating lock and a unit's
# documents batch by HR. A job's message or result may name employees and their figures.

PAYROLL_COMPUTE_JOB = "payroll_compute"
BATCH_JOB = "dokumen_batch"  # a payroll slip batch when its params name a payroll_run_id
HR_JOB_KINDS = (
    "import_pegawai",
    "penilaian_kunci",
    "rujukan_usulan",
)  # an employee import, referral suggestions, a rating lock


def _hr_job_kinds(user: User) -> list[str]:
    """HR's kinds of job the user may start (and so see), other than documents batches."""
    return list(HR_JOB_KINDS) if is_hr(user) else []


def _slip_batch():
    return (Job.kind == BATCH_JOB) & Job.params["payroll_run_id"].as_integer().is_not(None)


def visible_jobs(user: User) -> Select:
    if not user.is_authenticated:
        return select(Job).where(false())
    seen = [Job.created_by_id == user.id, Job.kind.in_(_hr_job_kinds(user))]
    if can_view_payroll(user):
        seen += [Job.kind == PAYROLL_COMPUTE_JOB, _slip_batch()]
    if is_hr(user):
        seen.append((Job.kind == BATCH_JOB) & ~_slip_batch())
    return select(Job).where(or_(*seen))


def can_retry_job(user: User, job: Job) -> bool:
    """ "Ulangi" on a failed job: whoever may start that work now (a payroll run's only while it may change)."""
    from ..models import PayrollRun

    params = job.params or {}
    if job.kind == PAYROLL_COMPUTE_JOB:
        run = db.session.get(PayrollRun, params.get("run_id") or 0)
        return run is not None and can_prepare_payroll(user) and can_edit_run(user, run)
    if job.kind == BATCH_JOB and params.get("payroll_run_id"):
        run = db.session.get(PayrollRun, params["payroll_run_id"])
        return run is not None and can_issue_payroll_documents(user, run)
    if job.kind == BATCH_JOB:
        return is_hr(user)
    return job.kind in _hr_job_kinds(user)


# --- penilaian 360 ------------------------------------------------------------------------------------
# Anonymity (issue #5): a rating form is reachable only by its own rater (everyone else gets 404, HR too);
# results are aggregates only, for the employee, their appraiser (frozen when the cycle opened) and HR,
# and only once the cycle is closed, so nobody can diff results before/after one rater submits.


def visible_assignments(user: User) -> Select:
    """Rater assignments a user may open: their own, whatever their role."""
    if not user.is_authenticated or user.employee_id is None:
        return select(RaterAssignment).where(false())
    return select(RaterAssignment).where(RaterAssignment.rater_id == user.employee_id)


def can_rate(user: User, assignment: RaterAssignment) -> bool:
    """Only the assigned rater, on an approved (not yet submitted) assignment, while the cycle is open."""
    return (
        user.is_authenticated
        and assignment.rater_id == user.employee_id
        and assignment.status == AssignmentStatus.APPROVED
        and assignment.evaluatee.cycle.status == CycleStatus.OPEN
    )


def can_decline(user: User, assignment: RaterAssignment) -> bool:
    return can_rate(user, assignment) and assignment.evaluatee.employee_id != user.employee_id


def visible_evaluatees(user: User) -> Select:
    """Evaluatee records a user may open: their own, those they appraise (snapshot), all for HR."""
    stmt = select(Evaluatee)
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    return stmt.where((Evaluatee.employee_id == user.employee_id) | (Evaluatee.appraiser_id == user.employee_id))


def can_view_results(user: User, evaluatee: Evaluatee) -> bool:
    """Aggregated results: self, appraiser or HR, after the cycle is closed (never per rater)."""
    if evaluatee.cycle.status != CycleStatus.CLOSED:
        return False
    return is_hr(user) or (
        user.is_authenticated and user.employee_id in (evaluatee.employee_id, evaluatee.appraiser_id)
    )


def can_nominate(user: User, evaluatee: Evaluatee) -> bool:
    """The employee proposes extra peers while the cycle is open and the rules allow nominations."""
    cycle = evaluatee.cycle
    return (
        is_self(user, evaluatee.employee)
        and cycle.status == CycleStatus.OPEN
        and cycle.use_rekan
        and cycle.max_nominations > 0
    )


def decidable_nominations(user: User) -> Select:
    """Pending nominations the user may approve: the evaluatee's appraiser, or HR (override)."""
    stmt = (
        select(RaterAssignment)
        .join(Evaluatee, Evaluatee.id == RaterAssignment.evaluatee_id)
        .where(RaterAssignment.status == AssignmentStatus.PENDING)
    )
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    return stmt.where(Evaluatee.appraiser_id == user.employee_id)


def can_decide_nomination(user: User, assignment: RaterAssignment) -> bool:
    if assignment.status != AssignmentStatus.PENDING or assignment.evaluatee.cycle.status != CycleStatus.OPEN:
        return False
    return is_hr(user) or (user.is_authenticated and assignment.evaluatee.appraiser_id == user.employee_id)


def can_edit_cycle(user: User, cycle: EvaluationCycle) -> bool:
    return is_hr(user) and cycle.status == CycleStatus.DRAFT


def can_override_raters(user: User, evaluatee: Evaluatee) -> bool:
    return is_hr(user) and evaluatee.cycle.status == CycleStatus.OPEN


# --- pengembangan kompetensi: catalogue, referral rules, HR work queue, JP (tindak lanjut) ---------------
# The catalogue is open to every signed-in user; rules, the queue and every change are BKPSDM's. A referral
# and an employee's development record are private: the employee, superiors up the chain and HR (404 else).


def can_browse_programmes(user: User) -> bool:
    return user.is_authenticated


def can_view_development(user: User, employee: Employee) -> bool:
    """JP, referrals and certificates of one employee: self, superiors up the chain, HR."""
    if not user.is_authenticated:
        return False
    return is_self(user, employee) or is_hr(user) or is_superior_of(user, employee)


def has_own_development(user: User) -> bool:
    return user.is_authenticated and user.employee_id is not None


def visible_referrals(user: User) -> Select:
    """Referral scope: own, subordinates' (any level, from today's org data), all for HR."""
    stmt = select(Referral)
    if is_hr(user):
        return stmt
    if not user.is_authenticated or user.employee_id is None:
        return stmt.where(false())
    below = appraisers.subordinate_position_ids(user.employee, today_wib())
    conditions = [Referral.employee_id == user.employee_id]
    if below:
        conditions.append(Referral.employee_id.in_(select(Employee.id).where(Employee.position_id.in_(below))))
    return stmt.where(or_(*conditions))


_SCOPES = {
    Referral: visible_referrals,
    Notification: visible_notifications,
    Job: visible_jobs,
    RaterAssignment: visible_assignments,
    Evaluatee: visible_evaluatees,
    ImprovementPlan: visible_plans,
    AwardProposal: visible_awards,
}


def get_visible_or_404(model, record_id: int, user: User):
    """Load a record through the same scope the lists use; invisible and missing look the same (404)."""
    scope = _SCOPES[model](user)
    obj = db.session.scalars(scope.where(model.id == record_id)).first()
    if obj is None:
        abort(404)
    return obj


def get_employee_or_404(employee_id: int) -> Employee:
    emp = db.session.get(Employee, employee_id)
    if emp is None:
        abort(404)
    return emp


JINJA_GLOBALS = {
    name: obj for name, obj in globals().items() if name.startswith(("can_", "is_", "refusal_")) and callable(obj)
}


def init_app(app) -> None:
    app.jinja_env.globals.update(JINJA_GLOBALS)
