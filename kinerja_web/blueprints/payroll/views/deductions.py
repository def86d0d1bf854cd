"""Potongan lain-lain (issue 20 items 4 and 8): payees, standing orders with consent documents, the zakat rule
in force, outstanding recoveries, and per run the transfer list per payee (CSV, PDF)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, audit, uploads
from ....domain import DomainError
from ....domain.labels import bulan
from ....domain.payroll.deductions import JENIS_PERINTAH
from ....extensions import db
from ....models import PayrollStandingOrder
from ....pdf import render_pdf
from ....services.payroll import deductions, months, predikat, recovery
from ....services.payroll.rules import load_rules
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from .common import default_month, run_or_404


def _zakat_rule(month):
    try:
        return load_rules().zakat.in_force(month)
    except DomainError:
        return None


def _page(status: int = 200, **ctx):
    month_text = ctx.pop("month_text", None) or request.args.get("month") or default_month()
    try:
        month = months.parse_month(month_text)
    except DomainError:
        month = months.parse_month(default_month())
    ctx.setdefault("form", {})
    ctx.setdefault("form_errors", {})
    ctx.setdefault("payee_form", {})
    ctx.setdefault("payee_errors", {})
    ctx.setdefault("end_errors", {})
    ctx.setdefault("enrol_form", {})
    ctx.setdefault("enrol_errors", {})
    owed = recovery.outstanding_by_employee()
    return render_template(
        "payroll/deductions.html",
        month=month.strftime("%Y-%m"),
        month_label=bulan(month),
        orders=deductions.orders(month),
        payees=deductions.payees(),
        jenis=JENIS_PERINTAH,
        zakat=_zakat_rule(month),
        owed=sorted(owed.items()),
        owed_names=deductions.employee_names(list(owed)) if owed else {},
        **ctx,
    ), status


@bp.get("/potongan")
@login_required
def deductions_page():
    access.require(access.can_manage_attendance(current_user))
    return _page()


@bp.post("/potongan")
@login_required
def deduction_add():
    access.require(access.can_manage_attendance(current_user))
    f = request.form
    errs: dict[str, str] = {}
    draft = deductions.OrderDraft(
        employee=predikat.employee_by_nip(f.get("nip", "")),
        payee_id=_int(f.get("payee_id")),
        jumlah=None,
        persen=None,
        mulai=None,
        sampai=None,
        reference=f.get("reference", ""),
        note=f.get("note", ""),
    )
    for name, parse in (
        ("jumlah", deductions.parse_rupiah),
        ("persen", deductions.parse_persen),
        ("mulai", deductions.month_or_none),
        ("sampai", deductions.month_or_none),
    ):
        try:
            setattr(draft, name, parse(f.get(name, "")))
        except DomainError as e:
            errs[name] = e.message
    upload = request.files.get("dokumen")
    file = deductions.Upload(upload.filename or "", upload.read(deductions.CONSENT_MAX + 1)) if upload else None
    if not errs:
        with attempt(flash_category=None) as done:
            order = deductions.add_order(draft, file, current_user)
        if not done:
            errs[done.field or "nip"] = done.message
    if errs:
        return _page(422, form=f, form_errors=errs, month_text=f.get("month"))
    flash(f"Perintah potong {order.jenis.label} untuk {order.employee.name} disimpan.", "success")
    return redirect(url_for("payroll.deductions_page", month=f.get("month") or None), 303)


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


@bp.post("/potongan/penerima")
@login_required
def deduction_payee_add():
    access.require(access.can_manage_attendance(current_user))
    f = request.form
    with attempt(flash_category=None) as done:
        payee = deductions.add_payee(
            f.get("name", ""),
            f.get("jenis", ""),
            f.get("bank_name", ""),
            f.get("bank_account", ""),
            f.get("account_holder", ""),
            current_user,
        )
    if not done:
        return _page(422, payee_form=f, payee_errors={done.field or "name": done.message}, month_text=f.get("month"))
    flash(f"Penerima {payee.name} disimpan.", "success")
    return redirect(url_for("payroll.deductions_page", month=f.get("month") or None), 303)


@bp.post("/potongan/zakat-peserta")
@login_required
def deduction_zakat_enrol():
    """Opt-out rule: the participants of the regency's list in one go, with the list as the basis document."""
    access.require(access.can_manage_attendance(current_user))
    f = request.form
    errs: dict[str, str] = {}
    mulai = None
    try:
        mulai = deductions.month_or_none(f.get("mulai", ""))
    except DomainError as e:
        errs["mulai"] = e.message
    upload = request.files.get("dokumen")
    file = deductions.Upload(upload.filename or "", upload.read(deductions.CONSENT_MAX + 1)) if upload else None
    if not errs:
        with attempt(flash_category=None) as done:
            made = deductions.enrol_zakat(f.get("nips", ""), _int(f.get("payee_id")), mulai, file, current_user)
        if not done:
            errs[done.field or "nips"] = done.message
    if errs:
        return _page(422, enrol_form=f, enrol_errors=errs, month_text=f.get("month"))
    flash(f"{made} peserta zakat menurut daftar disimpan.", "success")
    return redirect(url_for("payroll.deductions_page", month=f.get("month") or None), 303)


