"""One job-status page for every kind of background job: /pekerjaan/<id> (htmx polls its fragment) and "Ulangi".

Who may see a job is `access.visible_jobs`; who may start it again, `access.can_retry_job`. The areas' own job
pages go through the same functions (`jobs.pages.show` / `jobs.pages.retry_view`) with their template.
"""

from __future__ import annotations

from flask import url_for
from flask_login import login_required

from ...jobs import pages
from ...web import form_targets_answer_get
from . import bp


@bp.get("/<int:job_id>")
@login_required
def status(job_id: int):
    return pages.show(job_id, template="jobs/status.html", block="job")


@bp.post("/<int:job_id>/ulangi")
@login_required
def retry(job_id: int):
    return pages.retry_view(job_id)


# A reload of "Ulangi"'s address lands on the job's page (web.form_targets_answer_get).
form_targets_answer_get(bp, {"retry": lambda job_id: url_for("jobs.status", job_id=job_id)})
