"""Payroll pages (url prefix /gaji): runs, variance, approval, outputs, slips, attendance, predikat, rules."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import access
from ...domain import DomainError
from ...domain.labels import bulan
from ...domain.predikat import Predikat
from ...extensions import db
from ...forms import submitted_idempotency_key
from ...jobs import pages as job_pages
from ...models import (
    Employee,
    IssuedDocument,
    Job,
    PayrollRuleVersion,
    PayrollRun,
    PayrollStatusPeriod,
    RunKind,
    RunStatus,
    Unit,
    UnitKind,
)
from ...request_input import ids_in, query_int
from ...services import documents as docs
from ...services import jobs
from ...services.jobs import enqueue
from ...timeutil import today_wib
from . import bp, services, special
from . import documents as paydocs


def _run_or_404(run_id: int) -> PayrollRun:
    run = db.session.get(PayrollRun, run_id)
    if run is None:
        abort(404)
    return run


def _opd_choices() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit).where(Unit.kind.in_([UnitKind.PEMDA, UnitKind.OPD])).order_by(Unit.sort_order, Unit.name)
        )
    )


def _default_month() -> str:
    return services.previous_month(today_wib()).strftime("%Y-%m")


# ------------------------------------------------------------------------------------------- runs


@bp.get("/")
@login_required
def index():
    access.require(access.can_view_payroll(current_user))
    runs = db.session.scalars(select(PayrollRun).order_by(PayrollRun.month.desc(), PayrollRun.id.desc())).all()
    return render_template(
        "payroll/index.html", runs=runs, opds=_opd_choices(), month=_default_month(), errors=[], chosen=set(), form={}
    )


@bp.post("/run")
@login_required
def create():
    access.require(access.can_prepare_payroll(current_user))
    errors: list[str] = []
    month_text = request.form.get("month", "")
    chosen = set(ids_in(request.form.getlist("opd_ids")))
    whole = request.form.get("scope") == "pemda"
    kind_text = request.form.get("kind") or RunKind.REGULAR.value
    try:
        month = services.parse_month(month_text)
        kind = special.parse_kind(kind_text)
        opd_ids = None if whole else sorted(chosen)
        if kind is RunKind.REGULAR:
            run = services.create_run(month, opd_ids, current_user)
        else:
            start = end = None
            if kind is RunKind.RAPEL:
                start = services.parse_month(request.form.get("period_start", ""))
                end = services.parse_month(request.form.get("period_end", ""))
            run = special.create_special_run(kind, month, opd_ids, current_user, start, end)
    except DomainError as e:
        errors.append(e.message)
    else:
        db.session.commit()
        flash(f"Run {run.title} dibuat. Langkah berikutnya: hitung.", "success")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    db.session.rollback()
    runs = db.session.scalars(select(PayrollRun).order_by(PayrollRun.month.desc(), PayrollRun.id.desc())).all()
    return render_template(
        "payroll/index.html",
        runs=runs,
        opds=_opd_choices(),
        month=month_text,
        errors=errors,
        chosen=chosen,
        form=request.form,
    ), 422


@bp.get("/run/<int:run_id>")
@login_required
def show(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    job_id = request.args.get("job", type=query_int)
    job = _run_job(job_id, run.id) if job_id else None
    return render_template(
        "payroll/show.html",
        run=run,
        recap=services.recap(run),
        job=job,
        can_issue=access.can_issue_payroll_documents(current_user, run),
        issuers=paydocs.issuer_units() if run.status == RunStatus.FINAL else [],
        slip_count=paydocs.slip_count(run) if run.status == RunStatus.FINAL else 0,
        slip_subjects=len(paydocs.slip_subject_ids(run)) if run.status == RunStatus.FINAL else 0,
        daftar_docs=paydocs.daftar_documents(run) if run.status == RunStatus.FINAL else {},
        special_note=special.describe_run(run),
        excluded=special.excluded_for_page(run),
    )


def _job_run_id(job: Job) -> int | None:
    """The payroll run a job works on (its computation or its slip batch); None for any other job."""
    params = job.params or {}
    return {access.PAYROLL_COMPUTE_JOB: params.get("run_id"), access.BATCH_JOB: params.get("payroll_run_id")}.get(
        job.kind
    )


def _run_job(job_id: int, run_id: int | None = None) -> Job | None:
    """A payroll run's job the user may see (of `run_id` if given); an orphaned one is marked failed first."""
    job = db.session.scalars(access.visible_jobs(current_user).where(Job.id == job_id)).first()
    if job is None or _job_run_id(job) is None or run_id not in (None, _job_run_id(job)):
        return None
    return jobs.check_orphaned(job)


