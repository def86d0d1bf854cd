"""Documents area services: settings validation, archive query, rate limiter and the batch job."""

from __future__ import annotations

import io
import logging
import os
import secrets
import time
import zipfile
from datetime import date, timedelta

from flask import current_app
from PIL import Image
from sqlalchemy import delete, func, or_, select, update

from ... import uploads
from ...domain import DomainError
from ...domain.nip import normalize as normalize_nip
from ...extensions import db
from ...models import (
    DocStatus,
    DocType,
    Employee,
    IssuedDocument,
    Job,
    RateLimitHit,
    Unit,
    UnitKind,
    document_subject,
    utcnow,
)
from ...services import documents as docs
from ...services.jobs import Progress

log = logging.getLogger(__name__)

# Shown in a batch's failure list; the exception (SQL and its parameters, e.g. a slip's figures) goes to the log.
RENDER_FAILED = "Dokumen gagal dibuat karena kesalahan sistem. Rincian dicatat di log server (kode: dokumen {doc_id})."
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 2000 * 2000
LOGO_TYPES = (uploads.PNG, uploads.JPEG)


def validate_logo(data: bytes) -> uploads.Checked:
    """A PNG/JPEG of at most 512 KB and 2000×2000 px, decoded and cut at its end; DomainError on "logo" otherwise."""
    if not data:
        raise DomainError("Berkas logo kosong.", field="logo")
    if len(data) > LOGO_MAX_BYTES:
        raise DomainError(f"Logo terlalu besar ({len(data) // 1024} KB); maksimal 512 KB.", field="logo")
    logo = uploads.check_file(data, LOGO_TYPES, field="logo", not_allowed="Berkas logo bukan gambar PNG/JPEG yang sah.")
    with Image.open(io.BytesIO(logo.data)) as img:
        width, height = img.size
    if width * height > LOGO_MAX_PIXELS:
        raise DomainError(f"Ukuran logo {width}×{height} piksel terlalu besar; maksimal 2000×2000.", field="logo")
    return logo


def validate_signer_nip(raw: str) -> str:
    nip = normalize_nip(raw)
    if not nip:
        raise DomainError("NIP penanda tangan wajib diisi.", field="nip")
    if len(nip) != 18 or not nip.isdigit():
        raise DomainError("NIP penanda tangan harus 18 angka.", field="nip")
    return nip


def opd_choices() -> list[Unit]:
    return list(
        db.session.scalars(select(Unit).where(Unit.kind.in_((UnitKind.OPD, UnitKind.PEMDA))).order_by(Unit.name))
    )


def archive_query(q: str = "", doc_type: str = "", status: str = "", date_from=None, date_to=None, employee_id=None):
    stmt = select(IssuedDocument).where(IssuedDocument.status != DocStatus.PENDING)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(
                IssuedDocument.number.ilike(like),
                IssuedDocument.title.ilike(like),
                IssuedDocument.subject_name.ilike(like),
                IssuedDocument.subject_nip.ilike(like),
                IssuedDocument.id.in_(
                    select(document_subject.c.document_id)
                    .join(Employee, Employee.id == document_subject.c.employee_id)
                    .where(or_(Employee.name.ilike(like), Employee.nip.ilike(like)))
                ),
            )
        )
    if doc_type in DocType._value2member_map_:
        stmt = stmt.where(IssuedDocument.doc_type == DocType(doc_type))
    if status in DocStatus._value2member_map_:
        stmt = stmt.where(IssuedDocument.status == DocStatus(status))
    if date_from:
        stmt = stmt.where(IssuedDocument.issued_on >= date_from)
    if date_to:
        stmt = stmt.where(IssuedDocument.issued_on <= date_to)
    if employee_id:
        stmt = stmt.where(
            IssuedDocument.id.in_(
                select(document_subject.c.document_id).where(document_subject.c.employee_id == employee_id)
            )
        )
    return stmt.order_by(IssuedDocument.issued_on.desc(), IssuedDocument.id.desc())


def search_employees(q: str, limit: int = 30) -> list[Employee]:
    if not q.strip():
        return []
    like = f"%{q.strip()}%"
    return list(
        db.session.scalars(
            select(Employee)
            .where(Employee.active.is_(True), or_(Employee.name.ilike(like), Employee.nip.ilike(like)))
            .order_by(Employee.name)
            .limit(limit)
        )
    )


# --- rate limiter ------------------------------------------------------------------------------------


