"""The month's inputs: attendance (import, correction), predikat import, TPP status periods."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain import DomainError
from ....domain.labels import bulan
from ....domain.predikat import Predikat
from ....extensions import db
from ....models import (
    PayrollStatusPeriod,
)
from ....request_input import query_int
from ....services.payroll import attendance as pay_attendance
from ....services.payroll import months, predikat, status_periods
from ....services.payroll import runs as pay_runs
from ....web import attempt
from .. import bp
from .common import default_month

# ------------------------------------------------------------------------------ attendance/predikat


def _attendance_page(status: int = 200, **ctx):
    ctx.setdefault("month", default_month())
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
    with attempt(flash_category=None, commit=False) as parsed:
        month = months.parse_month(month_text)
    if not parsed:
        return _attendance_page(422, month=month_text, errors=[(0, parsed.message)])
    if upload is None or not upload.filename:
        return _attendance_page(422, month=month_text, errors=[(0, "Pilih berkas CSV atau XLSX.")])
    with attempt(flash_category=None) as done:  # all or nothing: with errors no row was written
        res = pay_attendance.import_attendance(upload.filename, upload.read(), month, current_user)
    if not done:
        return _attendance_page(422, month=month_text, errors=[(0, done.message)])
    if res.errors:
        return _attendance_page(422, month=month_text, errors=res.errors)
    flash(f"{res.rows} baris kehadiran {bulan(month)} diimpor.", "success")
    _mark_correction_inputs(month, res.employee_ids, "baris kehadiran")
    return redirect(url_for("payroll.attendance"), 303)


@bp.post("/kehadiran/koreksi")
@login_required
def attendance_correct():
    access.require(access.can_manage_attendance(current_user))
    f = request.form
    errs: dict[str, str] = {}
    emp = predikat.employee_by_nip(f.get("nip", ""))
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
        with attempt(flash_category=None) as done:
            pay_attendance.correct_attendance(
                emp,
                day,
                nums["terlambat_menit"],
                nums["pulang_cepat_menit"],
                f.get("kode_absen"),
                f.get("jenis_cuti"),
                f.get("reason", ""),
                current_user,
            )
        if not done:
            errs[done.field or "reason"] = done.message
    if errs:
        return _attendance_page(422, form_errors=errs, form=f)
    flash(f"Kehadiran {emp.name} tanggal {day.isoformat()} dikoreksi.", "success")
    _mark_correction_inputs(day, [emp.id], "koreksi kehadiran")
    return redirect(url_for("payroll.attendance"), 303)


@bp.post("/predikat/impor")
@login_required
def predikat_import():
    access.require(access.can_manage_attendance(current_user))
    month_text = request.form.get("month", "")
    upload = request.files.get("file")
    with attempt(flash_category=None, commit=False) as read:
        month = months.parse_month(month_text)
        if upload is None or not upload.filename:
            raise DomainError("Pilih berkas CSV atau XLSX.")
        rows = pay_attendance.read_table(upload.filename, upload.read())
    if not read:
        return _attendance_page(422, month=month_text, predikat_errors=[(0, read.message)])
    parsed, errors = predikat.read_predikat_rows(rows)
    if errors or not parsed:
        return _attendance_page(422, month=month_text, predikat_errors=errors or [(0, "Berkas kosong.")])
    with attempt(flash_category=None) as saved:
        changed = [emp.id for emp, pred, src in parsed if predikat.set_predikat(emp, month, pred, src, current_user)]
        fixed = predikat.runs_past_recompute(month, changed)
    if not saved:
        return _attendance_page(422, month=month_text, predikat_errors=[(0, saved.message)])
    flash(f"{len(parsed)} predikat {bulan(month)} disimpan.", "success")
    _flash_locked(month, fixed, f"{len(changed)} predikat yang berubah")
    return redirect(url_for("payroll.attendance"), 303)


def _mark_correction_inputs(month: date, employee_ids, what: str) -> None:
    """Inputs of a month whose runs can no longer be recomputed are told apart: they count only through a
    compensating run (issue 20 item 10)."""
    fixed = predikat.runs_past_recompute(month, employee_ids)
    _flash_locked(month.replace(day=1), fixed, what)


def _flash_locked(month: date, fixed, what: str) -> None:
    if fixed:
        runs = ", ".join(f"{r.title} ({r.status.label})" for r in fixed)
        flash(
            f"Bulan {bulan(month)} sudah dikunci: {runs} tidak diubah dan tidak dihitung ulang. "
            f"{what} dicatat sebagai masukan proses kompensasi: buat proses kompensasi "
            "dari proses penggajian final bulan itu untuk membayar selisihnya.",
            "info",
        )


# -------------------------------------------------------------------------------- TPP status periods


def _status_page(status: int = 200, **ctx):
    month_text = ctx.pop("month_text", None) or request.args.get("month") or default_month()
    try:
        month = months.parse_month(month_text)
    except DomainError:
        month = months.parse_month(default_month())
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
        opds=pay_runs.opd_units(),
        rows=status_periods.status_periods_for(month, opd_id),
        kinds=status_periods.status_kind_labels(),
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
    access.require(access.can_manage_attendance(current_user))
    return _status_page()


@bp.post("/status-tpp")
@login_required
def tpp_status_add():
    access.require(access.can_manage_attendance(current_user))
    f = request.form
    errs: dict[str, str] = {}
    nip = f.get("nip", "").replace(" ", "")
    emp = predikat.employee_by_nip(nip)
    if emp is None:
        errs["nip"] = "NIP wajib diisi." if not nip else f"Pegawai dengan NIP {nip} tidak dikenal."
    kind = f.get("kind", "")
    if kind not in status_periods.status_kind_labels():
        errs["kind"] = "Pilih jenis status."
    mulai = _parse_day(f.get("mulai", ""), "mulai", errs)
    sampai = _parse_day(f.get("sampai", ""), "sampai", errs, required=False)
    if mulai and sampai and sampai < mulai:  # also checked in the domain; shown even when the NIP is wrong
        errs["sampai"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
    if not f.get("dasar", "").strip():
        errs["dasar"] = "Dasar (nomor SK) wajib diisi."
    if not errs:
        with attempt(flash_category=None) as done:
            status_periods.add_status_period(
                emp, kind, mulai, sampai, f.get("dasar", ""), f.get("alasan", ""), current_user
            )
        if not done:
            errs[done.field or "mulai"] = done.message
    if errs:
        return _status_page(422, form=f, form_errors=errs, month_text=f.get("month"))
    flash(f"Status TPP {status_periods.status_kind_labels()[kind]} untuk {emp.name} disimpan.", "success")
    return redirect(url_for("payroll.tpp_status", month=f.get("month") or None), 303)


@bp.post("/status-tpp/<int:period_id>/akhiri")
@login_required
def tpp_status_end(period_id: int):
    access.require(access.can_manage_attendance(current_user))
    period = db.session.get(PayrollStatusPeriod, period_id)
    if period is None:
        abort(404)
    errs: dict[str, str] = {}
    sampai = _parse_day(request.form.get("sampai", ""), "sampai", errs)
    if not errs:
        with attempt(flash_category=None) as done:
            status_periods.end_status_period(period, sampai)
        if not done:
            errs["sampai"] = done.message
    if errs:
        return _status_page(422, end_errors={period_id: errs["sampai"]}, month_text=request.form.get("month"))
    flash("Tanggal selesai status TPP disimpan.", "success")
    return redirect(url_for("payroll.tpp_status", month=request.form.get("month") or None), 303)