@bp.get("/pekerjaan/<int:job_id>")
@login_required
def job_status(job_id: int):
    access.require(access.can_view_payroll(current_user))
    job = _run_job(job_id) or abort(404)
    return render_template("payroll/_job.html", job=job)


@bp.post("/pekerjaan/<int:job_id>/ulangi")
@login_required
def job_retry(job_id: int):
    """ "Ulangi" on a failed computation (one transaction: nothing of a killed run stays) or slip batch (the
    slips already issued are skipped)."""
    access.require(access.can_view_payroll(current_user))
    job = _run_job(job_id) or abort(404)
    run_id = _job_run_id(job)
    return job_pages.retry_from_page(job, current_user, lambda i: url_for("payroll.show", run_id=run_id, job=i))


def _refuse_locked(run: PayrollRun):
    flash(
        f"Run {run.title} berstatus {run.status.label} dan tidak dapat diubah lagi"
        + ("; koreksi hanya melalui run kompensasi." if run.locked else "."),
        "error",
    )
    return redirect(url_for("payroll.show", run_id=run.id), 303)


@bp.post("/run/<int:run_id>/hitung")
@login_required
def compute(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_prepare_payroll(current_user))
    if not access.can_edit_run(current_user, run):
        return _refuse_locked(run)
    population = services.population_count(run)
    if population > services.INLINE_MAX:
        job = enqueue(
            "payroll_compute", f"Menghitung {run.title}", {"run_id": run.id}, current_user.id, total=population
        )
        db.session.commit()
        return redirect(url_for("payroll.show", run_id=run.id, job=job.id), 303)
    try:
        services.compute_run(run, current_user)
    except services.PayrollRefused as e:
        db.session.rollback()
        return render_template("payroll/refused.html", run=run, problems=e.problems), 422
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    db.session.commit()
    flash(f"{run.employee_count} pegawai dihitung. Periksa daftar varians sebelum verifikasi.", "success")
    return redirect(url_for("payroll.variance", run_id=run.id), 303)


