"""Background jobs on huey: SQLite storage in instance/ by default, Redis when REDIS_URL is set.

One generic task, `run_job(job_id)`, looks up the handler registered for the Job's kind and runs it in
an app context; the handler reports progress through the Job row that pages poll. Tests set
HUEY_IMMEDIATE so tasks run inline.

While a job runs, the worker stamps the row's heartbeat; a running job whose heartbeat is older than
JOB_STALE_SECONDS lost its worker (killed, machine restarted) and is marked failed, by its page and by a
periodic task, with "Ulangi" for whoever may start such work. A failed job tells its user a DomainError's
message, or a short system-error message with the job id; the traceback goes to the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flask import Flask, abort, current_app, flash, redirect
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .domain import DomainError
from .extensions import db
from .forms import submitted_idempotency_key
from .models import Job, JobStatus, utcnow
from .models.job import SYSTEM_ERROR_MESSAGE

log = logging.getLogger(__name__)

STALE_MESSAGE = "Pekerjaan terhenti (proses pekerja berhenti). Silakan ulangi."
RETRY_SUFFIX = " (ulang)"

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
    """Reports progress (and the heartbeat) on the Job row; never waits on the job's own work, never fails it.

    A report is normally a short transaction of its own on a second connection, so the page sees it at once while
    the job's transaction is still open. Where that connection would wait on a lock the job itself holds, the
    report joins the job's transaction instead and becomes visible when the job commits:
    - SQLite has one writer: once the job's session has written (pysqlite opens its transaction at the first
      write), a second connection would wait for the job's own lock until the busy timeout ("database is
      locked" at step 3 of 4 of generating referral suggestions, which then failed);
    - PostgreSQL locks rows: only a job that updated its own Job row holds it; the second connection gives up
      after a short lock_timeout and the report goes through the job's session.
    A report that another process keeps from the SQLite lock past the busy timeout is dropped (the next one
    comes soon). Inline runs (HUEY_IMMEDIATE: tests, no worker) always use the job's session.
    """

    def __init__(self, job_id: int, every: int = 1):
        self.job_id = job_id
        self.every = max(1, every)

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        if done % self.every and (total is None or done != total):
            return
        values: dict = {"progress": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        stmt = update(Job.__table__).where(Job.__table__.c.id == self.job_id).values(**values)
        if current_app.config.get("HUEY_IMMEDIATE") or _holds_sqlite_write_lock():
            db.session.execute(stmt)
        elif not _write_apart(db.engine, stmt) and db.engine.dialect.name != "sqlite":
            db.session.execute(stmt)  # PostgreSQL: most likely our own transaction holds the row


def _holds_sqlite_write_lock() -> bool:
    """True when the job's session has written on SQLite and not committed yet (its connection holds the lock)."""
    session = db.session()
    if not session.in_transaction():
        return False
    conn = session.connection()
    return conn.dialect.name == "sqlite" and conn.connection.dbapi_connection.in_transaction


def _write_apart(engine, stmt) -> bool:
    """Run `stmt` in a short transaction on a connection of its own; False when a lock kept it from running."""
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            conn.execute(stmt)
    except OperationalError as e:
        log.info("Job row not updated (locked): %s", e.__class__.__name__)
        return False
    return True


def stale_seconds() -> float:
    return float(current_app.config.get("JOB_STALE_SECONDS", 300))


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
            _write_apart(engine, stmt.values(heartbeat_at=utcnow()))

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def is_orphaned(job: Job, now: datetime | None = None) -> bool:
    """A running job whose worker has not stamped it for the stale window (killed, or the machine restarted)."""
    beat = job.heartbeat_at or job.started_at
    if job.status != JobStatus.RUNNING or beat is None:
        return False
    if beat.tzinfo is None:  # SQLite returns naive UTC datetimes
        beat = beat.replace(tzinfo=UTC)
    return beat < (now or utcnow()) - timedelta(seconds=stale_seconds())


def fail_orphaned(job_id: int | None = None) -> int:
    """Mark orphaned jobs (one, or all) failed with a message that offers a retry; commits. Returns how many.

    One conditional UPDATE, so a worker that stamps the job meanwhile wins. PostgreSQL skips a job row locked by
    a live transaction; on SQLite a write lock held past the busy timeout means a live writer, so nothing
    is marked then either.
    """
    now = utcnow()
    t = Job.__table__
    stale = select(t.c.id).where(
        t.c.status == JobStatus.RUNNING,
        func.coalesce(t.c.heartbeat_at, t.c.started_at) < now - timedelta(seconds=stale_seconds()),
    )
    if job_id is not None:
        stale = stale.where(t.c.id == job_id)
    stmt = (
        update(t)
        .where(t.c.id.in_(stale.with_for_update(skip_locked=True)))
        .values(status=JobStatus.FAILED, message=STALE_MESSAGE, finished_at=now)
    )
    try:
        marked = db.session.execute(stmt).rowcount
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        return 0
    if marked:
        log.warning("Marked %d orphaned job(s) failed (no heartbeat for %s s)", marked, stale_seconds())
    return marked


def check_orphaned(job: Job) -> Job:
    """The job as a page should show it: an orphaned job is marked failed first (reads only otherwise)."""
    if is_orphaned(job) and fail_orphaned(job.id):
        db.session.refresh(job)
    return job


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
    job.heartbeat_at = job.started_at
    db.session.commit()
    from .audit import acting_as

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


def get_for_page(job_id: int, user, *kinds: str) -> Job:
    """A job for its page: 404 unless the user may see it (access.visible_jobs) and it is of one of `kinds`;
    an orphaned job is marked failed first."""
    from . import access

    job = access.get_visible_or_404(Job, job_id, user)
    if job.kind not in kinds:
        abort(404)
    return check_orphaned(job)


def retry_from_page(job: Job, user, page: Callable[[int], str]):
    """The "Ulangi" button of a job page: 403 unless the user may start such work; then the new job's page."""
    from . import access

    access.require(access.can_retry_job(user, job))
    try:  # the page's form token: a double click on "Ulangi" starts one job
        new = retry(job, user.id, submitted_idempotency_key(f"ulang:{job.id}"))
    except DomainError as e:
        flash(e.message, "info")
        return redirect(page(job.id), 303)
    return redirect(page(new.id), 303)


def retry(job: Job, user_id: int | None, idempotency_key: str | None = None) -> Job:
    """Enqueue a failed job's work again: same kind, same parameters, started by `user_id`.

    Every job is safe to run again: referral suggestions and rating-lock documents skip what exists (one key
    per trigger / document), an employee import and a payroll computation are one transaction each (a killed
    worker leaves nothing behind), and a documents batch adopts the numbered rows of the earlier run and renders
    only what is still pending.
    """
    if job.status != JobStatus.FAILED:
        raise DomainError("Hanya pekerjaan yang gagal yang dapat diulang.")
    title = job.title if job.title.endswith(RETRY_SUFFIX) else job.title[: 200 - len(RETRY_SUFFIX)] + RETRY_SUFFIX
    return enqueue(job.kind, title, dict(job.params or {}), user_id, total=job.total, idempotency_key=idempotency_key)


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

    @huey.periodic_task(crontab(), name="pekerjaan_terhenti")  # every minute
    def fail_orphaned_jobs() -> None:
        with app.app_context():
            fail_orphaned()
            db.session.remove()

    for setup in PERIODIC_SETUPS:
        setup(app, huey)
