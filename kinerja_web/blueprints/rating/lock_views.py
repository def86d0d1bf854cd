"""Locking a period/window (HR) with its document job, and the evaluation document download (item 8)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...jobs import pages as job_pages
from ...models import Job, Period
from ...services.documents import issuing as docs
from ...services.rating import documents, locking, windows
from ...timeutil import today_wib
from ...web import attempt
from . import bp
from .forms import LockForm
from .views import _load, _window


def _lock_page(period: Period, window_no: int, missing=None, message: str | None = None, status: int = 200):
    today = today_wib()
    locks = locking.locks_of(period)
    rows = []
    for no, label in windows.window_choices(period):
        lock = locks.get(no)
        rows.append(
            {
                "no": no,
                "label": label,
                "lock": lock,
                "job": db.session.get(Job, lock.job_id) if lock and lock.job_id else None,
            }
        )
    if missing is None and window_no not in locks:
        missing = locking.unfinished(period, window_no, today)
    return (
        render_template(
            "rating/lock.html",
            period=period,
            periods=windows.periods(),
            window_no=window_no,
            window_label=windows.window_label(period, window_no),
            rows=rows,
            lock=locks.get(window_no),
            missing=missing or [],
            finals=len(locking.final_ratings(period, window_no)),
            message=message,
            form=LockForm(),
        ),
        status,
    )


@bp.get("/<int:period_id>/kunci")
@login_required
def lock_page(period_id: int):
    """Which windows are locked, and who is still unfinished in the chosen one."""
    access.require(access.is_hr(current_user))
    period = db.get_or_404(Period, period_id)
    return _lock_page(period, _window(period))


@bp.post("/<int:period_id>/kunci")
@login_required
def lock(period_id: int):
    access.require(access.is_hr(current_user))
    period = db.get_or_404(Period, period_id)
    window_no = _window(period)
    form = LockForm()
    if not form.validate():
        return _lock_page(period, window_no, message="Sesi formulir tidak sah. Muat ulang halaman.", status=422)
    with attempt(flash_category=None) as done:  # NotReady: the page lists who is unfinished (recomputed)
        row, new = locking.lock(period, window_no, current_user, today_wib(), docs.public_base_url())
    if not done:
        return _lock_page(period, window_no, message=done.message, status=422)
    if not new:
        flash("Periode ini sudah dikunci sebelumnya; dokumen tidak diterbitkan dua kali.", "info")
    if row.job_id is None:
        return redirect(url_for("rating.lock_page", period_id=period.id, jendela=window_no or None), 303)
    return redirect(url_for("rating.lock_status", job_id=row.job_id), 303)


@bp.get("/kunci/<int:job_id>")
@login_required
def lock_status(job_id: int):
    """Progress of the document job (htmx polls the fragment; without JS the page is reloaded)."""
    return job_pages.show(
        job_id,
        locking.JOB_KIND,
        allowed=access.is_hr(current_user),
        template="rating/lock_status.html",
        block="job",
        context=lambda job: {
            "period": db.session.get(Period, job.params["period_id"]),
            "window_no": int(job.params["window_no"]),
            "counts": locking.job_documents(job.id),
        },
    )


@bp.get("/kunci/<int:job_id>/<any(pdf, zip):kind>")
@bp.get("/kunci/<int:job_id>/<any(pdf):kind>/<int:part>")
@login_required
def lock_file(job_id: int, kind: str, part: int = 1):
    """The lock job's documents: merged PDF (part `part` of a large window) or ZIP of single files."""
    access.require(access.is_hr(current_user))
    job = job_pages.get_for_page(job_id, current_user, locking.JOB_KIND)
    return job_pages.batch_file(job, kind, part, f"dokumen-penilaian-{job.id}")


@bp.get("/<int:period_id>/pegawai/<int:employee_id>/dokumen-evaluasi")
@login_required
def evaluation_pdf(period_id: int, employee_id: int):
    """The employee's valid Dokumen Evaluasi Kinerja (stored bytes, never a re-render)."""
    period, employee, window_no = _load(period_id, employee_id)
    rating = windows.rating_of(employee.id, period.id, window_no)
    if not access.can_download_evaluation(current_user, employee, rating):
        abort(404)
    doc = documents.valid_evaluation_document(rating)
    if doc is None:
        abort(404)
    data = db.session.get(type(doc), doc.id).pdf
    name = f"evaluasi-kinerja-{employee.nip}-{period.year}{'-' + str(window_no) if window_no else ''}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
    )


@bp.post("/kunci/<int:job_id>/ulang")
@login_required
def lock_rerun(job_id: int):
    """Run the lock's document job again (e.g. after completing an employee's data): nothing issues twice."""
    return job_pages.retry_view(
        job_id,
        locking.JOB_KIND,
        allowed=access.is_hr(current_user),
        where=lambda job: locking.lock_of_job(job) is not None,
        page=lambda _job, i: url_for("rating.lock_status", job_id=i),
        start=lambda job, user, key: locking.rerun_job(job, user, docs.public_base_url(), key),
    )
