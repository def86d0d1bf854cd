"""The tax year (issue 20 items 1 and 9): PTKP status per year (HR confirms/overrides), the year-to-date
import of a mid-year go-live (preview → confirm), the annual bukti potong PDF and the e-Bupot export."""

from __future__ import annotations

import base64
import binascii

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, audit
from ....domain import DomainError
from ....domain.payroll.ptkp_year import bukti_potong_form
from ....extensions import db
from ....models import Employee, PtkpYear
from ....request_input import query_int
from ....services.payroll import bukti_potong, ptkp_years, ytd_import
from ....services.payroll import documents as paydocs
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from .outputs import _pdf_response

PAGE_ROWS = 100  # a Pemda has thousands: search by name/NIP or show the pending ones
STATUSES = ("TK/0", "TK/1", "TK/2", "TK/3", "K/0", "K/1", "K/2", "K/3")


def _year() -> int:
    y = request.args.get("tahun", type=query_int) or request.form.get("tahun", type=query_int)
    return y if y and 2000 <= y <= 2100 else today_wib().year


# ------------------------------------------------------------------------------ PTKP per tax year


def _ptkp_page(status: int = 200, **ctx):
    tahun = ctx.pop("tahun", None) or _year()
    only = ctx.pop("only", None)  # a refused form: that row alone, with its message and typed values
    pending = request.args.get("tertunda") == "1"
    q = (request.args.get("q") or "").strip()[:100]
    ctx.setdefault("errors", {})
    ctx.setdefault("form", {})
    rows = ptkp_years.rows_of_year(tahun, pending_only=pending, q=q, limit=PAGE_ROWS + 1)
    return render_template(
        "payroll/ptkp_years.html",
        tahun=tahun,
        pending=pending,
        q=q,
        rows=[only] if only is not None else rows[:PAGE_ROWS],
        more=len(rows) > PAGE_ROWS,
        page_rows=PAGE_ROWS,
        pending_count=ptkp_years.pending_count(tahun),
        statuses=STATUSES,
        **ctx,
    ), status


@bp.get("/ptkp")
@login_required
def ptkp_years_page():
    access.require(access.can_manage_ptkp_years(current_user))
    return _ptkp_page()


@bp.post("/ptkp/buka")
@login_required
def ptkp_open():
    access.require(access.can_manage_ptkp_years(current_user))
    tahun = _year()
    with attempt() as done:
        res = ptkp_years.open_year(tahun, current_user)
    if done:
        flash(
            f"Tahun pajak {tahun}: {res.created} status dibuat dari data keluarga, {res.pending} perubahan menunggu "
            "konfirmasi.",
            "success",
        )
    return redirect(url_for("payroll.ptkp_years_page", tahun=tahun), 303)


def _row_or_404(row_id: int) -> PtkpYear:
    row = db.session.get(PtkpYear, row_id)
    if row is None:
        abort(404)
    return row


@bp.post("/ptkp/<int:row_id>/konfirmasi")
@login_required
def ptkp_confirm(row_id: int):
    access.require(access.can_manage_ptkp_years(current_user))
    row = _row_or_404(row_id)
    with attempt(flash_category=None) as done:
        ptkp_years.confirm(row, current_user)
    if not done:
        return _ptkp_page(422, tahun=row.tahun, errors={row_id: done.message}, only=row)
    flash(f"Status PTKP {row.employee.name} tahun {row.tahun} dikonfirmasi: {row.status}.", "success")
    return redirect(url_for("payroll.ptkp_years_page", tahun=row.tahun), 303)


@bp.post("/ptkp/<int:row_id>/ubah")
@login_required
def ptkp_override(row_id: int):
    access.require(access.can_manage_ptkp_years(current_user))
    row = _row_or_404(row_id)
    f = request.form
    with attempt(flash_category=None) as done:
        ptkp_years.override(row, f.get("status", ""), f.get("reason", ""), current_user)
    if not done:
        return _ptkp_page(422, tahun=row.tahun, errors={row_id: done.message}, form={row_id: f}, only=row)
    flash(f"Status PTKP {row.employee.name} tahun {row.tahun} ditetapkan {row.status}.", "success")
    return redirect(url_for("payroll.ptkp_years_page", tahun=row.tahun), 303)


# ------------------------------------------------------------------------------ year-to-date import


def _ytd_page(status: int = 200, **ctx):
    ctx.setdefault("error", None)
    ctx.setdefault("preview", None)
    return render_template(
        "payroll/ytd_import.html", columns=ytd_import.COLUMNS, entries=ytd_import.entries(), **ctx
    ), status


@bp.get("/impor-ytd")
@login_required
def ytd_page():
    access.require(access.can_import_ytd(current_user))
    return _ytd_page()


@bp.post("/impor-ytd/pratinjau")
@login_required
def ytd_preview():
    access.require(access.can_import_ytd(current_user))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _ytd_page(422, error="Pilih berkas XLSX atau CSV.")
    content = upload.read()
    with attempt(flash_category=None, commit=False) as read:
        preview = ytd_import.preview(upload.filename, content)
    if not read:
        return _ytd_page(422, error=read.message)
    return _ytd_page(
        200 if preview.ok else 422,
        preview=preview,
        filename=upload.filename,
        payload=base64.b64encode(content).decode(),
    )


