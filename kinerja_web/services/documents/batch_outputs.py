"""The files of a batch: one merged PDF (in parts) and one ZIP of single files, built while the batch renders."""

from __future__ import annotations

import io
import os
import zipfile

from flask import current_app
from sqlalchemy import select

from ...domain.documents import DocStatus
from ...extensions import db
from ...models import IssuedDocument


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
            select(
                IssuedDocument.id,
                IssuedDocument.number,
                IssuedDocument.verification_code,
                IssuedDocument.subject_name,
                IssuedDocument.status,
            )
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
                # A document without a register number (e.g. the evaluasi) is named by its unique verification code.
                name = f"{row.number or row.verification_code}_{row.subject_name}"
                safe = "".join(ch if ch.isalnum() else "-" for ch in name)[:120]
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


def ensure_outputs(job_id: int) -> None:
    """This host's copy of a finished batch's files. The worker that ran the batch wrote them on its own host; any
    other host rebuilds them once from the stored documents (same documents, same order, same parts), so no
    folder has to be shared between hosts. One rebuild per host at a time (a lock file in the folder)."""
    import fcntl

    merged, zipped = batch_files(job_id)
    if os.path.exists(merged) and os.path.exists(zipped):
        return
    with open(os.path.join(output_dir(), f".batch-{job_id}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (os.path.exists(merged) and os.path.exists(zipped)):
            build_outputs(job_id)


def build_outputs(job_id: int) -> int:
    """One merged PDF and one ZIP of single files, from the stored bytes of the batch's documents."""
    outputs = BatchOutputs(job_id)
    return outputs.finish()