def rate_limited(key: str, limit: int, window_s: int = 60) -> bool:
    """Fixed-window limiter stored in the database, so every web process of the server shares it.

    Records this hit and answers whether `key` exceeded `limit` hits within the last `window_s` seconds.
    The caller commits (the hit must count even when the lookup finds nothing).
    """
    now = utcnow()
    since = now - timedelta(seconds=window_s)
    count = db.session.scalar(
        select(func.count(RateLimitHit.id)).where(RateLimitHit.key == key, RateLimitHit.at >= since)
    )
    if count >= limit:
        return True
    db.session.add(RateLimitHit(key=key, at=now))
    if secrets.randbelow(50) == 0:  # prune old hits now and then
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - timedelta(hours=1)))
    db.session.flush()
    return False


# --- batch -------------------------------------------------------------------------------------------

# Documents claimed at a time by one worker process: small, so that at the end of a batch no process sits idle
# while the other still renders a long chunk (a claim is one short write, a decree ~0.1 s of rendering).
CHUNK = 2


def batch_subjects(params: dict) -> list[Employee]:
    ids = params.get("employee_ids")
    stmt = select(Employee).where(Employee.active.is_(True))
    if ids:
        stmt = stmt.where(Employee.id.in_(ids))
    else:
        stmt = stmt.where(Employee.unit_id.in_(unit_subtree_ids(params["subject_unit_id"])))
    return list(db.session.scalars(stmt.order_by(Employee.name, Employee.id)))


