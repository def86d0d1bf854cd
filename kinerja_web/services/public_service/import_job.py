"""The background confirmation of a large service-log import (the `impor_layanan` job)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from ...domain import DomainError
from ...extensions import db
from ...models import Job, Unit
from ...timeutil import today_wib
from ..employees.import_files import upload_dir
from . import files, log_import

JOB_KIND = "impor_layanan"


def run_import_job(job: Job, progress) -> dict:
    """Re-reads and re-checks the kept upload, writes every row or none, then rebuilds the months' aggregates.
    Idempotent: a re-run finds the rows unchanged."""
    directory = upload_dir(current_app)
    unit = db.session.get(Unit, job.params["unit_id"])
    kept = files.load_upload(directory, job.params["token"], unit_id=job.params["unit_id"]) if unit else None
    if kept is None:
        raise DomainError("Berkas impor sudah tidak tersedia (kedaluwarsa atau sudah diimpor). Unggah ulang.")
    filename, data, _ = kept
    progress(2, 100, "Membaca berkas…")
    table = files.read_table(filename, data)
    progress(5, 100, f"Memeriksa {len(table.rows):,} baris…".replace(",", "."))
    preview = log_import.build_preview(unit, table, today=today_wib())
    progress(40, 100, "Pemeriksaan selesai; mulai menyimpan…")

    def on_progress(done: int, total: int) -> None:
        progress(40 + 50 * done // max(total, 1), 100, f"Menyimpan {done:,} dari {total:,} baris…".replace(",", "."))

    counts = log_import.apply_preview(
        preview, skip_invalid=bool(job.params.get("skip_invalid")), now=datetime.now(UTC), on_progress=on_progress
    )
    progress(99, 100, "Menghitung ulang ringkasan bulanan…")
    files.discard_upload(directory, job.params["token"])
    job.message = "Impor selesai. " + log_import.counts_text(counts)
    return counts
