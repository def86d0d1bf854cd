"""A run's outputs: daftar gaji (page, XLSX, issued PDF), bank file, payslips (page, issued PDF, batch), own pay."""

from __future__ import annotations

from functools import partial

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, charts
from ....domain.golive import EXAMPLE_MARK
from ....domain.labels import rupiah
from ....extensions import db
from ....forms import submitted_idempotency_key
from ....models import (
    IssuedDocument,
    RunKind,
    Unit,
)
from ....request_input import query_int
from ....services.documents import issuing as docs
from ....services.payroll import documents as paydocs
from ....services.payroll import explain, outputs, special
from ....services.payroll import runs as pay_runs
from ....services.payroll import slips as pay_slips
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from .common import run_or_404

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
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    opd_id, opd_name = _opd_arg()
    columns, rows = outputs.daftar_gaji(run, opd_id)
    return render_template(
        "payroll/register.html", run=run, columns=columns, rows=rows, opd_id=opd_id, opd_name=opd_name
    )


@bp.get("/run/<int:run_id>/daftar.xlsx")
@login_required
def register_xlsx(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    opd_id, opd_name = _opd_arg()
    data = outputs.daftar_gaji_xlsx(run, opd_id, opd_name)
    name = f"daftar-gaji-{run.month:%Y-%m}-proses{run.id}{f'-opd{opd_id}' if opd_id else ''}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/run/<int:run_id>/bank.csv")
