"""A job's page: load it for a user (404 unless visible, orphans marked failed) and its "Ulangi" button.

Used by the job-status blueprint (`blueprints/jobs`, /pekerjaan/<id>) and by the areas' own job pages.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import access, htmx
from ..domain import DomainError
from ..extensions import db
from ..forms import submitted_idempotency_key
from ..models.job import Job
from ..services.jobs import check_orphaned, retry


def get_for_page(job_id: int, user, *kinds: str, where: Callable[[Job], bool] | None = None) -> Job:
    """A job for its page: 404 unless the user may see it (access.visible_jobs), it is of one of `kinds` (any kind
    when none is named) and `where(job)` holds when given; an orphaned job is marked failed first."""
    job = access.get_visible_or_404(Job, job_id, user)
    if (kinds and job.kind not in kinds) or (where is not None and not where(job)):
        abort(404)
    return check_orphaned(job)


def retry_from_page(
    job: Job,
    user,
    page: Callable[[int], str],
    again: Callable[[Job, int, str | None], Job] | None = None,
    running: str = "Pekerjaan ini masih berjalan.",
):
    """The "Ulangi" button of a job page: 403 unless the user may start such work; then the new job's page.

    `again(job, user id, idempotency key)` is an area's own way to run a *finished* job again (e.g. a documents
    batch re-run to pick up what failed); by default only a failed job is retried (services.jobs.retry). A job
    still running under `again` leads back to its page with the `running` message."""
    access.require(access.can_retry_job(user, job))
    if again is not None and not job.finished:
        flash(running, "info")
        return redirect(page(job.id), 303)
    try:  # the page's form token: a double click on "Ulangi" starts one job
        new = (again or retry)(job, user.id, submitted_idempotency_key(f"ulang:{job.id}"))
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
    again: Callable[[Job, int, str | None], Job] | None = None,
    running: str = "Pekerjaan ini masih berjalan.",
):
    """The one "Ulangi" view: 403 unless `allowed`; the job as `show` loads it; its retry (403 unless
    access.can_retry_job; `again` and `running` as in `retry_from_page`), then the page `page(job, job id)` (the
    shared status page by default) of the new job, or of the old one when it cannot be retried."""
    access.require(allowed)
    job = get_for_page(job_id, current_user, *kinds, where=where)
    if page is None:
        return retry_from_page(job, current_user, lambda i: url_for("jobs.status", job_id=i), again, running)
    return retry_from_page(job, current_user, lambda i: page(job, i), again, running)
