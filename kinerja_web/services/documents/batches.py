"""The "dokumen_batch" job: one document per employee of a unit, numbered in one pass and rendered on every
worker process (claims in small chunks), merged into the batch's files while it renders."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from flask import current_app
from sqlalchemy import Select, func, select, update

from ...domain import DomainError
from ...domain.documents import DocStatus, DocType
from ...extensions import db
from ...models import Employee, IssuedDocument, Job
from ..jobs import Progress, enqueue
from ..org.units import subtree_ids
from . import issuing as docs
from .batch_outputs import BatchOutputs

log = logging.getLogger(__name__)

# Shown in a batch's failure list; the exception (SQL and its parameters, e.g. a slip's figures) goes to the log.
RENDER_FAILED = "Dokumen gagal dibuat karena kesalahan sistem. Rincian dicatat di log server (kode: dokumen {doc_id})."

# Documents claimed at a time by one worker process: small, so that at the end of a batch no process sits idle
# while the other still renders a long chunk (a claim is one short write, a decree ~0.1 s of rendering).
CHUNK = 2

T = TypeVar("T")


def rerun(job: Job, user, idempotency_key: str | None) -> Job:
    """Run a finished batch again (the caller commits): subjects already issued under its key are skipped, and the
    numbered rows a failed (or killed) run left pending are adopted and rendered. (jobs.pages `start`)"""
    if not job.finished:
        raise DomainError("Batch ini masih berjalan.")
    return enqueue(job.kind, job.title + " (ulang)", dict(job.params), user.id, idempotency_key=idempotency_key)


def batch_subjects(params: dict) -> list[Employee]:
    ids = params.get("employee_ids")
    stmt = select(Employee).where(Employee.active.is_(True))
    if ids:
        stmt = stmt.where(Employee.id.in_(ids))
    else:
        stmt = stmt.where(Employee.unit_id.in_(subtree_ids(params["subject_unit_id"])))
    return list(db.session.scalars(stmt.order_by(Employee.name, Employee.id)))


def recent_batches(visible_jobs: Select) -> list[Job]:
    """The last ten batch jobs among those the user may see (`access.visible_jobs`)."""
    return list(db.session.scalars(visible_jobs.where(Job.kind == "dokumen_batch").order_by(Job.id.desc()).limit(10)))


def idempotency_key(batch_key: str, doc_type: str, employee_id: int) -> str:
    return f"{batch_key}:{doc_type}:{employee_id}"[:120]


RESERVE_CHUNK = 25


def _begin_write_transaction() -> None:
    """SQLite: commit, then take the write lock before the next reads (BEGIN IMMEDIATE).

    pysqlite starts a transaction at the first write, but a SAVEPOINT starts a *deferred* one at once: its
    reads pin a snapshot, and the write that follows fails at once with "database is locked" if another
    process committed meanwhile (two batch jobs reserving numbers on two worker processes). Holding the lock
    from the start makes the other process wait instead (busy_timeout). Chunks of RESERVE_CHUNK documents keep
    that wait short for web requests taking a number; a re-run adopts the chunks committed before a crash.
    Nothing to do on PostgreSQL (the register row lock orders the writers) or inside a caller's transaction.
    """
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        return
    db.session.commit()
    conn = db.session.connection()
    raw = conn.connection.dbapi_connection
    if not raw.in_transaction and raw.isolation_level is not None:  # pysqlite's own transaction handling
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def reserve_batch(job: Job) -> list[dict]:
    """Phase 1: validate every subject; number and create a pending row for the valid ones (PostgreSQL: one
    transaction; SQLite: one per RESERVE_CHUNK documents, see `_begin_write_transaction`).

    Subjects that already have a document for this batch key (an earlier run) are skipped, so a re-run
    issues nothing twice; pending rows of an earlier run are adopted by this job.
    """
    p = job.params
    doc_type = DocType(p["doc_type"])
    issued_on = date.fromisoformat(p["issued_on"])
    docs.check_issuer(doc_type, p["unit_id"], issued_on.year)  # one message for the job, not one per employee
    keys = {idempotency_key(p["batch_key"], doc_type.value, e.id): e for e in batch_subjects(p)}
    # Adopt earlier runs' documents: issued ones go into this run's merged PDF/ZIP, pending ones are retried.
    existing = adopt(job.id, list(keys), issued_too=True)

    def prepare(item: tuple[str, Employee]) -> None:
        key, emp = item
        docs.prepare(
            doc_type,
            unit_id=p["unit_id"],
            subjects=[emp],
            params=p.get("doc_params", {}),
            issued_on=issued_on,
            user_id=job.created_by_id,
            base_url=p.get("base_url"),
            idempotency_key=key,
            job_id=job.id,
        )

    def failure(item: tuple[str, Employee], e: DomainError) -> dict:
        emp = item[1]
        return {"employee_id": emp.id, "name": emp.full_name, "nip": emp.nip, "reason": e.message}

    return reserve_each([(k, e) for k, e in keys.items() if k not in existing], prepare, failure)


def adopt(job_id: int, keys: list[str], issued_too: bool = False) -> dict[str, DocStatus]:
    """The documents an earlier run created under these idempotency keys (key → status). Their pending rows
    (numbered, not rendered: the earlier run failed or was killed) join this job and are rendered again; with
    `issued_too` the issued ones join it as well (they go into this run's merged PDF/ZIP)."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(IssuedDocument.idempotency_key, IssuedDocument.id, IssuedDocument.status).where(
            IssuedDocument.idempotency_key.in_(keys)
        )
    ).all()
    ids = [r.id for r in rows if issued_too or r.status == DocStatus.PENDING]
    if ids:
        db.session.execute(update(IssuedDocument).where(IssuedDocument.id.in_(ids)).values(job_id=job_id))
        db.session.execute(
            update(IssuedDocument)
            .where(IssuedDocument.id.in_(ids), IssuedDocument.status == DocStatus.PENDING)
            .values(claim_token=None, render_error=None)
        )
    return {r.idempotency_key: r.status for r in rows}


