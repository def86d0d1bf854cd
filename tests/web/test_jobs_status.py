"""The one job-status page (/pekerjaan/<id>) and its "Ulangi": access through access.visible_jobs and
access.can_retry_job, the progress macro as an htmx fragment, and the shared view functions the areas' own job
pages go through (jobs/pages.py)."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from flask_login import login_user
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden, NotFound

from kinerja_web.extensions import db
from kinerja_web.jobs import pages
from kinerja_web.models import Job, JobStatus
from kinerja_web.services.development import suggestions as dev

from .referral_fixtures import *  # noqa: F403


def _failed_generation(ns) -> Job:
    job = Job(kind=dev.GENERATE_JOB, title="Usulan rujukan", params={"period_id": 0}, created_by_id=ns.u_hr.id)
    job.status, job.message = JobStatus.FAILED, "Periode tidak ditemukan."
    db.session.add(job)
    db.session.commit()
    return job


def test_the_status_page_shows_the_progress_and_polls_as_a_fragment(app, dev_world):
    job = _failed_generation(dev_world)
    hr = app.test_client(user=dev_world.u_hr)
    page = hr.get(f"/pekerjaan/{job.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in body
    assert f'id="job-{job.id}"' in body and "Periode tidak ditemukan." in body
    assert f'action="/pekerjaan/{job.id}/ulangi"' in body  # HR may start such work again
    fragment = hr.get(f"/pekerjaan/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and f'id="job-{job.id}"' in fragment


def test_a_job_the_user_may_not_see_is_not_found(app, dev_world):
    job = _failed_generation(dev_world)
    staff = app.test_client(user=dev_world.u_staff)
    assert staff.get(f"/pekerjaan/{job.id}").status_code == 404
    assert staff.post(f"/pekerjaan/{job.id}/ulangi").status_code == 404
    assert app.test_client().get(f"/pekerjaan/{job.id}").status_code == 302  # to the login page


def test_retry_starts_the_work_again_once_and_shows_the_new_job(app, dev_world):
    job = _failed_generation(dev_world)
    hr = app.test_client(user=dev_world.u_hr)
    page = hr.get(f"/pekerjaan/{job.id}").get_data(as_text=True)
    form = {"idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)}
    first = hr.post(f"/pekerjaan/{job.id}/ulangi", data=form)
    again = hr.post(f"/pekerjaan/{job.id}/ulangi", data=form)  # a double click
    assert first.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    new_id = int(first.headers["Location"].rsplit("/", 1)[1])
    new = db.session.get(Job, new_id)
    assert new.title == "Usulan rujukan (ulang)" and new.status == JobStatus.FAILED  # it ran inline, after commit
    assert db.session.scalar(select(func.count(Job.id))) == 2


def test_a_finished_job_is_not_retried(app, dev_world):
    job = _failed_generation(dev_world)
    job.status = JobStatus.DONE
    db.session.commit()
    r = app.test_client(user=dev_world.u_hr).post(f"/pekerjaan/{job.id}/ulangi")
    assert r.status_code == 303 and r.headers["Location"] == f"/pekerjaan/{job.id}"
    assert db.session.scalar(select(func.count(Job.id))) == 1


def test_an_area_page_goes_through_the_shared_view(app, dev_world):
    """What an area's job endpoint becomes: one call with its kind, its permission and its template."""
    job = _failed_generation(dev_world)
    with app.test_request_context():
        login_user(dev_world.u_hr)
        html = pages.show(job.id, dev.GENERATE_JOB, allowed=True, template="development/_job.html", reason_labels={})
        assert 'id="generate-job"' in html and "Periode tidak ditemukan." in html
        assert url_for("development.job_retry", job_id=job.id) in html
        with pytest.raises(NotFound):  # another kind, or a job the area's own check refuses
            pages.show(job.id, "dokumen_batch", template="development/_job.html")
        with pytest.raises(NotFound):
            pages.show(job.id, where=lambda j: False, template="development/_job.html")
        with pytest.raises(Forbidden):
            pages.show(job.id, allowed=False)
