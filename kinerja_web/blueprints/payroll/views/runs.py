"""Payroll runs: list, create (regular, THR, gaji ke-13, rapel), show, compute (inline or as a job), variance,
the verify/approve/finalise steps, delete a draft, a compensating run."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from .... import access
from ....jobs import pages as job_pages
from ....models import (
    Job,
    PayrollRun,
    RunKind,
)
from ....request_input import ids_in, query_int
from ....services.jobs import enqueue
from ....services.payroll import compute as pay_compute
from ....services.payroll import documents as paydocs
from ....services.payroll import months, outputs, special, workflow
from ....services.payroll import runs as pay_runs
from ....services.payroll import variance as pay_variance
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from .common import default_month, run_or_404

# ------------------------------------------------------------------------------------------- runs


@bp.get("/")
@login_required
def index():
    access.require(access.can_view_payroll(current_user))
    return render_template(
        "payroll/index.html",
        runs=pay_runs.all_runs(),
        opds=pay_runs.opd_units(),
        month=default_month(),
        errors=[],
        chosen=set(),
        form={},
    )


@bp.post("/run")
@login_required
def create():
    access.require(access.can_prepare_payroll(current_user))
    errors: list[str] = []
    month_text = request.form.get("month", "")
    chosen = set(ids_in(request.form.getlist("opd_ids")))
    whole = request.form.get("scope") == "pemda"
    kind_text = request.form.get("kind") or RunKind.REGULAR.value
    with attempt(flash_category=None) as done:
        month = months.parse_month(month_text)
        kind = special.parse_kind(kind_text)
        opd_ids = None if whole else sorted(chosen)
        if kind is RunKind.REGULAR:
            run = pay_runs.create_run(month, opd_ids, current_user)
        else:
            start = end = None
            if kind is RunKind.RAPEL:
                start = months.parse_month(request.form.get("period_start", ""))
                end = months.parse_month(request.form.get("period_end", ""))
            run = special.create_special_run(kind, month, opd_ids, current_user, start, end)
    if done:
        flash(f"Proses penggajian {run.title} dibuat. Langkah berikutnya: hitung.", "success")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    errors.append(done.message)
    return render_template(
        "payroll/index.html",
        runs=pay_runs.all_runs(),
        opds=pay_runs.opd_units(),
        month=month_text,
        errors=errors,
        chosen=chosen,
        form=request.form,
    ), 422


@bp.get("/run/<int:run_id>")
@login_required
def show(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    job_id = request.args.get("job", type=query_int)
    return render_run(run, job=_run_job(job_id, run.id) if job_id else None)


def render_run(run: PayrollRun, status: int = 200, job: Job | None = None, **extra):
    """The run page (also re-rendered with a form's error, e.g. a return without a reason)."""
    extra.setdefault("return_form", {})
    extra.setdefault("return_error", None)
    return render_template(
        "payroll/show.html",
        run=run,
        returns=workflow.returns_of(run),
        **extra,
        recap=outputs.recap(run),
        job=job,
        can_issue=access.can_issue_payroll_documents(current_user, run),
        issuers=paydocs.issuer_units() if run.is_final else [],
        slip_count=paydocs.slip_count(run) if run.is_final else 0,
        slip_subjects=len(paydocs.slip_subject_ids(run)) if run.is_final else 0,
        daftar_docs=paydocs.daftar_documents(run) if run.is_final else {},
        special_note=special.describe_run(run),
        excluded=special.excluded_for_page(run),
    ), status


RUN_JOB_KINDS = (access.PAYROLL_COMPUTE_JOB, access.BATCH_JOB)


def job_run_id(job: Job) -> int | None:
    """The payroll run a job works on (its computation or its slip batch); None for any other job."""
    params = job.params or {}
    return {access.PAYROLL_COMPUTE_JOB: params.get("run_id"), access.BATCH_JOB: params.get("payroll_run_id")}.get(
        job.kind
    )


def _of_a_run(job: Job) -> bool:
    return job_run_id(job) is not None


def _run_job(job_id: int, run_id: int) -> Job | None:
    """The run page's job (?job=): shown when the user may see it and it works on this run, else left out."""
    try:
        return job_pages.get_for_page(job_id, current_user, *RUN_JOB_KINDS, where=lambda job: job_run_id(job) == run_id)
    except NotFound:
        return None


@bp.get("/pekerjaan/<int:job_id>")
@login_required
def job_status(job_id: int):
    return job_pages.show(
        job_id,
        *RUN_JOB_KINDS,
        allowed=access.can_view_payroll(current_user),
        template="payroll/_job.html",
        where=_of_a_run,
    )


@bp.post("/pekerjaan/<int:job_id>/ulangi")
@login_required
def job_retry(job_id: int):
    """ "Ulangi" on a failed computation (one transaction: nothing of a killed run stays) or slip batch (the
    slips already issued are skipped)."""
    return job_pages.retry_view(
        job_id,
        *RUN_JOB_KINDS,
        allowed=access.can_view_payroll(current_user),
        where=_of_a_run,
        page=lambda job, new_id: url_for("payroll.show", run_id=job_run_id(job), job=new_id),
    )


def refuse_locked(run: PayrollRun):
    flash(
        f"Proses penggajian {run.title} berstatus {run.status.label} dan tidak dapat diubah lagi"
        + ("; koreksi hanya melalui proses kompensasi." if run.locked else "."),
        "error",
    )
    return redirect(url_for("payroll.show", run_id=run.id), 303)


def _run_to_change(run_id: int):
    """A run the maker is about to compute or delete: 404, 403 unless a maker, and (when it may no longer
    change) the response that says so."""
    run = run_or_404(run_id)
    access.require(access.can_prepare_payroll(current_user))
    return run, None if access.can_edit_run(current_user, run) else refuse_locked(run)


@bp.post("/run/<int:run_id>/hitung")
@login_required
def compute(run_id: int):
    run, locked = _run_to_change(run_id)
    if locked:
        return locked
    population = pay_runs.population_count(run)
    if population > pay_compute.INLINE_MAX:
        with attempt() as queued:  # the job is handed to the queue once this commit is over (outbox)
            job = enqueue(
                "payroll_compute", f"Menghitung {run.title}", {"run_id": run.id}, current_user.id, total=population
            )
        if not queued:
            return redirect(url_for("payroll.show", run_id=run.id), 303)
        return redirect(url_for("payroll.show", run_id=run.id, job=job.id), 303)
    refused: list[str] | None = None
    with attempt(flash_category=None) as done:
        try:
            pay_compute.compute_run(run, current_user)
        except months.PayrollRefused as e:
            refused = e.problems  # the whole list gets its own page
            raise
    if refused is not None:
        return render_template("payroll/refused.html", run=run, problems=refused), 422
    if not done:
        flash(done.message, "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    flash(f"{run.employee_count} pegawai dihitung. Periksa daftar varians sebelum verifikasi.", "success")
    return redirect(url_for("payroll.variance", run_id=run.id), 303)


@bp.get("/run/<int:run_id>/varians")
@login_required
def variance(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    items = pay_variance.variance(run) if not run.is_draft else []
    return render_template("payroll/variance.html", run=run, items=items)


_STEPS = {
    "verifikasi": ("verify", access.can_verify_run, "Proses penggajian diverifikasi."),
    "setujui": ("approve", access.can_approve_run, "Proses penggajian disetujui."),
    "final": ("finalise", access.can_finalise_run, None),  # paydocs.finalised_message says what it did
}


@bp.post("/run/<int:run_id>/<any(verifikasi, setujui, final):step>")
@login_required
def advance(run_id: int, step: str):
    run = run_or_404(run_id)
    name, allowed, done = _STEPS[step]
    access.require(access.can_view_payroll(current_user))
    if not allowed(current_user, run):
        reason = access.refusal_of_run_step(current_user, run, name)
        if reason:  # one of the run's makers (or its verifier): told why, nothing changes
            flash(reason, "error")
            return redirect(url_for("payroll.show", run_id=run.id), 303)
        abort(403)
    with attempt() as moved:
        changed = pay_runs.transition(run, name, current_user)
    if not moved:
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    if changed:
        may_issue = access.can_issue_payroll_documents(current_user, run)
        flash(done or paydocs.finalised_message(run, today_wib().year, may_issue), "success")
    else:
        flash(f"Tidak ada perubahan: proses penggajian sudah berstatus {run.status.label}.", "info")
    return redirect(url_for("payroll.show", run_id=run.id), 303)


@bp.post("/run/<int:run_id>/hapus")
@login_required
def delete(run_id: int):
    run, locked = _run_to_change(run_id)
    if locked:
        return locked
    with attempt() as done:
        pay_runs.delete_draft(run, current_user)
    if not done:
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    flash("Proses penggajian dihapus.", "success")
    return redirect(url_for("payroll.index"), 303)


@bp.post("/run/<int:run_id>/kompensasi")
@login_required
def compensate(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_prepare_payroll(current_user))
    with attempt() as done:
        new = pay_runs.create_run(
            run.month, None, current_user, RunKind.COMPENSATING, original=run, reason=request.form.get("reason", "")
        )
    if not done:
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    flash(f"Proses koreksi {new.title} dibuat dan merujuk proses penggajian #{run.id}.", "success")
    return redirect(url_for("payroll.show", run_id=new.id), 303)