@bp.post("/potongan/<int:order_id>/akhiri")
@login_required
def deduction_end(order_id: int):
    access.require(access.can_manage_attendance(current_user))
    order = db.session.get(PayrollStandingOrder, order_id)
    if order is None:
        abort(404)
    f = request.form
    errs: dict[str, str] = {}
    sampai = None
    try:
        sampai = deductions.month_or_none(f.get("sampai", ""))
    except DomainError as e:
        errs["sampai"] = e.message
    if not errs:
        with attempt(flash_category=None) as done:
            deductions.end_order(order, sampai, f.get("alasan", ""))
        if not done:
            errs[done.field or "sampai"] = done.message
    if errs:
        return _page(422, end_errors={order_id: errs}, month_text=f.get("month"))
    flash("Bulan terakhir perintah potong disimpan.", "success")
    return redirect(url_for("payroll.deductions_page", month=f.get("month") or None), 303)


@bp.get("/potongan/<int:order_id>/dokumen")
@login_required
def deduction_document(order_id: int):
    """The consent document: personal data, so finance/HR only and every download audited."""
    access.require(access.can_manage_attendance(current_user))
    order = db.session.get(PayrollStandingOrder, order_id)
    if order is None:
        abort(404)
    audit.record(db.session, "download", "payroll_standing_order", order.id, f"Dokumen persetujuan {order.ref}")
    db.session.commit()
    return uploads.send_upload(order.consent_data, order.consent_content_type, order.consent_filename)


# ------------------------------------------------------------------------------------ transfer list


@bp.get("/run/<int:run_id>/potongan")
@login_required
def run_deductions(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    return render_template(
        "payroll/run_deductions.html",
        run=run,
        groups=deductions.transfer_list(run),
        recovered=recovery.recoveries_of_run(run),
        names=deductions.employee_names([eid for eid, _ in recovery.recoveries_of_run(run)]),
    )


@bp.get("/run/<int:run_id>/potongan/<int:payee_id>.<fmt>")
@login_required
def run_deduction_file(run_id: int, payee_id: int, fmt: str):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    if fmt not in ("csv", "pdf"):
        abort(404)
    try:
        group = deductions.payee_transfer(run, payee_id)
    except DomainError:
        abort(404)
    audit.record(db.session, "download", "payroll_run", run.id, f"Daftar potongan {group.name} ({fmt.upper()})")
    db.session.commit()
    name = f"potongan-{run.month:%Y-%m}-proses{run.id}-penerima{payee_id}.{fmt}"
    if fmt == "csv":
        data, mime = deductions.transfer_csv(run, group), "text/csv"
    else:
        data = render_pdf("payroll/pdf/daftar_potongan.html", run=run, group=group, today=today_wib())
        mime = "application/pdf"
    return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})
