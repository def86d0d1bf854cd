"""Background jobs on huey: SQLite storage in instance/ by default, Redis when REDIS_URL is set.

One generic task, `run_job(job_id)`, looks up the handler registered for the Job's kind and runs it in
an app context; the handler reports progress through the Job row that pages poll. Tests set
HUEY_IMMEDIATE so tasks run inline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)

JobHandler = Callable[[Job, "Progress"], dict | None]
HANDLERS: dict[str, JobHandler] = {}
# Areas register periodic huey tasks here (called with the app and its huey when the app is created).
PERIODIC_SETUPS: list[Callable[[Flask, object], None]] = []


def periodic_setup(fn: Callable[[Flask, object], None]) -> Callable[[Flask, object], None]:
    PERIODIC_SETUPS.append(fn)
    return fn


def handler(kind: str):
    """Register the function that performs jobs of `kind` (called at import of the area's services)."""

    def decorator(fn: JobHandler) -> JobHandler:
        HANDLERS[kind] = fn
        return fn

    return decorator


class Progress:
    """Writes progress to the Job row in its own short transaction, so the page sees it at once."""

    def __init__(self, job_id: int, every: int = 1):
        self.job_id = job_id
        self.every = max(1, every)

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        if done % self.every and (total is None or done != total):
            return
        values: dict = {"progress": done}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        stmt = Job.__table__.update().where(Job.__table__.c.id == self.job_id).values(**values)
        if current_app.config.get("HUEY_IMMEDIATE"):
            # Inline run (tests, no worker): nobody polls meanwhile, and a second connection would fight
            # the request's own transaction (SQLite) or not see the uncommitted Job row (PostgreSQL).
            db.session.execute(stmt)
            return
        with db.engine.begin() as conn:
            conn.execute(stmt)


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
    fn = HANDLERS.get(job.kind)
    if fn is None:
        job.status, job.message, job.finished_at = (
            JobStatus.FAILED,
            f"Jenis pekerjaan tidak dikenal: {job.kind}",
            utcnow(),
        )
        db.session.commit()
        return
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    db.session.commit()
    from .audit import acting_as

    try:
        with acting_as(job.created_by_id, "job"):
            result = fn(job, Progress(job.id, every=max(1, (job.total or 100) // 100)))
    except Exception as e:  # the job row must say it failed; the traceback goes to the log
        db.session.rollback()
        log.exception("Job %s (%s) failed", job_id, job.kind)
        job = db.session.get(Job, job_id)
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.message = getattr(e, "message", None) or f"Pekerjaan gagal: {e.__class__.__name__}: {e}"
        db.session.commit()
        return
    job = db.session.get(Job, job_id)
    job.status, job.finished_at = JobStatus.DONE, utcnow()
    if result is not None:
        job.result = result
    if job.total and job.progress < job.total:
        job.progress = job.total
    db.session.commit()


def enqueue(
    kind: str, title: str, params: dict, user_id: int | None, total: int = 0, idempotency_key: str | None = None
) -> Job:
    """Create the Job row, commit it, and hand its id to the queue.

    With an idempotency key (the submitted form's, `forms.submitted_idempotency_key`) the same form sent twice
    starts one job: the second call returns the first one's job, also when both requests arrive at the same
    moment (the unique key lets one row through; the other's commit fails and is rolled back).
    """
    earlier = job_with_key(idempotency_key)
    if earlier is not None:
        return earlier
    job = Job(
        kind=kind, title=title, params=params, created_by_id=user_id, total=total, idempotency_key=idempotency_key
    )
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = job_with_key(idempotency_key)
        if earlier is None:
            raise
        return earlier
    current_app.extensions["kinerja_run_job"](job.id)
    return job


def job_with_key(idempotency_key: str | None) -> Job | None:
    if idempotency_key is None:
        return None
    return db.session.scalar(select(Job).where(Job.idempotency_key == idempotency_key))


def init_app(app: Flask) -> None:
    huey = make_huey(app.config)
    app.extensions["huey"] = huey

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        if huey.immediate:
            execute(job_id)  # inline: we are already inside the request's app context
            return
        with app.app_context():
            execute(job_id)
            db.session.remove()

    app.extensions["kinerja_run_job"] = run_job
    for setup in PERIODIC_SETUPS:
        setup(app, huey)