def reserve_each(items: Iterable[T], prepare: Callable[[T], object], failure: Callable[[T, DomainError], dict]):
    """Phase 1 of any batch: `prepare(item)` numbers one document and creates its pending row (`issuing.prepare`),
    each in a savepoint; a DomainError becomes `failure(item, error)` in the returned list and takes no number.
    PostgreSQL: one transaction; SQLite: one per RESERVE_CHUNK documents (see `_begin_write_transaction`)."""
    failures: list[dict] = []
    for i, item in enumerate(items):
        if i % RESERVE_CHUNK == 0:
            _begin_write_transaction()
        try:
            with db.session.begin_nested():
                prepare(item)
        except DomainError as e:
            failures.append(failure(item, e))
    db.session.commit()
    return failures


def claim(job_id: int, token: str, n: int = CHUNK) -> list[int]:
    """Claim up to n pending documents of the job; an empty list means none is left to claim.

    PostgreSQL: FOR UPDATE SKIP LOCKED. SQLite ignores that clause, so the select and the update run under
    the write lock (BEGIN IMMEDIATE): otherwise both processes could select the same rows, the later update
    would match none, and that process would stop rendering as if the batch were done.
    """
    _begin_write_transaction()
    sub = (
        select(IssuedDocument.id)
        .where(
            IssuedDocument.job_id == job_id,
            IssuedDocument.status == DocStatus.PENDING,
            IssuedDocument.claim_token.is_(None),
        )
        .order_by(IssuedDocument.id)
        .limit(n)
        .with_for_update(skip_locked=True)
    )
    ids = [r[0] for r in db.session.execute(sub).all()]
    if ids:
        db.session.execute(
            update(IssuedDocument)
            .where(IssuedDocument.id.in_(ids), IssuedDocument.claim_token.is_(None))
            .values(claim_token=token)
        )
        ids = list(
            db.session.scalars(
                select(IssuedDocument.id).where(IssuedDocument.id.in_(ids), IssuedDocument.claim_token == token)
            )
        )
    db.session.commit()
    return ids


def render_pending(job_id: int, progress: Progress | None = None, between_chunks=None) -> int:
    """Phase 2 (run by every worker process): claim chunks and render them until none is left.
    `between_chunks()` runs after each chunk (the main process merges what is rendered so far).

    A helper process starts while the main process is still reserving numbers (chunks of RESERVE_CHUNK are
    committed one by one on SQLite): while the job says it is reserving, an empty claim means "not yet", so
    it waits for the next chunk instead of stopping (for at most RESERVE_WAIT_S without any new document).
    """
    token = secrets.token_hex(8)
    total = db.session.scalar(select(Job.total).where(Job.id == job_id)) or 0
    rendered = 0
    idle_since = time.monotonic()
    while True:
        ids = claim(job_id, token)
        if not ids:
            if not _reserving(job_id) or time.monotonic() - idle_since > RESERVE_WAIT_S:
                break
            time.sleep(0.05)
            continue
        idle_since = time.monotonic()
        for doc_id in ids:
            doc = db.session.get(IssuedDocument, doc_id)
            try:
                docs.render_document(doc)
                db.session.commit()
                rendered += 1
            except Exception as e:  # recorded on the row and in the job result, never swallowed
                db.session.rollback()
                log.exception("Rendering document %s failed", doc_id)
                reason = e.message if isinstance(e, DomainError) else RENDER_FAILED.format(doc_id=doc_id)
                db.session.execute(
                    update(IssuedDocument).where(IssuedDocument.id == doc_id).values(render_error=reason[:500])
                )
                db.session.commit()
        if progress is not None:
            progress(docs.count_valid(job_id), total)
        if between_chunks is not None:
            between_chunks()
    return rendered


RESERVE_WAIT_S = 120
PHASE_RESERVE = {"phase": "reserve"}  # Job.result while the main process reserves numbers (the real result follows)


def _reserving(job_id: int) -> bool:
    result = db.session.scalar(select(Job.result).where(Job.id == job_id))
    db.session.commit()  # end the read: the next look must see the main process's commits
    return result == PHASE_RESERVE


