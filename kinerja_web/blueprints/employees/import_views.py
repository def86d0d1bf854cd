"""Employee import pages: upload → preview (per-row errors) → confirm (inline, or a background job)."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import access, audit
from ...domain import DomainError
from ...extensions import db
from ...htmx import render
from ...jobs import enqueue, handler
from ...models import Job
from ...timeutil import today_wib
from . import bp, importer
from .forms import ImportConfirmForm, ImportUploadForm

JOB_KIND = "import_pegawai"
MAX_ERRORS_SHOWN = 1000


def _upload_page(form: ImportUploadForm, error: str | None = None, status: int = 200):
    return (
        render_template("employees/import_upload.html", form=form, error=error, columns=importer.COLUMNS),
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
        flash(f"Tidak ada yang berubah: {c['unchanged']} pegawai sudah sama dengan berkas.", "info")
        return redirect(url_for("employees.import_upload"), 303)
    if preview.importable > importer.INLINE_LIMIT:
        job = enqueue(
            JOB_KIND,
            f"Impor pegawai: {table.filename}",
            {"token": token, "skip_invalid": skip},
            current_user.id,
            total=preview.importable,
        )
        return redirect(url_for("employees.import_job", job_id=job.id), 303)
    try:
        counts = _import(preview, skip)
    except DomainError as e:
        db.session.rollback()
        return _preview_page(preview, token, form, error=e.message, status=422)
    db.session.commit()
    importer.discard_upload(importer.upload_dir(current_app), token)
    flash("Impor selesai. " + _counts_text(counts), "success")
    return redirect(url_for("employees.index"), 303)


def _import(preview, skip: bool, progress=None) -> dict[str, int]:
    counts = importer.apply_preview(preview, skip_invalid=skip, today=today_wib(), progress=progress)
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


def _counts_text(counts: dict[str, int]) -> str:
    text = f"{counts['baru']} baru, {counts['diubah']} diubah, {counts['tidak_berubah']} tidak berubah"
    if counts["dilewati"]:
        text += f", {counts['dilewati']} baris salah dilewati"
    return text + "."


@handler(JOB_KIND)
def run_import_job(job: Job, progress) -> dict:
    """Background confirmation of a large import; re-validates, then writes everything or nothing.

    Idempotent: jobs.execute skips finished jobs, and a re-run finds the rows unchanged.
    """
    directory = importer.upload_dir(current_app)
    token = job.params["token"]
    table = importer.load_upload(directory, token, job.created_by_id)
    if table is None:
        raise DomainError("Berkas impor sudah tidak tersedia (kedaluwarsa atau sudah diimpor). Unggah ulang.")
    preview = importer.build_preview(table, today=today_wib())
    counts = _import(preview, bool(job.params.get("skip_invalid")), progress=progress)
    importer.discard_upload(directory, token)
    job.message = "Impor selesai. " + _counts_text(counts)
    return counts


@bp.get("/impor/pekerjaan/<int:job_id>")
@login_required
def import_job(job_id: int):
    access.require(access.can_import_employees(current_user))
    job = access.get_visible_or_404(Job, job_id, current_user)
    if job.kind != JOB_KIND:
        abort(404)
    return render("employees/import_job.html", "job", job=job)
