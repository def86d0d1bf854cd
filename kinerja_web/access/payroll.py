"""Payroll (issue 7): operator prepares, verifikator verifies, pejabat approves; never the same person."""

from __future__ import annotations

from ..domain.payroll import separation
from ..models import Employee, Role, RunStatus, User
from .core import is_finance, is_hr, is_self


def can_view_payroll(user: User) -> bool:
    """Run list, daftar gaji, recap, bank file and everyone's slips: finance and HR."""
    return is_finance(user) or is_hr(user)


def can_read_payroll_rules(user: User) -> bool:
    """The rule tables and their history: finance and HR read them; only the administrator adds versions."""
    return is_finance(user) or is_hr(user) or (user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


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


def can_enter_manual_amount(user: User) -> bool:
    """Manual pay facts (issue 20 item 6): HR and the BPKAD finance operator enter them."""
    return can_manage_attendance(user)


def can_decide_manual_amount(user: User, row=None) -> bool:
    """Approve or reject a manual amount: HR or finance, never its own maker (maker-checker)."""
    allowed = can_manage_attendance(user) or is_finance(user)
    return allowed and (row is None or row.created_by_id != user.id)


def can_return_run(user: User, run) -> bool:
    """Return a run to its maker with a reason: whoever may take its pending step (verify or approve)."""
    if run.status == RunStatus.DIHITUNG:
        return can_verify_run(user, run)
    if run.status == RunStatus.DIVERIFIKASI:
        return can_approve_run(user, run)
    return False


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


def can_manage_ptkp_years(user: User) -> bool:
    """PTKP status per tax year: HR confirms and overrides (issue 20); finance reads it."""
    return is_hr(user)


def can_import_ytd(user: User) -> bool:
    """Year-to-date pay of a mid-year go-live: HR and the BPKAD finance operator."""
    return is_hr(user) or can_prepare_payroll(user)


def can_issue_bukti_potong(user: User) -> bool:
    """Annual bukti potong PDF and the e-Bupot export: the finance operator and HR."""
    return is_hr(user) or can_prepare_payroll(user)
