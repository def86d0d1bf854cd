"""Background jobs. A job is seen by whoever started it and by those who may see its subject: a payroll run's
computation and its slip batch by payroll viewers; an employee import, referral suggestions, a rating lock and a
unit's documents batch by HR. A job's message or result may name employees and their figures.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from ..extensions import db
from ..models import Job, User
from .core import is_hr
from .payroll import can_edit_run, can_issue_payroll_documents, can_prepare_payroll, can_view_payroll

PAYROLL_COMPUTE_JOB = "payroll_compute"
BATCH_JOB = "dokumen_batch"  # a payroll slip batch when its params name a payroll_run_id
# an employee import, a rating lock, referral suggestions, a service-log import
HR_JOB_KINDS = ("import_pegawai", "penilaian_kunci", "rujukan_usulan", "impor_layanan")
OWN_RETRY_KINDS = ("impor_layanan",)  # the unit operator who started it may start it again


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
    if job.kind in OWN_RETRY_KINDS and job.created_by_id == user.id:
        return True
    return job.kind in _hr_job_kinds(user)
