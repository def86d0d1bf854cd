"""Background jobs: progress reports that never wait on the job's own work, orphaned jobs (heartbeat) marked
failed with a retry, and the messages users see when a job fails.

The progress tests use an app like the worker's (jobs not inline) on a real database outside the test
transaction: a SQLite file, or the PostgreSQL test server (rows made there are deleted afterwards).
"""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kinerja_web import create_app
from kinerja_web.extensions import db
from kinerja_web.jobs import runner
from kinerja_web.models import Job, JobStatus, Referral, utcnow
from kinerja_web.services import jobs
from kinerja_web.services.development import suggestions as generation

from ..conftest import TEST_DATABASE_URL
from .referral_fixtures import *  # noqa: F403

POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


@pytest.fixture
def worker_app(app, tmp_path):
    """The worker's configuration: jobs run outside the request, progress may use a second connection."""
    if POSTGRES:  # a hang guard: without the fix a report would wait on the job's own row lock forever
        url, options = TEST_DATABASE_URL, {"connect_args": {"options": "-c lock_timeout=8000"}}
    else:
        url, options = f"sqlite:///{tmp_path / 'worker.sqlite3'}", {}
    wapp = create_app(
        {
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": options,
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
            "DATA_CACHE": False,
        }
    )
    with wapp.app_context():
        if not POSTGRES:
            db.create_all()
        try:
            yield wapp
        finally:
            db.session.rollback()
            db.session.execute(delete(Job).where(Job.kind.like("uji%")))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


def _new_job(kind: str = "uji", **kw) -> Job:
    job = Job(kind=kind, title="Uji", total=4, **kw)
    db.session.add(job)
    db.session.commit()
    return job


def _job_row(job_id: int):
    """The job as another connection (the page) sees it."""
    with Session(db.engine) as other:
        return other.execute(select(Job.progress, Job.message, Job.heartbeat_at).where(Job.id == job_id)).one()


def test_progress_is_seen_at_once_while_the_job_has_only_read(worker_app):
    job = _new_job()
    db.session.execute(select(Job.id)).all()
    jobs.Progress(job.id)(1, 4, "Membaca predikat kinerja")
    row = _job_row(job.id)  # before the job commits anything
    assert (row.progress, row.message) == (1, "Membaca predikat kinerja") and row.heartbeat_at is not None


@pytest.mark.parametrize("own_write", ["rows of its work", "its own job row"])
def test_progress_never_waits_on_the_jobs_own_uncommitted_write(worker_app, own_write):
    """SQLite: any write of the job holds the database's one write lock (generating referral suggestions failed
    with "database is locked" at step 3 of 4). PostgreSQL: a job that updated its own row holds that row."""
    job = _new_job()
    if own_write == "its own job row":
        job.message = "Menyimpan…"
    else:
        db.session.add(Job(kind="uji_hasil", title="Hasil kerja"))
    db.session.flush()
    started = time.monotonic()
    jobs.Progress(job.id)(4, 4, "2 usulan baru")
    assert time.monotonic() - started < 5
    db.session.commit()  # the report went with the job's own transaction
    row = _job_row(job.id)
    assert (row.progress, row.message) == (4, "2 usulan baru") and row.heartbeat_at is not None


def test_the_worker_stamps_the_heartbeat_of_a_long_step_without_progress_reports(worker_app, monkeypatch):
    monkeypatch.setitem(worker_app.config, "JOB_STALE_SECONDS", 0.5)  # a stamp every 0.1 s

    def long_step(job, progress):
        time.sleep(1.2)  # no progress report for longer than the stale window
        with Session(db.engine) as page:
            seen = page.get(Job, job.id)
            return {"orphaned": jobs.is_orphaned(seen), "beat": seen.heartbeat_at > seen.started_at}

    monkeypatch.setitem(worker_app.extensions["kinerja_job_handlers"], "uji_lama", long_step)
    job = _new_job("uji_lama")
    runner.execute(job.id)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.DONE, job.message
    assert job.result == {"orphaned": False, "beat": True}


# --- orphaned jobs ------------------------------------------------------------------------------------------
# A job whose worker stopped is first handed to another worker (JOB_MAX_RESUMES times); the tests of what follows
# when that is used up (failed, "Ulangi") set it to 0.