def _pending_left(job_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(IssuedDocument.id)).where(
                IssuedDocument.job_id == job_id,
                IssuedDocument.status == DocStatus.PENDING,
                IssuedDocument.render_error.is_(None),
            )
        )
        or 0
    )


def run_batch(job: Job, progress: Progress) -> dict:
    """Issue one document per subject: reserve numbers, render on all worker processes, merge."""
    return run_reserved(job, progress, lambda: reserve_batch(job))


def run_reserved(job: Job, progress: Progress, reserve: Callable[[], list[dict]]) -> dict:
    """The batch path: `reserve()` numbers the job's documents as pending rows (phase 1, returns its failures);
    they are rendered on all worker processes (`params["workers"]`, default 2) and merged into the job's files
    (merged PDF in parts + ZIP). Returns issued, failures (reserve + render), left (still pending), parts."""
    t0, c0 = time.monotonic(), time.process_time()
    job_id = job.id
    helpers = max(0, int(job.params.get("workers", 2)) - 1)
    # With a real queue the helpers start now and render each chunk of numbers as soon as it is committed;
    # inline (HUEY_IMMEDIATE) a helper would run to its end right here, so it is called after reserving.
    early = helpers and not current_app.extensions["huey"].immediate
    if early:
        db.session.execute(update(Job).where(Job.id == job_id).values(result=PHASE_RESERVE))
        db.session.commit()
        for _ in range(helpers):
            current_app.extensions["kinerja_render_helper"](job_id)
    try:
        failures = reserve()
    finally:  # the helpers stop waiting for more numbers, also when reserving failed
        db.session.rollback()
        db.session.execute(update(Job).where(Job.id == job_id).values(result=None))
        db.session.commit()
    t_reserved, c_reserved = time.monotonic(), time.process_time()
    total = db.session.scalar(select(func.count(IssuedDocument.id)).where(IssuedDocument.job_id == job_id)) or 0
    db.session.execute(update(Job).where(Job.id == job_id).values(total=total))
    db.session.commit()
    progress(docs.count_valid(job_id), total)
    if not early:
        for _ in range(helpers):
            current_app.extensions["kinerja_render_helper"](job_id)
    outputs = BatchOutputs(job_id)
    try:
        left = _render_and_wait(job_id, progress, outputs if helpers else None)
        render_errors = [
            # a document of several subjects (a unit's list) is named by its title
            {
                "name": r.subject_name if r.subject_nip else r.title,
                "nip": r.subject_nip,
                "number": r.number,
                "reason": r.render_error,
            }
            for r in db.session.execute(
                select(
                    IssuedDocument.subject_name,
                    IssuedDocument.subject_nip,
                    IssuedDocument.number,
                    IssuedDocument.render_error,
                    IssuedDocument.title,
                ).where(IssuedDocument.job_id == job_id, IssuedDocument.status == DocStatus.PENDING)
            ).all()
        ]
        t_rendered, c_rendered = time.monotonic(), time.process_time()
        issued = outputs.finish()
    except BaseException:
        outputs.discard()
        raise
    progress(issued, total)
    log.info(
        "Batch job %s: %d documents; reserve %.2f s (CPU %.2f s), render %.2f s (CPU of this process %.2f s), "
        "rest of the merge %.2f s (CPU %.2f s)",
        job_id,
        issued,
        t_reserved - t0,
        c_reserved - c0,
        t_rendered - t_reserved,
        c_rendered - c_reserved,
        time.monotonic() - t_rendered,
        time.process_time() - c_rendered,
    )
    return {"issued": issued, "failures": failures + render_errors, "left": left, "parts": outputs.parts}


def _render_and_wait(job_id: int, progress: Progress, outputs: BatchOutputs | None) -> int:
    """Render on this process until nothing is left to claim, then wait for the helpers' last chunks.
    With helpers, this process merges what is already rendered between its chunks and while it waits."""
    between = outputs.catch_up if outputs is not None else None
    render_pending(job_id, progress, between)
    last, since = -1, time.monotonic()
    while (left := _pending_left(job_id)) and not current_app.extensions["huey"].immediate:
        if between is not None:
            between()
        done = docs.count_valid(job_id)
        if done != last:
            last, since = done, time.monotonic()
        elif time.monotonic() - since > 120:  # a helper died: take its claims back
            db.session.execute(
                update(IssuedDocument)
                .where(IssuedDocument.job_id == job_id, IssuedDocument.status == DocStatus.PENDING)
                .values(claim_token=None)
            )
            db.session.commit()
            render_pending(job_id, progress, between)
        time.sleep(0.05)
        db.session.rollback()
    return left


def init_app(app) -> None:
    huey = app.extensions["huey"]

    @huey.task(name="dokumen_render_helper")
    def render_helper(job_id: int) -> None:
        if huey.immediate:
            render_pending(job_id)
            return
        with app.app_context():
            render_pending(job_id)
            db.session.remove()

    app.extensions["kinerja_render_helper"] = render_helper
