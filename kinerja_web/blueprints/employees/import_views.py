"""Employee import pages: upload → preview (per-row errors) → confirm (inline, or a background job)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import access
from ...jobs import pages as job_pages
from ...services.employees import import_files, importer
from ...services.employees import import_job as import_jobs
from ...services.jobs import enqueue
from ...timeutil import today_wib
from ...web import attempt
from . import bp
from .forms import ImportConfirmForm, ImportUploadForm

MAX_ERRORS_SHOWN = 1000
IMPORT_CLASH = "Data pegawai berubah bersamaan dengan impor ini; tidak ada yang disimpan. Periksa pratinjau lagi."


def _upload_page(form: ImportUploadForm, error: str | None = None, status: int = 200):
    return (
        render_template(
            "employees/import_upload.html",
            form=form,
            error=error,
            columns=import_files.COLUMNS,
            units=importer.unit_codes(),
        ),
        status,
    )


@bp.route("/impor", methods=["GET", "POST"])
@login_required
def import_upload():
    access.require(access.is_hr(current_user))
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, status=422 if form.is_submitted() else 200)
    upload = form.berkas.data
    try:
        table = import_files.read_upload(upload.filename, upload.read())
    except import_files.ImportFileError as e:
        form.berkas.errors = [*form.berkas.errors, e.message]
        return _upload_page(form, status=422)
    with attempt(form) as done:
        token = import_files.save_upload(table, current_user.id)
    if not done:
        return _upload_page(form, status=422)
    return redirect(url_for("employees.import_preview", token=token), 303)


@bp.get("/impor/templat.<fmt>")
@login_required
def import_template(fmt: str):
    access.require(access.is_hr(current_user))
    if fmt == "csv":
        body, mime = import_files.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mime = import_files.template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="templat-impor-pegawai.{fmt}"'}
    )


def _load_table_or_gone(token: str):
    """HR's uploaded table of `token`; when it is gone (expired, someone else's), back to the upload page."""
    access.require(access.is_hr(current_user))
    table = import_files.load_upload(token, current_user.id)
    if table is None:
        flash("Berkas impor tidak ditemukan atau sudah kedaluwarsa (lebih dari sehari). Unggah ulang.", "error")
        abort(redirect(url_for("employees.import_upload"), 303))
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
    table = _load_table_or_gone(token)
    preview = importer.build_preview(table, today=today_wib())
    return _preview_page(preview, token, ImportConfirmForm())


@bp.post("/impor/<token>")
@login_required
def import_confirm(token: str):
    table = _load_table_or_gone(token)
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
        with attempt():
            import_files.discard_upload(token)
        c = preview.counts
        flash(f"Tidak ada yang berubah: {import_jobs.number(c['unchanged'])} pegawai sudah sama dengan berkas.", "info")
        return redirect(url_for("employees.import_upload"), 303)
    if preview.importable > importer.INLINE_LIMIT:
        with attempt(flash_category=None) as started:
            job = enqueue(
                import_jobs.JOB_KIND,
                f"Impor pegawai: {table.filename}",
                {"token": token, "skip_invalid": skip},
                current_user.id,
                total=100,  # percent; the message names the phase and the row counts
            )
        if not started:
            return _preview_page(preview, token, form, error=started.message, status=422)
        return redirect(url_for("employees.import_job", job_id=job.id), 303)
    # Another import of the same NIPs committed first (e.g. a double click): ours is rolled back whole.
    with attempt(flash_category=None, conflict=IMPORT_CLASH, conflict_on_integrity=True) as done:
        counts = importer.import_rows(preview, skip_invalid=skip, today=today_wib())
        import_files.discard_upload(token)  # with the import: a failed import keeps it for another try
    if done.conflict:
        flash(done.message, "error")
        return redirect(url_for("employees.import_preview", token=token), 303)
    if not done:
        return _preview_page(preview, token, form, error=done.message, status=422)
    flash("Impor selesai. " + import_jobs.counts_text(counts), "success")
    return redirect(url_for("employees.index"), 303)


@bp.get("/impor/pekerjaan/<int:job_id>")
@login_required
def import_job(job_id: int):
    return job_pages.show(
        job_id,
        import_jobs.JOB_KIND,
        allowed=access.is_hr(current_user),
        template="employees/import_job.html",
        block="job",
    )


@bp.post("/impor/pekerjaan/<int:job_id>/ulangi")
@login_required
def import_job_retry(job_id: int):
    """ "Ulangi" on a failed import: the upload is kept until an import succeeds, and rows already saved come
    out unchanged (the import is one transaction)."""
    return job_pages.retry_view(
        job_id,
        import_jobs.JOB_KIND,
        allowed=access.is_hr(current_user),
        page=lambda _job, i: url_for("employees.import_job", job_id=i),
    )