@login_required
def bank_file(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    if not run.is_approved:
        flash("Berkas transfer bank hanya tersedia untuk proses penggajian yang sudah disetujui.", "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    with attempt(commit=False) as done:  # the writer refuses non-positive transfers
        data = outputs.bank_csv(run)
    if not done:
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="transfer-bank-{run.month:%Y-%m}-proses{run.id}.csv"'},
    )


# ------------------------------------------------------------------------------------------ slips


@bp.get("/run/<int:run_id>/pegawai/<int:employee_id>")
@login_required
def slip(run_id: int, employee_id: int):
    """ "Mengapa gaji saya sebesar ini?": every line with its rule, version, inputs and attendance events."""
    run = run_or_404(run_id)
    emp = access.get_employee_or_404(employee_id)
    if not access.can_view_slip(current_user, run, emp):
        abort(404)
    ctx = pay_slips.slip_context(run, emp)
    if ctx is None:
        abort(404)
    doc = paydocs.slip_document(run.id, emp.id) if run.is_final else None
    rapel = special.rapel_months(run, emp.id) if run.kind == RunKind.RAPEL else None
    links = _input_links(run, emp)
    return render_template(
        "payroll/slip.html",
        slip=ctx,
        run=run,
        slip_doc=doc,
        rapel=rapel,
        special_note=special.describe_run(run),
        summary=explain.summary(ctx, run),
        waterfall=charts.waterfall(
            explain.waterfall_steps(ctx),
            title=f"Dari penghasilan ke gaji bersih, {ctx['month_label']}",
            fmt=rupiah,
            width=460,
            label_width=190,
        ),
        comparison=explain.comparison(run, emp, ctx),
        example_lines=explain.example_lines(ctx),
        example_mark=EXAMPLE_MARK,
        links=links,
        input_link=partial(_input_href, links),
    )


def _input_href(links: dict[str, str], key: str | None) -> str:
    """Where an input named in the explanation links to, "" for none: `key` is "<input>" or "<input>#<anchor>";
    the anchor is kept on a page of its own (a link into this page is one already). A function, not a template
    macro: the page calls it for every summary part and every line."""
    if not key:
        return ""
    base, _, anchor = key.partition("#")
    href = links.get(base)
    if not href:
        return ""
    return f"{href}#{anchor}" if anchor and href.startswith("/") else href


def _input_links(run, emp) -> dict[str, str]:
    """Where each input of the explanation is kept: its own page when the reader may open it, otherwise the
    section of this page that lists it (attendance events, status periods)."""
    month = f"{run.month:%Y-%m}"
    manage = access.can_manage_attendance(current_user)
    period_id = explain.rating_period_id(run.month)
    links = {
        "kehadiran": url_for("payroll.attendance", month=month) if manage else "#kehadiran",
        "status": url_for("payroll.tpp_status", month=month) if manage else "#status-tpp",
        "aturan": url_for("payroll.rules") if access.is_admin(current_user) else "#rincian-teknis",
    }
    if period_id is not None and access.can_view_performance(current_user, emp):
        links["predikat"] = url_for("rating.rate", period_id=period_id, employee_id=emp.id)
    return links


def _pdf_response(doc: IssuedDocument, filename: str) -> Response:
    """Stream the stored bytes of an issued document (never a re-render)."""
    resp = current_app.response_class(paydocs.stored_pdf(doc), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["X-Content-SHA256"] = doc.sha256 or ""
    return resp


@bp.get("/run/<int:run_id>/pegawai/<int:employee_id>/slip.pdf")
@login_required
def slip_pdf(run_id: int, employee_id: int):
    """Self-service download of the issued, verifiable slip gaji PDF (own slip, final runs only)."""
    run = run_or_404(run_id)
    emp = access.get_employee_or_404(employee_id)
    if not access.can_download_slip_pdf(current_user, run, emp):
        abort(404)
    doc = paydocs.slip_document(run.id, emp.id)
    if doc is None:
        abort(404)
    return _pdf_response(doc, f"slip-gaji-{run.month:%Y-%m}-{emp.nip}-proses{run.id}.pdf")


def _issuer_arg() -> int | None:
    unit_id = request.form.get("unit_id", type=query_int)
    if unit_id is None or unit_id not in {u.id for u in paydocs.issuer_units()}:
        return None
    return unit_id


@bp.post("/run/<int:run_id>/slip/terbitkan")
@login_required
def issue_slips(run_id: int):
    """Issue every slip of a final run in one documents batch job (progress bar on the run page)."""
    run = run_or_404(run_id)
    access.require(access.can_issue_payroll_documents(current_user))
    if not run.is_final:
        flash(paydocs.NOT_FINAL.format(status=run.status.label), "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    unit_id = _issuer_arg()
    if unit_id is None:
        flash("Pilih unit penerbit yang kop suratnya sudah diatur (menu Dokumen › Pengaturan).", "error")
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    with attempt() as done:  # the batch's job is handed to the queue once this commit is over (outbox)
        key = submitted_idempotency_key(f"slip-batch:run{run.id}")
        job = paydocs.start_slip_batch(run, unit_id, today_wib(), current_user.id, docs.public_base_url(), key)
    if not done:
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    return redirect(url_for("payroll.show", run_id=run.id, job=job.id), 303)


@bp.post("/run/<int:run_id>/slip/gantikan")
@login_required
def replace_slips(run_id: int):
    """Compensating run: revoke the original slips it corrected, each linked to its replacement slip."""
    run = run_or_404(run_id)
    access.require(access.can_issue_payroll_documents(current_user))
    with attempt() as done:
        n = paydocs.replace_original_slips(run, current_user.id)
    if not done:
        return redirect(url_for("payroll.show", run_id=run.id), 303)
    flash(
        f"{n} slip gaji proses penggajian #{run.original_run_id} dicabut dan diganti slip proses penggajian ini.",
        "success",
    )
    return redirect(url_for("payroll.show", run_id=run.id), 303)


@bp.post("/run/<int:run_id>/daftar/terbitkan")
@login_required
def issue_register_pdf(run_id: int):
    """Issue the daftar gaji PDF of one OPD (never one for the whole regency)."""
    run = run_or_404(run_id)
    access.require(access.can_issue_payroll_documents(current_user))
    back = redirect(url_for("payroll.show", run_id=run.id), 303)
    if not run.is_final:
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
    with attempt(flash_category=None, conflict_on_integrity=True) as done:
        doc, new = paydocs.issue_daftar(run, opd_id, unit_id, today_wib(), current_user.id, docs.public_base_url())
    if done.conflict:  # a simultaneous click issued it first (one daftar per run and OPD: a unique key)
        doc, new = paydocs.daftar_document(run.id, opd_id), False
        if doc is None:
            abort(500)
    elif not done:
        flash(done.message, "error")
        return back
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
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    doc = paydocs.daftar_document(run.id, opd_id)
    if doc is None:
        abort(404)
    return _pdf_response(doc, f"daftar-gaji-{run.month:%Y-%m}-proses{run.id}-opd{opd_id}.pdf")


@bp.get("/saya")
@login_required
def mine():
    access.require(access.can_view_own_pay(current_user))
    runs = pay_runs.employee_runs(current_user.employee_id, final_only=True)
    slips = {r.id: paydocs.slip_document(r.id, current_user.employee_id) for r in runs}
    return render_template("payroll/mine.html", runs=runs, employee=current_user.employee, slips=slips)
