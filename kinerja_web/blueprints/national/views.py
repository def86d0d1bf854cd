"""Exports in the national systems' layouts (SIASN/e-Kinerja, Taspen, BPJS) and the SIASN master-data
reconciliation. Every download is an audit entry."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...audit import record
from ...domain import DomainError
from ...domain.labels import bulan
from ...extensions import db
from ...services.national import contributions, layouts, performance, reconcile, training
from ...timeutil import today_wib
from ...web import attempt
from . import bp
from .forms import ReconcileForm

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}
EXPORTS = {
    # slug: (title, layout file, fields, allowed, builder(arg) -> records, arg kind)
    "siasn-kinerja": ("SKP dan predikat (e-Kinerja/SIASN)", performance.LAYOUT, performance.FIELDS, "siasn", "year"),
    "siasn-kursus": ("Riwayat pengembangan kompetensi/JP (SIASN)", training.LAYOUT, training.FIELDS, "siasn", "year"),
    "taspen": ("Rekap iuran Taspen", "taspen.csv", contributions.TASPEN_FIELDS, "contributions", "month"),
    "bpjs": ("Rekap iuran BPJS Kesehatan", "bpjs.csv", contributions.BPJS_FIELDS, "contributions", "month"),
}


def _allowed(kind: str) -> bool:
    return access.can_export_siasn(current_user) if kind == "siasn" else access.can_export_contributions(current_user)


def _records(slug: str, arg):
    return {
        "siasn-kinerja": performance.records,
        "siasn-kursus": training.records,
        "taspen": contributions.taspen,
        "bpjs": contributions.bpjs,
    }[slug](arg)


@bp.get("/")
@login_required
def index():
    access.require(access.can_view_national_exports(current_user))
    shown = {s: e for s, e in EXPORTS.items() if _allowed(e[3])}
    sources = {s: layouts.source_of(e[1]) for s, e in shown.items()}
    return render_template(
        "national/index.html",
        exports=shown,
        sources=sources,
        years=performance.years(today_wib()),
        months=[(f"{m:%Y-%m}", bulan(m)) for m in contributions.months()],
        can_reconcile=access.can_export_siasn(current_user),
    )


def _arg(kind: str):
    raw = (request.args.get("tahun" if kind == "year" else "bulan") or "").strip()
    try:
        if kind == "year":
            return int(raw)
        y, m = raw.split("-")
        return date(int(y), int(m), 1)
    except ValueError:
        return None


@bp.get("/<slug>.<fmt>")
@login_required
def download(slug: str, fmt: str):
    """One export as an XLSX or CSV download in its layout, for a year or a month; audited."""
    if slug not in EXPORTS or fmt not in MIME:
        abort(404)
    title, layout_name, fields, kind, arg_kind = EXPORTS[slug]
    access.require(_allowed(kind))
    arg = _arg(arg_kind)
    if arg is None:
        flash("Pilih tahun atau bulan yang sah.", "error")
        return redirect(url_for("national.index"), 303)
    label = arg if arg_kind == "year" else f"{arg:%Y-%m}"
    with attempt() as done:  # a broken layout file is refused with its message, never sent half-empty
        cols = layouts.layout(layout_name, fields)
        rows = _records(slug, arg)
        data = layouts.render(cols, rows, fmt)
        record(db.session, "ekspor", slug, None, f"{title} {label}: {len(rows)} baris ({fmt.upper()})")
    if not done:
        return redirect(url_for("national.index"), 303)
    name = f"{slug}-{label}.{fmt}"
    return Response(data, mimetype=MIME[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/rekonsiliasi-siasn", methods=["GET", "POST"])
@login_required
def reconcile_page():
    access.require(access.can_export_siasn(current_user))
    form = ReconcileForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        with attempt(form) as done:
            if upload is None or not upload.filename:
                raise DomainError("Pilih berkas ekspor data utama dari SIASN (CSV atau XLSX).", field="file")
            report = reconcile.compare(upload.filename, upload.read())
            record(
                db.session,
                "rekonsiliasi",
                "siasn_data_utama",
                None,
                f"{report.filename}: {report.rows_read} baris, {report.people_differing} pegawai berbeda, "
                f"{len(report.only_in_siasn)} hanya di SIASN, {len(report.only_in_kinerja)} hanya di Kinerja",
            )
        if done and request.form.get("format") == "xlsx":
            return Response(
                layouts.render(reconcile.REPORT_COLUMNS, reconcile.records(report), "xlsx"),
                mimetype=MIME["xlsx"],
                headers={"Content-Disposition": 'attachment; filename="rekonsiliasi-siasn.xlsx"'},
            )
    status = 422 if form.errors else 200
    return render_template("national/reconcile.html", form=form, report=report), status