def unit_subtree_ids(root_id: int) -> list[int]:
    ids, frontier = [root_id], [root_id]
    while frontier:
        frontier = list(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


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
    failures = []
    subjects = batch_subjects(p)
    keys = {idempotency_key(p["batch_key"], doc_type.value, e.id): e for e in subjects}
    existing = (
        dict(
            db.session.execute(
                select(IssuedDocument.idempotency_key, IssuedDocument.id).where(
                    IssuedDocument.idempotency_key.in_(list(keys))
                )
            ).all()
        )
        if keys
        else {}
    )
    if existing:
        # Adopt earlier runs' documents: issued ones go into this run's merged PDF/ZIP, pending ones are retried.
        ids = list(existing.values())
        db.session.execute(update(IssuedDocument).where(IssuedDocument.id.in_(ids)).values(job_id=job.id))
        db.session.execute(
            update(IssuedDocument)
            .where(IssuedDocument.id.in_(ids), IssuedDocument.status == DocStatus.PENDING)
            .values(claim_token=None, render_error=None)
        )
    for i, (key, emp) in enumerate((k, e) for k, e in keys.items() if k not in existing):
        if i % RESERVE_CHUNK == 0:
            _begin_write_transaction()
        try:
            with db.session.begin_nested():
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
        except DomainError as e:
            failures.append({"employee_id": emp.id, "name": emp.full_name, "nip": emp.nip, "reason": e.message})
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


def output_dir() -> str:
    path = current_app.config.get("DOCUMENT_BATCH_DIR") or os.path.join(current_app.instance_path, "dokumen")
    os.makedirs(path, exist_ok=True)
    return path


def batch_files(job_id: int, part: int = 1) -> tuple[str, str]:
    """Paths of one part of the merged PDF (part 1 keeps the plain name) and of the ZIP of single files."""
    base = output_dir()
    pdf_name = f"batch-{job_id}.pdf" if part == 1 else f"batch-{job_id}-{part}.pdf"
    return os.path.join(base, pdf_name), os.path.join(base, f"batch-{job_id}.zip")


class BatchOutputs:
    """The merged PDF and the ZIP of single files of a batch, built in document order while it renders.

    `catch_up()` appends the rendered documents that directly follow the ones already appended (it stops at
    the first one still pending), so the main worker process merges between its own chunks while the other
    process renders, instead of merging everything serially at the end; `finish()` appends the rest and
    writes the files. The result is the same as merging at the end: every issued document, ordered by id.

    The merge is done by pikepdf (qpdf, C++): ~10x faster than pypdf, and its objects are not Python objects.
    With pypdf the main worker's heap grew by ~160 KB of small objects per merged decree, every garbage
    collection walked them, and that process rendered 20% slower than the helper (measured 89 vs 77 ms per
    decree), which was most of what kept 2 workers from a 2x speed-up.
    A merge is still held in memory (~200 KB per one-page decree), so the merged PDF is cut into parts of
    `part_size` documents: one file for a regency-wide slip run (7,500 employees) would need over 1 GB in one
    worker, and nobody prints 7,500 pages from one file. The ZIP is written entry by entry and stays whole.
    """

    SLICE = 50  # PDF bytes read per query
    PART_SIZE = 500

    def __init__(self, job_id: int, part_size: int | None = None):
        self.job_id = job_id
        self.part_size = part_size or int(current_app.config.get("DOCUMENT_BATCH_PART_SIZE") or self.PART_SIZE)
        self.zip_path = batch_files(job_id)[1]
        self.writer = None  # pikepdf.Pdf of the part being built
        self.sources: list = []  # the part's source PDFs: pikepdf copies their streams only when it saves
        self.parts: list[list[int]] = []  # [first, last] document position (1-based) of each written part
        self.zip = zipfile.ZipFile(self.zip_path + ".tmp", "w", zipfile.ZIP_STORED)
        self.last_id = 0
        self.count = 0

    def _rows(self, limit: int | None = None):
        return db.session.execute(
            select(IssuedDocument.id, IssuedDocument.number, IssuedDocument.subject_name, IssuedDocument.status)
            .where(IssuedDocument.job_id == self.job_id, IssuedDocument.id > self.last_id)
            .order_by(IssuedDocument.id)
            .limit(limit)
        ).all()

    def _append(self, rows) -> None:
        import pikepdf  # only worker processes merge

        for start in range(0, len(rows), self.SLICE):
            part = rows[start : start + self.SLICE]
            blobs = dict(
                db.session.execute(
                    select(IssuedDocument.id, IssuedDocument.pdf).where(IssuedDocument.id.in_([r.id for r in part]))
                ).all()
            )
            for row in part:
                data = blobs[row.id]
                source = pikepdf.Pdf.open(io.BytesIO(data))
                self.sources.append(source)
                self._writer().pages.extend(source.pages)
                safe = "".join(ch if ch.isalnum() else "-" for ch in f"{row.number}_{row.subject_name}")[:120]
                self.zip.writestr(f"{safe}.pdf", data)
                self.count += 1
                if self.count % self.part_size == 0:
                    self._write_part()

    def _writer(self):
        """The merged PDF of the current part, created on first use."""
        import pikepdf

        if self.writer is None:
            self.writer = pikepdf.Pdf.new()
        return self.writer

    def _write_part(self) -> None:
        first = self.parts[-1][1] + 1 if self.parts else 1
        path = batch_files(self.job_id, len(self.parts) + 1)[0]
        self._writer().save(path + ".tmp")  # nothing issued at all: an empty merged PDF, as before
        self._close_part()
        self.parts.append([first, self.count])

    def catch_up(self) -> None:
        while True:
            rows = self._rows(limit=self.SLICE)
            ready = []
            for row in rows:
                if row.status == DocStatus.PENDING:  # not rendered yet (or failed: decided at the end)
                    break
                ready.append(row)
            self._append(ready)
            if ready:
                self.last_id = ready[-1].id
            if len(ready) < self.SLICE:
                return

    def finish(self) -> int:
        """Append the rest, write the last part, and put every file in place; returns the documents merged."""
        self._append([r for r in self._rows() if r.status != DocStatus.PENDING])
        if self.writer is not None or not self.parts:
            self._write_part()
        self.zip.close()
        for k in range(1, len(self.parts) + 1):
            path = batch_files(self.job_id, k)[0]
            os.replace(path + ".tmp", path)
        os.replace(self.zip_path + ".tmp", self.zip_path)
        return self.count

    def _close_part(self) -> None:
        for source in self.sources:
            source.close()
        self.sources = []
        if self.writer is not None:
            self.writer.close()
        self.writer = None

    def discard(self) -> None:
        self._close_part()
        self.zip.close()
        for k in range(1, len(self.parts) + 1):
            path = batch_files(self.job_id, k)[0] + ".tmp"
            if os.path.exists(path):
                os.remove(path)
        if os.path.exists(self.zip_path + ".tmp"):
            os.remove(self.zip_path + ".tmp")


def build_outputs(job_id: int) -> int:
    """One merged PDF and one ZIP of single files, from the stored bytes of the batch's documents."""
    outputs = BatchOutputs(job_id)
    return outputs.finish()


def run_batch(job: Job, progress: Progress) -> dict:
    """Issue one document per subject: reserve numbers, render on all worker processes, merge."""
    t0 = time.monotonic()
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
        failures = reserve_batch(job)
    finally:  # the helpers stop waiting for more numbers, also when reserving failed
        db.session.rollback()
        db.session.execute(update(Job).where(Job.id == job_id).values(result=None))
        db.session.commit()
    t_reserved = time.monotonic()
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
            {"name": r.subject_name, "nip": r.subject_nip, "number": r.number, "reason": r.render_error}
            for r in db.session.execute(
                select(
                    IssuedDocument.subject_name,
                    IssuedDocument.subject_nip,
                    IssuedDocument.number,
                    IssuedDocument.render_error,
                ).where(IssuedDocument.job_id == job_id, IssuedDocument.status == DocStatus.PENDING)
            ).all()
        ]
        t_rendered = time.monotonic()
        issued = outputs.finish()
    except BaseException:
        outputs.discard()
        raise
    progress(issued, total)
    log.info(
        "Batch job %s: %d documents; reserve %.2f s, render %.2f s, rest of the merge %.2f s",
        job_id,
        issued,
        t_reserved - t0,
        t_rendered - t_reserved,
        time.monotonic() - t_rendered,
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
