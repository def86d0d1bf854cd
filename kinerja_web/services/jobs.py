"""Job rows: what an area needs to start background work and report its progress.

`enqueue` adds the Job row and queues its hand-off to huey for after the caller's commit (kinerja_web/outbox.py):
it never commits, so a rolled-back action starts nothing. `Progress` is what a job handler reports through. The
runner (huey, the registry of job kinds, the periodic tasks) is `kinerja_web/jobs/`.

While a job runs, the worker stamps the row's heartbeat; a running job whose heartbeat is older than
JOB_STALE_SECONDS lost its worker (killed, machine restarted): its page and a periodic task hand it to the queue
again, so a worker on any host finishes it (JOB_MAX_RESUMES times at most); after that it is marked failed, with
"Ulangi" for whoever may start such work.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import outbox
from ..domain import DomainError
from ..extensions import db
from ..models.base import utcnow
from ..models.job import Job, JobStatus

log = logging.getLogger("kinerja_web.jobs")

STALE_MESSAGE = "Pekerjaan terhenti (proses pekerja berhenti). Silakan ulangi."
RESUMED_MESSAGE = "Proses pekerja sebelumnya berhenti; pekerjaan dilanjutkan oleh pekerja lain."
RETRY_SUFFIX = " (ulang)"


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
        elif not write_apart(db.engine, stmt) and db.engine.dialect.name != "sqlite":
            db.session.execute(stmt)  # PostgreSQL: most likely our own transaction holds the row


def _holds_sqlite_write_lock() -> bool:
    """True when the job's session has written on SQLite and not committed yet (its connection holds the lock)."""
    session = db.session()
    if not session.in_transaction():
        return False
    conn = session.connection()
    return conn.dialect.name == "sqlite" and conn.connection.dbapi_connection.in_transaction


def write_apart(engine, stmt) -> bool:
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


def is_orphaned(job: Job, now: datetime | None = None) -> bool:
    """A running job whose worker has not stamped it for the stale window (killed, or the machine restarted)."""
    beat = job.heartbeat_at or job.started_at
    if job.status != JobStatus.RUNNING or beat is None:
        return False
    if beat.tzinfo is None:  # SQLite returns naive UTC datetimes
        beat = beat.replace(tzinfo=UTC)
    return beat < (now or utcnow()) - timedelta(seconds=stale_seconds())


def max_resumes() -> int:
    return int(current_app.config.get("JOB_MAX_RESUMES", 2))


def recover_orphaned(job_id: int | None = None) -> tuple[int, int]:
    """Orphaned jobs (one, or all): handed to the queue again while they have resumptions left, so a worker on
    any host finishes them; after that marked failed with a message that offers a retry. Commits. Returns
    (resumed, failed).

    Every job kind is safe to run again under its own id (see `retry`): a documents batch adopts the numbered rows
    its stopped run left pending and renders only those (no number twice, none skipped), an import or a payroll
    computation is one transaction that the stopped worker left undone, and referral suggestions and rating-lock
    documents skip what exists. Conditional UPDATEs, so a worker that stamps the job meanwhile wins; PostgreSQL
    skips a job row locked by a live transaction, and on SQLite a write lock held past the busy timeout means a
    live writer, so nothing is touched then either.
    """
    now = utcnow()
    t = Job.__table__
    stale = select(t.c.id).where(
        t.c.status == JobStatus.RUNNING,
        func.coalesce(t.c.heartbeat_at, t.c.started_at) < now - timedelta(seconds=stale_seconds()),
    )
    if job_id is not None:
        stale = stale.where(t.c.id == job_id)
    resume = (
        update(t)
        .where(t.c.id.in_(stale.where(t.c.resumed < max_resumes()).with_for_update(skip_locked=True)))
        .values(status=JobStatus.QUEUED, resumed=t.c.resumed + 1, message=RESUMED_MESSAGE, heartbeat_at=None)
        .returning(t.c.id)
    )
    fail = (
        update(t)
        .where(t.c.id.in_(stale.with_for_update(skip_locked=True)))
        .values(status=JobStatus.FAILED, message=STALE_MESSAGE, finished_at=now)
    )
    try:
        resumed = list(db.session.execute(resume).scalars())
        for jid in resumed:
            _hand_off_id(jid)
        failed = db.session.execute(fail).rowcount
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        return 0, 0
    if resumed:
        log.warning("Resumed %d orphaned job(s) on another worker: %s", len(resumed), resumed)
    if failed:
        log.warning("Marked %d orphaned job(s) failed (no heartbeat for %s s)", failed, stale_seconds())
    return len(resumed), failed


def fail_orphaned(job_id: int | None = None) -> int:
    """How many orphaned jobs were marked failed by `recover_orphaned` (those resumed are not counted)."""
    return recover_orphaned(job_id)[1]


def check_orphaned(job: Job) -> Job:
    """The job as a page should show it: an orphaned job is resumed or marked failed first (reads only otherwise)."""
    if is_orphaned(job) and any(recover_orphaned(job.id)):
        db.session.refresh(job)
    return job


def enqueue(
    kind: str, title: str, params: dict, user_id: int | None, total: int = 0, idempotency_key: str | None = None
) -> Job:
    """Add the Job row (flushed, for its id) and hand it to the queue once the caller commits. Never commits.

    With an idempotency key (the submitted form's, `forms.submitted_idempotency_key`) the same form sent twice
    starts one job: the second call returns the first one's job, also when both requests arrive at the same
    moment (the unique key lets one row through; the other's savepoint fails and the first one's row is returned).
    """
    earlier = job_with_key(idempotency_key)
    if earlier is not None:
        return earlier
    job = Job(
        kind=kind, title=title, params=params, created_by_id=user_id, total=total, idempotency_key=idempotency_key
    )
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:
        earlier = job_with_key(idempotency_key)
        if earlier is None:
            raise
        return earlier
    hand_off(job)
    return job


def hand_off(job: Job) -> None:
    """Queue the job's run for after the caller's commit (dropped if the transaction rolls back)."""
    _hand_off_id(job.id)


def _hand_off_id(job_id: int) -> None:
    run_job = current_app.extensions["kinerja_run_job"]
    outbox.record(lambda: run_job(job_id))


def job_with_key(idempotency_key: str | None) -> Job | None:
    if idempotency_key is None:
        return None
    return db.session.scalar(select(Job).where(Job.idempotency_key == idempotency_key))


def retry(job: Job, user_id: int | None, idempotency_key: str | None = None) -> Job:
    """Enqueue a failed job's work again: same kind, same parameters, started by `user_id` (the caller commits).

    Every job is safe to run again: referral suggestions and rating-lock documents skip what exists (one key
    per trigger / document), an employee import and a payroll computation are one transaction each (a killed
    worker leaves nothing behind), and a documents batch adopts the numbered rows of the earlier run and renders
    only what is still pending.
    """
    if job.status != JobStatus.FAILED:
        raise DomainError("Hanya pekerjaan yang gagal yang dapat diulang.")
    title = job.title if job.title.endswith(RETRY_SUFFIX) else job.title[: 200 - len(RETRY_SUFFIX)] + RETRY_SUFFIX
    return enqueue(job.kind, title, dict(job.params or {}), user_id, total=job.total, idempotency_key=idempotency_key)