@bp.get("/run/<int:run_id>/varians")
@login_required
def variance(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    items = services.variance(run) if run.status != RunStatus.DRAFT else []
    return render_template("payroll/variance.html", run=run, items=items)


_STEPS = {
    "verifikasi": ("verify", access.can_verify_run, "Run diverifikasi."),
    "setujui": ("approve", access.can_approve_run, "Run disetujui."),
    "final": ("finalise", access.can_finalise_run, "Run final dan terkunci; slip gaji terbit untuk pegawai."),
}


@bp.post("/run/<int:run_id>/<any(verifikasi, setujui, final):step>")
@login_required
def advance(run_id: int, step: str):
    run = _run_or_404(run_id)
    name, allowed, done = _STEPS[step]
    access.require(access.can_view_payroll(current_user))
    if not allowed(current_user, run):
        reason = access.refusal_of_run_step(current_user, run, name)
        if reason:  # one of the run's makers (or its verifier): told why, nothing changes
            flash(reason, "error")
            return redirect(url_for("payroll.show", run_id=run.id), 303)
        abort(403)
    try:
        changed = services.transition(run, name, current_user)
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    db.session.commit()
    flash(
        done if changed else f"Tidak ada perubahan: run sudah berstatus {run.status.label}.",
        "success" if changed else "info",
    )
    return redirect(url_for("payroll.show", run_id=run.id), 303)


@bp.post("/run/<int:run_id>/hapus")
@login_required
def delete(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_prepare_payroll(current_user))
    if not access.can_edit_run(current_user, run):
        return _refuse_locked(run)
    services.delete_draft(run)
    db.session.commit()
    flash("Run dihapus.", "success")
    return redirect(url_for("payroll.index"), 303)


@bp.post("/run/<int:run_id>/kompensasi")
@login_required
def compensate(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_prepare_payroll(current_user))
    try:
        new = services.create_run(
            run.month, None, current_user, RunKind.COMPENSATING, original=run, reason=request.form.get("reason", "")
        )
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    db.session.commit()
    flash(f"Run koreksi {new.title} dibuat dan merujuk run #{run.id}.", "success")
    return redirect(url_for("payroll.show", run_id=new.id), 303)


# ---------------------------------------------------------------------------------------- outputs


def _opd_arg() -> tuple[int | None, str]:
    opd_id = request.args.get("opd", type=query_int)
    if opd_id is None:
        return None, "Semua OPD"
    unit = db.session.get(Unit, opd_id)
    if unit is None:
        abort(404)
    return opd_id, unit.name


@bp.get("/run/<int:run_id>/daftar")
@login_required
def register(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    opd_id, opd_name = _opd_arg()
    columns, rows = services.daftar_gaji(run, opd_id)
    return render_template(
        "payroll/register.html", run=run, columns=columns, rows=rows, opd_id=opd_id, opd_name=opd_name
    )


@bp.get("/run/<int:run_id>/daftar.xlsx")
@login_required
def register_xlsx(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    opd_id, opd_name = _opd_arg()
    data = services.daftar_gaji_xlsx(run, opd_id, opd_name)
    name = f"daftar-gaji-{run.month:%Y-%m}-run{run.id}{f'-opd{opd_id}' if opd_id else ''}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/run/<int:run_id>/bank.csv")
@login_required
def bank_file(run_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    if run.status not in (RunStatus.DISETUJUI, RunStatus.FINAL):
        flash("Berkas transfer bank hanya tersedia untuk run yang sudah disetujui.", "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    return Response(
        services.bank_csv(run),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="transfer-bank-{run.month:%Y-%m}-run{run.id}.csv"'},
    )


# ------------------------------------------------------------------------------------------ slips


@bp.get("/run/<int:run_id>/pegawai/<int:employee_id>")
@login_required
def slip(run_id: int, employee_id: int):
    """ "Mengapa gaji saya sebesar ini?": every line with its rule, version, inputs and attendance events."""
    run = _run_or_404(run_id)
    emp = access.get_employee_or_404(employee_id)
    if not access.can_view_slip(current_user, run, emp):
        abort(404)
    ctx = services.slip_context(run, emp)
    if ctx is None:
        abort(404)
    doc = paydocs.slip_document(run.id, emp.id) if run.status == RunStatus.FINAL else None
    rapel = special.rapel_months(run, emp.id) if run.kind == RunKind.RAPEL else None
    return render_template(
        "payroll/slip.html", slip=ctx, run=run, slip_doc=doc, rapel=rapel, special_note=special.describe_run(run)
    )


def _pdf_response(doc: IssuedDocument, filename: str) -> Response:
    """Stream the stored bytes of an issued document (never a re-render)."""
    data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))
    resp = current_app.response_class(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["X-Content-SHA256"] = doc.sha256 or ""
    return resp


@bp.get("/run/<int:run_id>/pegawai/<int:employee_id>/slip.pdf")
@login_required
def slip_pdf(run_id: int, employee_id: int):
    """Self-service download of the issued, verifiable slip gaji PDF (own slip, final runs only)."""
    run = _run_or_404(run_id)
    emp = access.get_employee_or_404(employee_id)
    if not access.can_download_slip_pdf(current_user, run, emp):
        abort(404)
    doc = paydocs.slip_document(run.id, emp.id)
    if doc is None:
        abort(404)
    return _pdf_response(doc, f"slip-gaji-{run.month:%Y-%m}-{emp.nip}-run{run.id}.pdf")


def _issuer_arg() -> int | None:
    unit_id = request.form.get("unit_id", type=query_int)
    if unit_id is None or unit_id not in {u.id for u in paydocs.issuer_units()}:
        return None
    return unit_id


@bp.post("/run/<int:run_id>/slip/terbitkan")
@login_required
def issue_slips(run_id: int):
    """Issue every slip of a final run in one documents batch job (progress bar on the run page)."""
    run = _run_or_404(run_id)
    access.require(access.can_issue_payroll_documents(current_user))
    if run.status != RunStatus.FINAL:
        flash(paydocs.NOT_FINAL.format(status=run.status.label), "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    unit_id = _issuer_arg()
    if unit_id is None:
        flash("Pilih unit penerbit yang kop suratnya sudah diatur (menu Dokumen › Pengaturan).", "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    try:
        key = submitted_idempotency_key(f"slip-batch:run{run.id}")
        job = paydocs.start_slip_batch(run, unit_id, today_wib(), current_user.id, docs.public_base_url(), key)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    return redirect(url_for("payroll.show", run_id=run.id, job=job.id), 303)


@bp.post("/run/<int:run_id>/slip/gantikan")
@login_required
def replace_slips(run_id: int):
    """Compensating run: revoke the original slips it corrected, each linked to its replacement slip."""
    run = _run_or_404(run_id)
    access.require(access.can_issue_payroll_documents(current_user))
    try:
        n = paydocs.replace_original_slips(run, current_user.id)
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    db.session.commit()
    flash(f"{n} slip gaji run #{run.original_run_id} dicabut dan diganti slip run ini.", "success")
    return redirect(url_for("payroll.show", run_id=run.id), 303)


@bp.post("/run/<int:run_id>/daftar/terbitkan")
@login_required
def issue_register_pdf(run_id: int):
    """Issue the daftar gaji PDF of one OPD (never one for the whole regency)."""
    run = _run_or_404(run_id)
    access.require(access.can_issue_payroll_documents(current_user))
    back = redirect(url_for("payroll.show", run_id=run.id), 303)
    if run.status != RunStatus.FINAL:
        flash(paydocs.NOT_FINAL.format(status=run.status.label), "error")
        return back
    unit_id = _issuer_arg()
    opd_id = request.form.get("opd_id", type=query_int)
    if unit_id is None:
        flash("Pilih unit penerbit yang kop suratnya sudah diatur (menu Dokumen › Pengaturan).", "error")
        return back
    if opd_id is None or db.session.get(Unit, opd_id) is None:
        flash("Pilih OPD yang daftar gajinya diterbitkan.", "error")
        return back
    try:
        doc, new = paydocs.issue_daftar(run, opd_id, unit_id, today_wib(), current_user.id, docs.public_base_url())
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return back
    except IntegrityError:  # a simultaneous click issued it first (one daftar per run and OPD: a unique key)
        db.session.rollback()
        doc, new = paydocs.daftar_document(run.id, opd_id), False
        if doc is None:
            raise
    flash(
        f"Daftar gaji {doc.title} terbit dengan nomor {doc.number}."
        if new
        else f"Daftar gaji OPD ini sudah terbit ({doc.number}); tidak diterbitkan dua kali.",
        "success" if new else "info",
    )
    return back


@bp.get("/run/<int:run_id>/daftar/<int:opd_id>.pdf")
@login_required
def register_pdf(run_id: int, opd_id: int):
    run = _run_or_404(run_id)
    access.require(access.can_download_daftar_pdf(current_user))
    doc = paydocs.daftar_document(run.id, opd_id)
    if doc is None:
        abort(404)
    return _pdf_response(doc, f"daftar-gaji-{run.month:%Y-%m}-run{run.id}-opd{opd_id}.pdf")


@bp.get("/saya")
@login_required
def mine():
    access.require(access.can_view_own_pay(current_user))
    runs = services.employee_runs(current_user.employee_id, final_only=True)
    slips = {r.id: paydocs.slip_document(r.id, current_user.employee_id) for r in runs}
    return render_template("payroll/mine.html", runs=runs, employee=current_user.employee, slips=slips)


# ------------------------------------------------------------------------------ attendance/predikat


def _attendance_page(status: int = 200, **ctx):
    ctx.setdefault("month", _default_month())
    ctx.setdefault("errors", [])
    ctx.setdefault("form_errors", {})
    ctx.setdefault("form", {})
    return render_template(
        "payroll/attendance.html", predikat_choices=[(p.value, p.label) for p in Predikat], **ctx
    ), status


@bp.get("/kehadiran")
@login_required
def attendance():
    access.require(access.can_manage_attendance(current_user))
    return _attendance_page()


@bp.post("/kehadiran/impor")
@login_required
def attendance_import():
    access.require(access.can_manage_attendance(current_user))
    month_text = request.form.get("month", "")
    upload = request.files.get("file")
    try:
        month = services.parse_month(month_text)
    except DomainError as e:
        return _attendance_page(422, month=month_text, errors=[(0, e.message)])
    if upload is None or not upload.filename:
        return _attendance_page(422, month=month_text, errors=[(0, "Pilih berkas CSV atau XLSX.")])
    res = services.import_attendance(upload.filename, upload.read(), month, current_user)
    if res.errors:
        db.session.rollback()
        return _attendance_page(422, month=month_text, errors=res.errors)
    db.session.commit()
    flash(f"{res.rows} baris kehadiran {bulan(month)} diimpor.", "success")
    return redirect(url_for("payroll.attendance"), 303)


@bp.post("/kehadiran/koreksi")
@login_required
def attendance_correct():
    access.require(access.can_manage_attendance(current_user))
    f = request.form
    errs: dict[str, str] = {}
    emp = db.session.scalar(select(Employee).where(Employee.nip == f.get("nip", "").replace(" ", "")))
    if emp is None:
        errs["nip"] = "NIP tidak dikenal."
    try:
        day = date.fromisoformat(f.get("tanggal", ""))
    except ValueError:
        errs["tanggal"] = "Tanggal tidak sah (format TTTT-BB-HH)."
    nums = {}
    for key in ("terlambat_menit", "pulang_cepat_menit"):
        try:
            nums[key] = int(f.get(key) or 0)
        except ValueError:
            errs[key] = "Harus berupa bilangan bulat."
    if not errs:
        try:
            services.correct_attendance(
                emp,
                day,
                nums["terlambat_menit"],
                nums["pulang_cepat_menit"],
                f.get("kode_absen"),
                f.get("jenis_cuti"),
                f.get("reason", ""),
                current_user,
            )
        except DomainError as e:
            errs[e.field or "reason"] = e.message
    if errs:
        db.session.rollback()
        return _attendance_page(422, form_errors=errs, form=f)
    db.session.commit()
    flash(f"Kehadiran {emp.name} tanggal {day.isoformat()} dikoreksi.", "success")
    return redirect(url_for("payroll.attendance"), 303)


@bp.post("/predikat/impor")
@login_required
def predikat_import():
    access.require(access.can_manage_attendance(current_user))
    month_text = request.form.get("month", "")
    upload = request.files.get("file")
    errors: list[tuple[int, str]] = []
    try:
        month = services.parse_month(month_text)
        if upload is None or not upload.filename:
            raise DomainError("Pilih berkas CSV atau XLSX.")
        rows = services.read_table(upload.filename, upload.read())
    except DomainError as e:
        return _attendance_page(422, month=month_text, predikat_errors=[(0, e.message)])
    nips = {r.get("nip", "").replace(" ", "") for r in rows}
    emps = {e.nip: e for e in db.session.scalars(select(Employee).where(Employee.nip.in_(nips)))}
    valid = {p.value for p in Predikat} | {p.label.lower(): p.value for p in Predikat}.keys()
    by_label = {p.label.lower(): p for p in Predikat}
    parsed = []
    for i, r in enumerate(rows, start=2):
        nip = r.get("nip", "").replace(" ", "")
        raw = (r.get("predikat") or "").strip().lower()
        if nip not in emps:
            errors.append((i, f"NIP '{nip}' tidak dikenal."))
        if raw not in valid:
            errors.append((i, f"Predikat '{r.get('predikat', '')}' tidak dikenal."))
        elif nip in emps:
            parsed.append((emps[nip], by_label.get(raw) or Predikat(raw), r.get("sumber") or "impor operator"))
    if errors or not parsed:
        return _attendance_page(422, month=month_text, predikat_errors=errors or [(0, "Berkas kosong.")])
    changed = [emp.id for emp, pred, src in parsed if services.set_predikat(emp, month, pred, src, current_user)]
    fixed = services.runs_past_recompute(month, changed)
    db.session.commit()
    flash(f"{len(parsed)} predikat {bulan(month)} disimpan.", "success")
    if fixed:
        runs = ", ".join(f"{r.title} ({r.status.label})" for r in fixed)
        flash(
            f"Bulan {bulan(month)} sudah dikunci: {runs} tidak diubah dan tidak dihitung ulang. "
            f"{len(changed)} predikat yang berubah dicatat sebagai masukan run kompensasi: buat run kompensasi "
            "dari run final bulan itu untuk membayar selisihnya.",
            "info",
        )
    return redirect(url_for("payroll.attendance"), 303)


# -------------------------------------------------------------------------------- TPP status periods


def _status_page(status: int = 200, **ctx):
    month_text = ctx.pop("month_text", None) or request.args.get("month") or _default_month()
    try:
        month = services.parse_month(month_text)
    except DomainError:
        month = services.parse_month(_default_month())
        month_text = month.strftime("%Y-%m")
    opd_id = request.args.get("opd", type=query_int)
    ctx.setdefault("form", {})
    ctx.setdefault("form_errors", {})
    ctx.setdefault("end_errors", {})
    return render_template(
        "payroll/status_tpp.html",
        month=month_text,
        month_label=bulan(month),
        opd_id=opd_id,
        opds=_opd_choices(),
        rows=services.status_periods_for(month, opd_id),
        kinds=services.status_kind_labels(),
        **ctx,
    ), status


def _parse_day(raw: str, field: str, errs: dict[str, str], required: bool = True) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            errs[field] = "Tanggal wajib diisi."
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errs[field] = "Tanggal tidak sah (format TTTT-BB-HH)."
        return None


@bp.get("/status-tpp")
@login_required
def tpp_status():
    access.require(access.can_manage_tpp_status(current_user))
    return _status_page()


@bp.post("/status-tpp")
@login_required
def tpp_status_add():
    access.require(access.can_manage_tpp_status(current_user))
    f = request.form
    errs: dict[str, str] = {}
    nip = f.get("nip", "").replace(" ", "")
    emp = db.session.scalar(select(Employee).where(Employee.nip == nip)) if nip else None
    if emp is None:
        errs["nip"] = "NIP wajib diisi." if not nip else f"Pegawai dengan NIP {nip} tidak dikenal."
    kind = f.get("kind", "")
    if kind not in services.status_kind_labels():
        errs["kind"] = "Pilih jenis status."
    mulai = _parse_day(f.get("mulai", ""), "mulai", errs)
    sampai = _parse_day(f.get("sampai", ""), "sampai", errs, required=False)
    if mulai and sampai and sampai < mulai:  # also checked in the domain; shown even when the NIP is wrong
        errs["sampai"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
    if not f.get("dasar", "").strip():
        errs["dasar"] = "Dasar (nomor SK) wajib diisi."
    if not errs:
        try:
            services.add_status_period(emp, kind, mulai, sampai, f.get("dasar", ""), f.get("alasan", ""), current_user)
        except DomainError as e:
            errs[e.field or "mulai"] = e.message
    if errs:
        db.session.rollback()
        return _status_page(422, form=f, form_errors=errs, month_text=f.get("month"))
    db.session.commit()
    flash(f"Status TPP {services.status_kind_labels()[kind]} untuk {emp.name} disimpan.", "success")
    return redirect(url_for("payroll.tpp_status", month=f.get("month") or None), 303)


@bp.post("/status-tpp/<int:period_id>/akhiri")
@login_required
def tpp_status_end(period_id: int):
    access.require(access.can_manage_tpp_status(current_user))
    period = db.session.get(PayrollStatusPeriod, period_id)
    if period is None:
        abort(404)
    errs: dict[str, str] = {}
    sampai = _parse_day(request.form.get("sampai", ""), "sampai", errs)
    if not errs:
        try:
            services.end_status_period(period, sampai)
        except DomainError as e:
            errs["sampai"] = e.message
    if errs:
        db.session.rollback()
        return _status_page(422, end_errors={period_id: errs["sampai"]}, month_text=request.form.get("month"))
    db.session.commit()
    flash("Tanggal selesai status TPP disimpan.", "success")
    return redirect(url_for("payroll.tpp_status", month=request.form.get("month") or None), 303)


# ------------------------------------------------------------------------------------------ rules


@bp.get("/aturan")
@login_required
def rules():
    access.require(access.can_manage_payroll_rules(current_user))
    return _rules_page()


def _rules_page(status: int = 200, **ctx):
    rows = db.session.scalars(
        select(PayrollRuleVersion).order_by(PayrollRuleVersion.code, PayrollRuleVersion.berlaku_mulai)
    ).all()
    labels = services.rule_labels()
    problems = (
        services.load_rules().problems() + special.special_table_problems(special.special_rule_table())
        if rows
        else ["Aturan belum dimuat: jalankan flask payroll muat-aturan."]
    )
    ctx.setdefault("errors", [])
    ctx.setdefault("form", {})
    return render_template("payroll/rules.html", rows=rows, labels=labels, problems=problems, **ctx), status


@bp.post("/aturan")
@login_required
def rules_add():
    access.require(access.can_manage_payroll_rules(current_user))
    f = request.form
    errors: list[str] = []
    try:
        mulai = date.fromisoformat(f.get("berlaku_mulai", ""))
    except ValueError:
        errors.append("Tanggal berlaku mulai tidak sah (format TTTT-BB-HH).")
    sampai = None
    if f.get("berlaku_sampai"):
        try:
            sampai = date.fromisoformat(f["berlaku_sampai"])
        except ValueError:
            errors.append("Tanggal berlaku sampai tidak sah (format TTTT-BB-HH).")
    try:
        data = json.loads(f.get("data", ""))
    except ValueError:
        errors.append("Data aturan harus JSON yang sah.")
    if not f.get("version_id", "").strip():
        errors.append("Kode versi wajib diisi.")
    if not f.get("citation", "").strip():
        errors.append("Dasar hukum (kutipan) wajib diisi.")
    if not errors:
        try:
            services.add_rule_version(
                services.RuleVersionDraft(
                    f.get("code", ""), f["version_id"].strip(), mulai, sampai, f["citation"].strip(), data
                ),
                current_user,
            )
        except services.PayrollRefused as e:
            errors += e.problems
        except DomainError as e:
            errors.append(e.message)
    if errors:
        db.session.rollback()
        return _rules_page(422, errors=errors, form=f)
    db.session.commit()
    flash("Versi aturan baru disimpan.", "success")
    return redirect(url_for("payroll.rules"), 303)
