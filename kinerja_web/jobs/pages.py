"""A job's page: load it for a user (404 unless visible, orphans resumed or marked failed) and its "Ulangi" button.

Used by the job-status blueprint (`blueprints/jobs`, /pekerjaan/<id>) and by the areas' own job pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from .. import access, htmx
from ..domain import DomainError
from ..extensions import db
from ..forms import submitted_idempotency_key
from ..models.job import Job
from ..services.documents import batch_outputs
from ..services.jobs import check_orphaned, retry


def get_for_page(job_id: int, user, *kinds: str, where: Callable[[Job], bool] | None = None) -> Job:
    """A job for its page: 404 unless the user may see it (access.visible_jobs), it is of one of `kinds` (any kind
    when none is named) and `where(job)` holds when given; an orphaned job is resumed (or marked failed) first."""
    job = access.get_visible_or_404(Job, job_id, user)
    if (kinds and job.kind not in kinds) or (where is not None and not where(job)):
        abort(404)
    return check_orphaned(job)


def retry_from_page(
    job: Job, user, page: Callable[[int], str], start: Callable[[Job, object, str | None], Job] | None = None
):
    """The "Ulangi" button of a job page: 403 unless the user may start such work; then the new job's page.

    `start(job, user, key)` starts the work again when the area has its own way (a rating lock's job re-runs
    for its lock); by default the failed job is enqueued again (`services.jobs.retry`). A `DomainError` from it
    (nothing written) is shown on the old job's page."""
    access.require(access.can_retry_job(user, job))
    try:  # the page's form token: a double click on "Ulangi" starts one job
        key = submitted_idempotency_key(f"ulang:{job.id}")
        new = start(job, user, key) if start is not None else retry(job, user.id, key)
        db.session.commit()
    except DomainError as e:  # raised before anything was written
        flash(e.message, "info")
        return redirect(page(job.id), 303)
    return redirect(page(new.id), 303)


def show(
    job_id: int,
    *kinds: str,
    allowed: bool = True,
    template: str = "jobs/status.html",
    block: str | None = None,
    where: Callable[[Job], bool] | None = None,
    context: Callable[[Job], dict] | None = None,
    **extra,
):
    """The one job-status view: 403 unless `allowed`; the job (404 unless visible, of one of `kinds`, and
    `where(job)` when given); rendered with `template` (only its `block` for an htmx poll when given), with `job`,
    the `extra` values and `context(job)`."""
    access.require(allowed)
    job = get_for_page(job_id, current_user, *kinds, where=where)
    ctx = {"job": job, **extra, **(context(job) if context else {})}
    return htmx.render(template, block, **ctx) if block else render_template(template, **ctx)


def retry_view(
    job_id: int,
    *kinds: str,
    allowed: bool = True,
    where: Callable[[Job], bool] | None = None,
    page: Callable[[Job, int], str] | None = None,
    start: Callable[[Job, object, str | None], Job] | None = None,
):
    """The one "Ulangi" view: 403 unless `allowed`; the job as `show` loads it; its retry (403 unless
    access.can_retry_job; `start` as in `retry_from_page`), then the page `page(job, job id)` (the shared status
    page by default) of the new job, or of the old one when it cannot be retried."""
    access.require(allowed)
    job = get_for_page(job_id, current_user, *kinds, where=where)
    if page is None:
        return retry_from_page(job, current_user, lambda i: url_for("jobs.status", job_id=i), start)
    return retry_from_page(job, current_user, lambda i: page(job, i), start)


def batch_file(job: Job, kind: str, part: int, name: str):
    """A finished batch job's merged PDF (part `part`) or ZIP of single files (documents.batch_outputs), as the
    download `name`[-bagian-<part>].<kind>; 404 unless the job succeeded and the part exists."""
    if part < 1 or not job.succeeded:
        abort(404)
    batch_outputs.ensure_outputs(job.id)  # built by a worker on another host: rebuilt here from the database
    merged, zipped = batch_outputs.batch_files(job.id, part)
    path = merged if kind == "pdf" else zipped
    if not os.path.exists(path):
        abort(404)
    name += f"-bagian-{part}" if part > 1 else ""
    return send_file(path, as_attachment=True, download_name=f"{name}.{kind}")