@bp.post("/impor-ytd/simpan")
@login_required
def ytd_confirm():
    access.require(access.can_import_ytd(current_user))
    filename = request.form.get("filename", "")
    try:
        content = base64.b64decode(request.form.get("payload", ""), validate=True)
    except (binascii.Error, ValueError):
        content = b""
    if not content:
        return _ytd_page(422, error="Berkas pratinjau tidak terbaca; unggah ulang berkasnya.")
    with attempt(flash_category=None) as done:
        imp, created = ytd_import.confirm(filename, content, current_user)
    if not done:
        return _ytd_page(422, error=done.message)
    if created:
        flash(f"{imp.rows} baris penghasilan dan PPh 21 sebelum Kinerja disimpan.", "success")
    else:
        flash("Berkas yang sama sudah pernah diimpor; tidak ada yang berubah.", "info")
    return redirect(url_for("payroll.ytd_page"), 303)


# ------------------------------------------------------------------------------ annual bukti potong


def _bp_page(status: int = 200, **ctx):
    tahun = ctx.pop("tahun", None) or _year()
    rows = bukti_potong.rows_of_year(tahun)
    ctx.setdefault("error", None)
    return render_template(
        "payroll/bukti_potong.html",
        tahun=tahun,
        form=bukti_potong_form(tahun),
        rows=rows,
        missing=sum(1 for _, d in rows if d is None),
        units=paydocs.issuer_units(),
        **ctx,
    ), status


@bp.get("/bukti-potong")
@login_required
def bukti_potong_page():
    access.require(access.can_issue_bukti_potong(current_user))
    return _bp_page()


@bp.post("/bukti-potong/terbitkan")
@login_required
def bukti_potong_issue():
    access.require(access.can_issue_bukti_potong(current_user))
    tahun = _year()
    emp = db.session.get(Employee, request.form.get("employee_id", type=query_int) or 0)
    unit_id = request.form.get("unit_id", type=query_int)
    if emp is None:
        abort(404)
    with attempt(flash_category=None) as done:
        if unit_id is None:
            raise DomainError("Pilih unit penerbit.", field="unit_id")
        doc, created = bukti_potong.issue(emp, tahun, unit_id, today_wib(), current_user.id, request.host_url)
    if not done:
        return _bp_page(422, tahun=tahun, error=done.message)
    flash(
        f"Bukti potong {emp.name} tahun {tahun} {'diterbitkan' if created else 'sudah terbit sebelumnya'}.", "success"
    )
    return redirect(url_for("payroll.bukti_potong_page", tahun=tahun), 303)


@bp.post("/bukti-potong/terbitkan-semua")
@login_required
def bukti_potong_issue_all():
    access.require(access.can_issue_bukti_potong(current_user))
    tahun = _year()
    unit_id = request.form.get("unit_id", type=query_int)
    with attempt(flash_category=None) as done:
        if unit_id is None:
            raise DomainError("Pilih unit penerbit.", field="unit_id")
        job = bukti_potong.start_batch(tahun, unit_id, today_wib(), current_user.id, request.host_url)
    if not done:
        return _bp_page(422, tahun=tahun, error=done.message)
    flash(f"Penerbitan {job.total} bukti potong tahun {tahun} berjalan di latar belakang.", "success")
    return redirect(url_for("payroll.bukti_potong_page", tahun=tahun), 303)


@bp.get("/bukti-potong/<int:tahun>/pegawai/<int:employee_id>.pdf")
@login_required
def bukti_potong_pdf(tahun: int, employee_id: int):
    emp = access.get_employee_or_404(employee_id)
    own = current_user.employee_id == emp.id
    if not (own or access.can_issue_bukti_potong(current_user) or access.can_view_payroll(current_user)):
        abort(404)
    doc = bukti_potong.document(tahun, emp.id)
    if doc is None:
        abort(404)
    audit.record(db.session, "unduh_bukti_potong", "employee", emp.id, f"Bukti potong {tahun} {emp.nip}")
    db.session.commit()
    return _pdf_response(doc, f"bukti-potong-{tahun}-{emp.nip}.pdf")


@bp.get("/bukti-potong/<int:tahun>/ebupot.xml")
@login_required
def bukti_potong_export(tahun: int):
    access.require(access.can_issue_bukti_potong(current_user))
    cfg = current_app.config
    data, skipped = bukti_potong.export_xml(tahun, cfg.get("NPWP_PEMOTONG", ""), cfg.get("BUKTI_POTONG_KODE_OBJEK", ""))
    summary = f"Ekspor bukti potong {tahun}: {data.count(b'<A2>')} pegawai, {len(skipped)} dilewati"
    audit.record(db.session, "ekspor_bukti_potong", "bukti_potong", tahun, summary)
    db.session.commit()
    resp = current_app.response_class(data, mimetype="application/xml")
    resp.headers["Content-Disposition"] = f'attachment; filename="bukti-potong-{tahun}.xml"'
    return resp