@pytest.fixture
def no_resume(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_MAX_RESUMES", 0)


def test_a_job_whose_worker_stopped_is_finished_by_another_worker_under_its_own_id(app, dev_world):
    job = _running(dev_world, minutes_ago=10)
    page = _hr(app, dev_world).get(f"/pengembangan/antrean/pekerjaan/{job.id}").get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.DONE and job.resumed == 1, job.message  # run again (inline in tests)
    assert "Gagal" not in page and "Ulangi" not in page
    assert db.session.scalar(select(func.count(Job.id))) == 1  # the same job, not a new one
    created = db.session.scalar(select(func.count(Referral.id)))
    assert created > 0 and created == sum(job.result["created"].values())


def test_a_job_is_resumed_at_most_job_max_resumes_times_then_failed(app, dev_world, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_MAX_RESUMES", 1)
    job = _running(dev_world, minutes_ago=10)
    job.resumed = 1  # already handed on once
    db.session.commit()
    assert jobs.recover_orphaned() == (0, 1)
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.message == jobs.STALE_MESSAGE


def _hr(app, ns):
    return app.test_client(user=ns.u_hr)


def _running(ns, minutes_ago: float) -> Job:
    """A generation job that a worker started; its last heartbeat was `minutes_ago`."""
    beat = utcnow() - timedelta(minutes=minutes_ago)
    job = Job(
        kind=generation.GENERATE_JOB,
        title="Usulan rujukan pengembangan Tahun 2026",
        params={"period_id": ns.period.id, "today": "2026-10-01"},
        created_by_id=ns.u_hr.id,
        status=JobStatus.RUNNING,
        progress=1,
        total=4,
        message="Membaca predikat kinerja",
        started_at=beat,
        heartbeat_at=beat,
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_a_running_job_whose_worker_stopped_is_shown_failed_with_a_retry(app, dev_world, no_resume):
    job = _running(dev_world, minutes_ago=10)
    page = _hr(app, dev_world).get(f"/pengembangan/antrean/pekerjaan/{job.id}").get_data(as_text=True)
    assert "Gagal" in page and "Pekerjaan terhenti (proses pekerja berhenti). Silakan ulangi." in page
    assert "Ulangi" in page and "hx-get" not in page  # no more polling
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.finished_at is not None and job.progress == 1


def test_a_running_job_with_a_recent_heartbeat_keeps_running(app, dev_world):
    job = _running(dev_world, minutes_ago=1)
    page = _hr(app, dev_world).get(f"/pengembangan/antrean?pekerjaan={job.id}").get_data(as_text=True)
    assert "Berjalan" in page and "Ulangi" not in page and "hx-get" in page
    db.session.refresh(job)
    assert job.status == JobStatus.RUNNING


def test_the_stale_window_is_configurable(app, dev_world, no_resume, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_STALE_SECONDS", 30)
    job = _running(dev_world, minutes_ago=1)
    page = _hr(app, dev_world).get(f"/pengembangan/antrean?pekerjaan={job.id}").get_data(as_text=True)
    assert "Pekerjaan terhenti" in page and "Ulangi" in page


def test_the_periodic_check_marks_only_running_jobs_without_a_heartbeat(app, dev_world, no_resume):
    stale, fresh = _running(dev_world, minutes_ago=10), _running(dev_world, minutes_ago=1)
    queued = Job(kind=generation.GENERATE_JOB, title="Menunggu", created_at=utcnow() - timedelta(hours=1))
    db.session.add(queued)
    db.session.commit()
    assert jobs.fail_orphaned() == 1
    db.session.expire_all()
    assert [db.session.get(Job, j.id).status for j in (stale, fresh, queued)] == [
        JobStatus.FAILED,
        JobStatus.RUNNING,
        JobStatus.QUEUED,
    ]
    assert db.session.get(Job, stale.id).message == jobs.STALE_MESSAGE


def test_retry_runs_the_same_work_again(app, dev_world, no_resume):
    job = _running(dev_world, minutes_ago=10)
    hr = _hr(app, dev_world)
    hr.get(f"/pengembangan/antrean/pekerjaan/{job.id}")  # the page marks it failed
    r = hr.post(f"/pengembangan/antrean/pekerjaan/{job.id}/ulangi")
    assert r.status_code == 303
    new = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert r.headers["Location"].endswith(f"/pengembangan/antrean?pekerjaan={new.id}")
    assert (new.kind, new.params, new.created_by_id) == (job.kind, job.params, dev_world.u_hr.id)
    assert new.title == "Usulan rujukan pengembangan Tahun 2026 (ulang)"
    assert new.status == JobStatus.DONE, new.message
    created = db.session.scalar(select(func.count(Referral.id)))
    assert created > 0 and created == sum(new.result["created"].values())
    page = hr.get(r.headers["Location"]).get_data(as_text=True)
    assert "Usulan baru" in page


def test_the_same_retry_form_sent_twice_starts_one_job(app, dev_world, no_resume):
    job = _running(dev_world, minutes_ago=10)
    hr = _hr(app, dev_world)
    page = hr.get(f"/pengembangan/antrean/pekerjaan/{job.id}").get_data(as_text=True)  # marks it failed
    token = {"idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)}
    first = hr.post(f"/pengembangan/antrean/pekerjaan/{job.id}/ulangi", data=token)
    second = hr.post(f"/pengembangan/antrean/pekerjaan/{job.id}/ulangi", data=token)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Job.id))) == 2  # the failed job and one retry


def test_a_job_that_did_not_fail_is_not_run_again(app, dev_world):
    job = _running(dev_world, minutes_ago=1)
    r = _hr(app, dev_world).post(f"/pengembangan/antrean/pekerjaan/{job.id}/ulangi", follow_redirects=True)
    assert "Hanya pekerjaan yang gagal yang dapat diulang." in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 1


# --- what a failed job tells its user ----------------------------------------------------------------------

SQL_WITH_PAY = "UPDATE payroll_line SET amount=? WHERE employee_id=?"


def test_a_system_error_shows_a_short_message_and_the_detail_goes_to_the_log(app, dev_world, monkeypatch, caplog):
    def fails(job, progress):
        raise OperationalError(SQL_WITH_PAY, (4250000, 17), Exception("database is locked"))

    monkeypatch.setitem(app.extensions["kinerja_job_handlers"], generation.GENERATE_JOB, fails)
    hr = _hr(app, dev_world)
    with caplog.at_level(logging.ERROR, logger="kinerja_web.jobs"):
        r = hr.post("/pengembangan/antrean/buat", data={"period_id": dev_world.period.id})
    job = db.session.scalars(select(Job)).one()
    assert job.status == JobStatus.FAILED
    expected = f"Pekerjaan gagal karena kesalahan sistem. Rincian dicatat di log server (kode: {job.id})."
    assert job.message == expected
    for url in (r.headers["Location"], f"/pengembangan/antrean/pekerjaan/{job.id}"):
        page = hr.get(url).get_data(as_text=True)
        assert expected in page and "payroll_line" not in page and "4250000" not in page
    assert SQL_WITH_PAY in caplog.text and "4250000" in caplog.text and f"Job {job.id}" in caplog.text


def test_a_domain_error_is_shown_as_it_is(app, dev_world):
    job = jobs.enqueue(generation.GENERATE_JOB, "Uji", {"period_id": 999999, "today": "2026-10-01"}, dev_world.u_hr.id)
    db.session.commit()  # the job runs (inline in the tests) once its row is committed
    assert (job.status, job.message) == (JobStatus.FAILED, "Periode tidak ditemukan.")
    page = _hr(app, dev_world).get(f"/pengembangan/antrean/pekerjaan/{job.id}").get_data(as_text=True)
    assert "Periode tidak ditemukan." in page


def test_a_raw_error_stored_before_is_not_shown(app, dev_world):
    raw = (
        "Pekerjaan gagal: IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed\n"
        f"[SQL: {SQL_WITH_PAY}]\n[parameters: (4250000, 17)]"
    )
    job = Job(kind=generation.GENERATE_JOB, title="Lama", status=JobStatus.FAILED, message=raw, created_by_id=None)
    db.session.add(job)
    db.session.commit()
    page = _hr(app, dev_world).get(f"/pengembangan/antrean/pekerjaan/{job.id}").get_data(as_text=True)
    assert f"(kode: {job.id})" in page and "payroll_line" not in page and "4250000" not in page
