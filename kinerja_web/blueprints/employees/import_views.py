"""Employee import pages: upload → preview (per-row errors) → confirm (inline, or a background job)."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ... import access, audit
from ...domain import DomainError
from ...extensions import db
from ...htmx import render
from ...jobs import pages as job_pages
from ...models import Job
from ...services.jobs import enqueue
from ...timeutil import today_wib
from . import bp, importer
from .forms import ImportConfirmForm, ImportUploadForm

JOB_KIND = "import_pegawai"
MAX_ERRORS_SHOWN = 1000


def _upload_page(form: ImportUploadForm, error: str | None = None, status: int = 200):
    return (
        render_template(
            "employees/import_upload.html",
            form=form,
            error=error,
            columns=importer.COLUMNS,
            units=importer.unit_codes(),
        ),
        status,
    )


@bp.route("/impor", methods=["GET", "POST"])
@login_required
def import_upload():
    access.require(access.can_import_employees(current_user))
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, status=422 if form.is_submitted() else 200)
    upload = form.berkas.data
    try:
        table = importer.read_upload(upload.filename, upload.read())
    except importer.ImportFileError as e:
        form.berkas.errors = [*form.berkas.errors, e.message]
        return _upload_page(form, status=422)
    token = importer.save_upload(importer.upload_dir(current_app), table, current_user.id)
    return redirect(url_for("employees.import_preview", token=token), 303)


@bp.get("/impor/templat.<fmt>")
@login_required
def import_template(fmt: str):
    access.require(access.can_import_employees(current_user))
    if fmt == "csv":
        body, mime = importer.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mime = importer.template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="templat-impor-pegawai.{fmt}"'}
    )


def _load_table_or_gone(token: str):
    table = importer.load_upload(importer.upload_dir(current_app), token, current_user.id)
    if table is None:
        flash("Berkas impor tidak ditemukan atau sudah kedaluwarsa (lebih dari sehari). Unggah ulang.", "error")
    return table


def _preview_page(preview, token: str, form: ImportConfirmForm, error: str | None = None, status: int = 200):
    errors = [(r.line, col, msg) for r in preview.bad_rows for col, msg in r.errors]
    changes = [r for r in preview.rows if r.action in ("new", "changed")]
    return (
        render_template(
            "employees/import_preview.html",
            preview=preview,
            token=token,
            form=form,
            error=error,
            counts=preview.counts,
            errors=errors[:MAX_ERRORS_SHOWN],
            errors_total=len(errors),
            changes=changes[:200],
            changes_total=len(changes),
            inline_limit=importer.INLINE_LIMIT,
        ),
        status,
    )


@bp.get("/impor/<token>")
@login_required
def import_preview(token: str):
    access.require(access.can_import_employees(current_user))
    table = _load_table_or_gone(token)
    if table is None:
        return redirect(url_for("employees.import_upload"), 303)
    preview = importer.build_preview(table, today=today_wib())
    return _preview_page(preview, token, ImportConfirmForm())


@bp.post("/impor/<token>")
@login_required
def import_confirm(token: str):
    access.require(access.can_import_employees(current_user))
    table = _load_table_or_gone(token)
    if table is None:
        return redirect(url_for("employees.import_upload"), 303)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        preview = importer.build_preview(table, today=today_wib())
        return _preview_page(preview, token, form, status=422)
    skip = bool(form.skip_invalid.data)
    # Checked again at confirmation: the data may have changed since the preview.
    preview = importer.build_preview(table, today=today_wib())
    if preview.file_errors or (preview.bad_rows and not skip):
        msg = (
            f"Berkas berisi {len(preview.bad_rows)} baris yang salah; tidak ada data yang diimpor. "
            "Perbaiki berkas lalu unggah ulang, atau centang “lewati baris yang salah”."
        )
        return _preview_page(preview, token, form, error=msg, status=422)
    if preview.importable == 0:
        importer.discard_upload(importer.upload_dir(current_app), token)
        c = preview.counts
        flash(f"Tidak ada yang berubah: {_n(c['unchanged'])} pegawai sudah sama dengan berkas.", "info")
        return redirect(url_for("employees.import_upload"), 303)
    if preview.importable > importer.INLINE_LIMIT:
        job = enqueue(
            JOB_KIND,
            f"Impor pegawai: {table.filename}",
            {"token": token, "skip_invalid": skip},
            current_user.id,
            total=100,  # percent; the message names the phase and the row counts
        )
        db.session.commit()
        return redirect(url_for("employees.import_job", job_id=job.id), 303)
    try:
        counts = _import(preview, skip)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        return _preview_page(preview, token, form, error=e.message, status=422)
    except IntegrityError:
        # Another import of the same NIPs committed first (e.g. a double click): ours is rolled back whole.
        db.session.rollback()
        flash(
            "Data pegawai berubah bersamaan dengan impor ini; tidak ada yang disimpan. Periksa pratinjau lagi.", "error"
        )
        return redirect(url_for("employees.import_preview", token=token), 303)
    importer.discard_upload(importer.upload_dir(current_app), token)
    flash("Impor selesai. " + _counts_text(counts), "success")
    return redirect(url_for("employees.index"), 303)


def _import(preview, skip: bool, **kwargs) -> dict[str, int]:
    counts = importer.apply_preview(preview, skip_invalid=skip, today=today_wib(), **kwargs)
    audit.record(
        db.session,
        "import",
        "employee",
        None,
        importer.summary_text(preview.filename, counts),
        after={"berkas": preview.filename, **counts},
    )
    db.session.flush()
    return counts


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _counts_text(counts: dict[str, int]) -> str:
    text = f"{_n(counts['baru'])} baru, {_n(counts['diubah'])} diubah, {_n(counts['tidak_berubah'])} tidak berubah"
    if counts["dilewati"]:
        text += f", {_n(counts['dilewati'])} baris salah dilewati"
    return text + "."


def run_import_job(job: Job, progress) -> dict:
    """Background confirmation of a large import; re-validates, then writes everything or nothing.

    Idempotent: jobs.execute skips finished jobs, and a re-run finds the rows unchanged. Progress is in
    percent with the phase in the message. PostgreSQL saves in chunks, so the bar follows the saving;
    SQLite allows one writer, so rows are prepared (bar to 40 %) and saved in one final flush.
    """
    directory = importer.upload_dir(current_app)
    token = job.params["token"]
    table = importer.load_upload(directory, token, job.created_by_id)
    if table is None:
        raise DomainError("Berkas impor sudah tidak tersedia (kedaluwarsa atau sudah diimpor). Unggah ulang.")
    progress(1, 100, f"Memeriksa {_n(len(table.rows))} baris…")
    preview = importer.build_preview(table, today=today_wib())
    single_writer = db.session.get_bind().dialect.name == "sqlite"
    last = [0]

    def on_progress(done: int, total: int, flushed: bool) -> None:
        if single_writer:
            pct = 10 + 30 * done // total
            message = f"Menyiapkan {_n(done)} dari {_n(total)} pegawai…"
            if done == total:
                message = f"Menyimpan {_n(total)} pegawai ke basis data…"
        else:
            if not flushed:
                return
            pct = 10 + 89 * done // total
            message = f"Menyimpan {_n(done)} dari {_n(total)} pegawai…"
        if pct != last[0] or done == total:
            last[0] = pct
            progress(pct, 100, message)

    progress(10, 100, "Pemeriksaan selesai; mulai menyimpan…")
    counts = _import(
        preview,
        bool(job.params.get("skip_invalid")),
        flush_every=None if single_writer else 250,
        on_progress=on_progress,
    )
    importer.discard_upload(directory, token)
    job.message = "Impor selesai. " + _counts_text(counts)
    return counts


@bp.get("/impor/pekerjaan/<int:job_id>")
@login_required
def import_job(job_id: int):
    access.require(access.can_import_employees(current_user))
    job = job_pages.get_for_page(job_id, current_user, JOB_KIND)
    return render("employees/import_job.html", "job", job=job)


@bp.post("/impor/pekerjaan/<int:job_id>/ulangi")
@login_required
def import_job_retry(job_id: int):
    """ "Ulangi" on a failed import: the upload is kept until an import succeeds, and rows already saved come
    out unchanged (the import is one transaction)."""
    access.require(access.can_import_employees(current_user))
    job = job_pages.get_for_page(job_id, current_user, JOB_KIND)
    return job_pages.retry_from_page(job, current_user, lambda i: url_for("employees.import_job", job_id=i))
