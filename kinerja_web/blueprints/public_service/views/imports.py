"""Service-log import: upload → preview (per-row errors, dropped personal-data columns) → confirm; a large file
is confirmed by a background job with a progress bar."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain import DomainError
from ....jobs import pages as job_pages
from ....services.employees.import_files import upload_dir
from ....services.jobs import enqueue
from ....services.public_service import files, import_job, log_import
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import ImportConfirmForm
from .common import load_unit

MAX_UPLOAD = 60 * 1024 * 1024
IMPORT_CLASH = "Impor lain untuk unit ini baru saja disimpan; periksa pratinjau lalu konfirmasi lagi."


def _upload_page(unit, error: str | None = None, status: int = 200):
    return render_template(
        "public_service/import_upload.html", unit=unit, columns=log_import.COLUMNS, error=error
    ), status


@bp.route("/unit/<int:unit_id>/impor", methods=["GET", "POST"])
@login_required
def import_upload(unit_id: int):
    unit = load_unit(unit_id, access.can_manage_unit_services)
    if request.method == "GET":
        return _upload_page(unit)
    upload = request.files.get("berkas")
    if upload is None or not upload.filename:
        return _upload_page(unit, "Pilih berkas CSV atau XLSX.", 422)
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _upload_page(unit, "Berkas lebih dari 60 MB; pecah menjadi beberapa berkas.", 422)
    try:
        table = files.read_table(upload.filename, data)
        log_import.build_preview(unit, table, today=today_wib())  # a missing column is said on the upload page
    except DomainError as e:
        return _upload_page(unit, e.message, 422)
    token = files.save_upload(upload_dir(current_app), upload.filename, data, user_id=current_user.id, unit_id=unit.id)
    return redirect(url_for("public_service.import_preview", unit_id=unit.id, token=token), 303)


@bp.get("/unit/<int:unit_id>/impor/templat.csv")
@login_required
def import_template(unit_id: int):
    load_unit(unit_id, access.can_manage_unit_services)
    return Response(
        log_import.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="templat-catatan-layanan.csv"'},
    )


def _kept(unit, token: str):
    kept = files.load_upload(upload_dir(current_app), token, unit_id=unit.id)
    if kept is None:
        flash("Berkas impor sudah tidak tersedia (kedaluwarsa atau sudah diimpor). Unggah ulang.", "info")
        abort(redirect(url_for("public_service.import_upload", unit_id=unit.id), 303))
    return kept


def _preview_page(unit, preview, token: str, form, error: str | None = None, status: int = 200):
    return (
        render_template(
            "public_service/import_preview.html",
            unit=unit,
            preview=preview,
            token=token,
            form=form,
            error=error,
            bad_rows=preview.bad_rows[: log_import.SHOWN_BAD_ROWS],
            inline_limit=log_import.INLINE_LIMIT,
        ),
        status,
    )


def _read_preview(unit, token: str):
    filename, data, _ = _kept(unit, token)
    try:
        return log_import.build_preview(unit, files.read_table(filename, data), today=today_wib())
    except DomainError as e:
        flash(e.message, "error")
        abort(redirect(url_for("public_service.import_upload", unit_id=unit.id), 303))


@bp.get("/unit/<int:unit_id>/impor/<token>")
@login_required
def import_preview(unit_id: int, token: str):
    unit = load_unit(unit_id, access.can_manage_unit_services)
    return _preview_page(unit, _read_preview(unit, token), token, ImportConfirmForm())


@bp.post("/unit/<int:unit_id>/impor/<token>")
@login_required
def import_confirm(unit_id: int, token: str):
    unit = load_unit(unit_id, access.can_manage_unit_services)
    preview = _read_preview(unit, token)  # checked again: the data may have changed since the preview
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return _preview_page(unit, preview, token, form, status=422)
    skip = bool(form.skip_invalid.data)
    if preview.bad_rows and not skip:
        msg = (
            f"Berkas berisi {len(preview.bad_rows)} baris yang salah; tidak ada data yang diimpor. "
            "Perbaiki berkas lalu unggah ulang, atau centang “lewati baris yang salah”."
        )
        return _preview_page(unit, preview, token, form, error=msg, status=422)
    if preview.importable == 0:
        files.discard_upload(upload_dir(current_app), token)
        flash("Tidak ada yang berubah: semua baris sudah sama dengan data tersimpan.", "info")
        return redirect(url_for("public_service.unit_dashboard", unit_id=unit.id), 303)
    if preview.importable > log_import.INLINE_LIMIT:
        with attempt(flash_category=None) as started:
            job = enqueue(
                import_job.JOB_KIND,
                f"Impor catatan layanan {unit.name}: {preview.filename}",
                {"token": token, "unit_id": unit.id, "skip_invalid": skip},
                current_user.id,
                total=100,
            )
        if not started:
            return _preview_page(unit, preview, token, form, error=started.message, status=422)
        return redirect(url_for("public_service.import_job_page", unit_id=unit.id, job_id=job.id), 303)
    with attempt(flash_category=None, conflict=IMPORT_CLASH, conflict_on_integrity=True) as done:
        counts = log_import.apply_preview(preview, skip_invalid=skip, now=datetime.now(UTC))
    if not done:
        return _preview_page(unit, preview, token, form, error=done.message, status=422)
    files.discard_upload(upload_dir(current_app), token)
    flash("Impor selesai. " + log_import.counts_text(counts), "success")
    return redirect(url_for("public_service.unit_dashboard", unit_id=unit.id), 303)


def _job_of_unit(unit_id: int):
    return lambda job: (job.params or {}).get("unit_id") == unit_id


@bp.get("/unit/<int:unit_id>/impor/pekerjaan/<int:job_id>")
@login_required
def import_job_page(unit_id: int, job_id: int):
    unit = load_unit(unit_id, access.can_manage_unit_services)
    return job_pages.show(
        job_id, import_job.JOB_KIND, template="public_service/import_job.html", block="job",
        where=_job_of_unit(unit_id), unit=unit,
    )  # fmt: skip


@bp.post("/unit/<int:unit_id>/impor/pekerjaan/<int:job_id>/ulangi")
@login_required
def import_job_retry(unit_id: int, job_id: int):
    load_unit(unit_id, access.can_manage_unit_services)
    return job_pages.retry_view(
        job_id, import_job.JOB_KIND, where=_job_of_unit(unit_id),
        page=lambda _job, i: url_for("public_service.import_job_page", unit_id=unit_id, job_id=i),
    )  # fmt: skip
