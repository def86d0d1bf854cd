"""The background confirmation of a large employee import (the `import_pegawai` job)."""

from __future__ import annotations

from ...domain import DomainError
from ...extensions import db
from ...models import Job
from ...timeutil import today_wib
from . import import_files, importer

JOB_KIND = "import_pegawai"


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def counts_text(counts: dict[str, int]) -> str:
    text = f"{number(counts['baru'])} baru, {number(counts['diubah'])} diubah, {number(counts['tidak_berubah'])} tidak berubah"
    if counts["dilewati"]:
        text += f", {number(counts['dilewati'])} baris salah dilewati"
    return text + "."


def run_import_job(job: Job, progress) -> dict:
    """Background confirmation of a large import; re-validates, then writes everything or nothing.

    Idempotent: jobs.execute skips finished jobs, and a re-run finds the rows unchanged. Progress is in
    percent with the phase in the message. PostgreSQL saves in chunks, so the bar follows the saving;
    SQLite allows one writer, so rows are prepared (bar to 40 %) and saved in one final flush.
    """
    token = job.params["token"]
    table = import_files.load_upload(token, job.created_by_id)
    if table is None:
        raise DomainError("Berkas impor sudah tidak tersedia (kedaluwarsa atau sudah diimpor). Unggah ulang.")
    progress(1, 100, f"Memeriksa {number(len(table.rows))} baris…")
    preview = importer.build_preview(table, today=today_wib())
    single_writer = db.session.get_bind().dialect.name == "sqlite"
    last = [0]

    def on_progress(done: int, total: int, flushed: bool) -> None:
        if single_writer:
            pct = 10 + 30 * done // total
            message = f"Menyiapkan {number(done)} dari {number(total)} pegawai…"
            if done == total:
                message = f"Menyimpan {number(total)} pegawai ke basis data…"
        else:
            if not flushed:
                return
            pct = 10 + 89 * done // total
            message = f"Menyimpan {number(done)} dari {number(total)} pegawai…"
        if pct != last[0] or done == total:
            last[0] = pct
            progress(pct, 100, message)

    progress(10, 100, "Pemeriksaan selesai; mulai menyimpan…")
    counts = importer.import_rows(
        preview,
        skip_invalid=bool(job.params.get("skip_invalid")),
        today=today_wib(),
        flush_every=None if single_writer else 250,
        on_progress=on_progress,
    )
    import_files.discard_upload(token)
    job.message = "Impor selesai. " + counts_text(counts)
    return counts
