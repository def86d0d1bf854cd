"""The HR work queue: suggestions with the result that triggered them, generation as a background job, and the
bulk assign / dismiss actions (all or nothing, one message per referral)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain import DomainError
from ....domain.development import ReasonKind, ReferralStatus
from ....extensions import db
from ....htmx import render
from ....jobs import pages as job_pages
from ....models import Period, Programme
from ....request_input import ids_in, page_arg, query_int
from ....services.development import lifecycle, suggestions
from ....services.development import queue as work_queue
from ....services.jobs import enqueue
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import AssignForm, GenerateForm, ReasonForm
from .shared import REASON_LABELS, bulk_rows, programme_choices, valid_reason


def _filter_from_args() -> work_queue.QueueFilter:
    args = request.args
    try:
        reason = ReasonKind(args["alasan"]) if args.get("alasan") else None
    except ValueError:
        reason = None
    raw_status = args.get("status", ReferralStatus.DIUSULKAN.value)
    try:
        status = ReferralStatus(raw_status) if raw_status else None
    except ValueError:
        status = ReferralStatus.DIUSULKAN
    return work_queue.QueueFilter(
        opd_id=args.get("opd", type=query_int),
        reason=reason,
        status=status,
        year=args.get("tahun", type=query_int),
        q=args.get("q", ""),
    )


def _queue_ctx(assign_form=None, dismiss_form=None, row_errors=None, selected=()):
    f = _filter_from_args()
    page = work_queue.queue_page(f, page_arg())
    if assign_form is None:
        assign_form = AssignForm(formdata=None)
    assign_form.programme_id.choices = programme_choices()
    gen = GenerateForm(formdata=None)
    gen.period_id.choices = [(p.id, p.name) for p in work_queue.periods()]
    job_id = request.args.get("pekerjaan", type=query_int)
    job = work_queue.generation_job(access.visible_jobs(current_user), job_id) if job_id else None
    return {
        "f": f,
        "page": page,
        "opds": work_queue.opds(),
        "reasons": list(ReasonKind),
        "statuses": list(ReferralStatus),
        "counts": work_queue.status_counts(f.year),
        "assign_form": assign_form,
        "dismiss_form": dismiss_form or ReasonForm(formdata=None),
        "generate_form": gen,
        "row_errors": row_errors or {},
        "selected": set(selected),
        "job": job,
        "reason_labels": REASON_LABELS,
        "filter_args": {k: v for k, v in request.args.items() if k in ("opd", "alasan", "status", "tahun", "q")},
    }


@bp.get("/antrean")
@login_required
def queue():
    """Antrean rujukan: suggestions with the result that triggered them; filters by OPD, reason, status."""
    access.require(access.is_hr(current_user))
    return render("development/queue.html", "rows", **_queue_ctx())


@bp.post("/antrean/buat")
@login_required
def generate():
    """Generate suggestions from the period's results (a background job with progress)."""
    access.require(access.is_hr(current_user))
    form = GenerateForm()
    form.period_id.choices = [(p.id, p.name) for p in work_queue.periods()]
    if not form.validate():
        flash("Pilih periode kinerja.", "error")
        return redirect(url_for("development.queue"), 303)
    period = db.session.get(Period, form.period_id.data)
    with attempt() as done:  # the job is handed to the queue once this commit is over (outbox)
        job = enqueue(
            suggestions.GENERATE_JOB,
            f"Usulan rujukan pengembangan {period.name}",
            {"period_id": period.id, "today": today_wib().isoformat()},
            current_user.id,
            total=4,
        )
    if not done:
        return redirect(url_for("development.queue"), 303)
    return redirect(url_for("development.queue", pekerjaan=job.id), 303)


def _generation_job(view, job_id: int, **kw):
    """A generation job's page or its "Ulangi" (jobs/pages.py): HR only, jobs of the generation kind only."""
    return view(job_id, suggestions.GENERATE_JOB, allowed=access.is_hr(current_user), **kw)


@bp.get("/antrean/pekerjaan/<int:job_id>")
@login_required
def job_status(job_id: int):
    return _generation_job(job_pages.show, job_id, template="development/_job.html", reason_labels=REASON_LABELS)


@bp.post("/antrean/pekerjaan/<int:job_id>/ulangi")
@login_required
def job_retry(job_id: int):
    """ "Ulangi" on a failed generation (suggestions that exist are skipped: one per trigger)."""
    return _generation_job(job_pages.retry_view, job_id, page=lambda _job, i: url_for("development.queue", pekerjaan=i))


def _selected_ids() -> list[int]:
    return ids_in(request.form.getlist("ids"))


@bp.post("/antrean/tugaskan")
@login_required
def bulk_assign():
    """Accept and assign the selected suggestions to one programme, all or nothing."""
    access.require(access.is_hr(current_user))
    form = AssignForm()
    form.programme_id.choices = programme_choices()
    ids = _selected_ids()
    refs = work_queue.referrals_by_ids(ids)
    programme = db.session.get(Programme, form.programme_id.data) if form.programme_id.data else None
    rows: dict[int, str] = {}
    with attempt(form) as done, bulk_rows(rows):
        if programme is None:
            raise DomainError("Pilih program yang akan ditugaskan.", field="programme_id")
        if len(refs) != len(set(ids)):
            raise DomainError("Sebagian usulan yang dipilih tidak ditemukan; muat ulang antrean.")
        lifecycle.assign(refs, programme, current_user, today_wib())
    if not done:
        return render("development/queue.html", "rows", **_queue_ctx(form, row_errors=rows, selected=ids)), 422
    flash(f"{len(refs)} pegawai ditugaskan mengikuti {programme.name}.", "success")
    return redirect(url_for("development.queue", **request.args), 303)


@bp.post("/antrean/tolak")
@login_required
def bulk_dismiss():
    access.require(access.is_hr(current_user))
    form = ReasonForm()
    ids = _selected_ids()
    refs = work_queue.referrals_by_ids(ids)
    rows: dict[int, str] = {}
    with attempt(flash_category=None) as done, bulk_rows(rows):
        lifecycle.dismiss(refs, valid_reason(form), current_user)
    if not done:
        if not rows:  # one message for the reason field; a bulk failure shows its messages per row
            form.reason.errors = [done.message]
        return render(
            "development/queue.html", "rows", **_queue_ctx(dismiss_form=form, row_errors=rows, selected=ids)
        ), 422
    flash(f"{len(refs)} usulan tidak ditindaklanjuti.", "success")
    return redirect(url_for("development.queue", **request.args), 303)
