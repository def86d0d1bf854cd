"""Background jobs on huey: SQLite storage in instance/ by default, Redis when REDIS_URL is set.

One generic task, `run_job(job_id)`, looks up the handler that `registry.handlers()` lists for the Job's kind and
runs it in an app context; the handler reports progress through the Job row that pages poll. A second task,
`send_mail`, delivers an e-mail that a committed transaction released (services/notifications/mail.py). Tests set
HUEY_IMMEDIATE so tasks run inline, right after the commit that released them (kinerja_web/outbox.py).

A failed job tells its user a DomainError's message, or a short system-error message with the job id; the
traceback goes to the log. Jobs and periodic tasks run in an app context without a request: `url_for` builds
links from SERVER_NAME / APPLICATION_ROOT / PREFERRED_URL_SCHEME (config.py); outside a request url_for defaults to absolute links, so pass _external=False.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import update

from ..audit import acting_as
from ..domain import DomainError
from ..extensions import db
from ..models.base import utcnow
from ..models.job import SYSTEM_ERROR_MESSAGE, Job, JobStatus
from ..services.jobs import Progress, recover_orphaned, stale_seconds, write_apart
from ..services.notifications import mail
from . import registry

log = logging.getLogger("kinerja_web.jobs")


@contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    """While a job runs in a worker, a thread stamps its heartbeat every fifth of the stale window through a
    connection of its own, so a long step without progress reports is not taken for a dead worker. Stamps
    that a lock holds up are skipped (the job that holds it is alive and its own reports stamp it)."""
    if current_app.config.get("HUEY_IMMEDIATE"):
        yield
        return
    engine, interval, stop = db.engine, stale_seconds() / 5, threading.Event()
    t = Job.__table__

    def beat() -> None:
        while not stop.wait(interval):
            stmt = update(t).where(t.c.id == job_id, t.c.status == JobStatus.RUNNING)
            write_apart(engine, stmt.values(heartbeat_at=utcnow()))

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def make_huey(config) -> object:
    name = "kinerja"
    if config.get("HUEY_IMMEDIATE"):
        return MemoryHuey(name, immediate=True)
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"])
    return SqliteHuey(name, filename=config["HUEY_SQLITE_PATH"])


def execute(job_id: int) -> None:
    """Run one job by id. Idempotent: a job that already finished is not run again."""
    job = db.session.get(Job, job_id)
    if job is None or job.finished:
        return
    fn = current_app.extensions["kinerja_job_handlers"].get(job.kind)
    if fn is None:
        job.status, job.message, job.finished_at = (
            JobStatus.FAILED,
            f"Jenis pekerjaan tidak dikenal: {job.kind}",
            utcnow(),
        )
        db.session.commit()
        return
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    job.heartbeat_at = job.started_at
    db.session.commit()

    with _heartbeat(job_id):  # stopped after the last commit: it never waits on a lock this job still holds
        try:
            with acting_as(job.created_by_id, "job"):
                result = fn(job, Progress(job.id, every=max(1, (job.total or 100) // 100)))
        except Exception as e:  # the job row must say it failed; the traceback (SQL included) goes to the log
            db.session.rollback()
            log.exception("Job %s (%s) failed", job_id, job.kind)
            job = db.session.get(Job, job_id)
            job.status, job.finished_at = JobStatus.FAILED, utcnow()
            job.message = e.message if isinstance(e, DomainError) else SYSTEM_ERROR_MESSAGE.format(job_id=job_id)
            db.session.commit()
            return
        job = db.session.get(Job, job_id)
        job.status, job.finished_at = JobStatus.DONE, utcnow()
        if result is not None:
            job.result = result
        if job.total and job.progress < job.total:
            job.progress = job.total
        db.session.commit()


def init_app(app: Flask) -> None:
    huey = make_huey(app.config)
    app.extensions["huey"] = huey
    app.extensions["kinerja_job_handlers"] = registry.handlers()

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        if huey.immediate:
            execute(job_id)  # inline: we are already inside the app context that committed
            return
        with app.app_context():
            execute(job_id)
            db.session.remove()

    app.extensions["kinerja_run_job"] = run_job

    @huey.task(name="send_mail")
    def send_mail(address: str, subject: str, body: str) -> None:
        if huey.immediate:
            mail.deliver(current_app.config, address, subject, body)
            return
        with app.app_context():
            mail.deliver(app.config, address, subject, body)

    app.extensions["kinerja_send_mail"] = send_mail

    @huey.periodic_task(crontab(), name="pekerjaan_terhenti")  # every minute
    def recover_orphaned_jobs() -> None:
        with app.app_context():
            recover_orphaned()
            db.session.remove()

    for setup in registry.periodic_tasks():
        setup(app, huey)
