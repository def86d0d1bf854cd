"""The print view and the issued SKP and realisasi PDFs (documents service)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.documents import DocStatus, DocType
from ....request_input import query_int
from ....services.skp import documents as skp_documents
from ....services.skp.records import render_skp_context
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from .common import load_skp, page_ctx


@bp.get("/<int:skp_id>/cetak")
@login_required
def print_view(skp_id: int):
    skp = access.get_skp_or_404(skp_id, current_user)
    return render_template("skp/cetak.html", doc=render_skp_context(skp, today_wib()), skp_id=skp.id)


@bp.post("/<int:skp_id>/terbitkan-pdf")
@login_required
def issue_pdf(skp_id: int):
    skp = access.get_skp_or_404(skp_id, current_user)
    access.require(access.can_issue_skp_document(current_user, skp))
    with attempt(flash_category=None, conflict_on_integrity=True) as done:
        _doc, new = skp_documents.issue_skp_document(skp, current_user.id, today_wib())
    if done.conflict:  # a simultaneous click issued it first
        new = False
    elif not done:
        flash(done.message, "error")
        return render_template("skp/show.html", **page_ctx(load_skp(skp_id))), 422
    flash("PDF SKP diterbitkan." if new else "PDF SKP versi ini sudah diterbitkan sebelumnya.", "success")
    return redirect(url_for("skp.show", skp_id=skp.id, _anchor="dokumen"), 303)


@bp.post("/<int:skp_id>/realisasi/terbitkan-pdf")
@login_required
def issue_realisasi_pdf(skp_id: int):
    skp = access.get_skp_or_404(skp_id, current_user)
    access.require(access.can_issue_skp_document(current_user, skp))
    window_no = request.args.get("periode", type=query_int) or 0
    if window_no not in {w.index for w in skp.period.windows}:
        abort(404)
    already = "Dokumen realisasi periode ini sudah diterbitkan; tidak diterbitkan dua kali."
    with attempt(flash_category=None, conflict=already, conflict_on_integrity=True) as done:
        _doc, new = skp_documents.issue_realisasi_document(skp, window_no, current_user.id, today_wib())
    if done.conflict:  # a simultaneous click issued it first
        flash(done.message, "info")
    elif not done:
        flash(done.message, "error")
    else:
        flash(
            "Dokumen realisasi diterbitkan."
            if new
            else "Data realisasi tidak berubah sejak dokumen terakhir; dokumen yang berlaku tetap dipakai.",
            "success",
        )
    return redirect(url_for("skp.realisasi", skp_id=skp.id, periode=window_no, _anchor="dokumen"), 303)


@bp.get("/<int:skp_id>/dokumen/<int:doc_id>.pdf")
@login_required
def document_pdf(skp_id: int, doc_id: int):
    """Stored bytes of a document of this SKP (any version); never re-rendered."""
    skp = access.get_skp_or_404(skp_id, current_user)
    access.require(access.can_download_skp_document(current_user, skp))
    found = skp_documents.skp_documents(skp) + skp_documents.realisasi_documents(skp)
    doc = next((d for d in found if d.id == doc_id), None)
    if doc is None or doc.status == DocStatus.PENDING:
        abort(404)
    resp = Response(skp_documents.pdf_bytes(doc), mimetype="application/pdf")
    body = doc.context["body"]
    kind = f"realisasi-{body['window_no']}" if doc.doc_type == DocType.REALISASI_SKP else f"v{body['versi']}"
    name = f"SKP-{skp.period.year}-{skp.employee.nip}-{kind}.pdf"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["X-Content-SHA256"] = doc.sha256
    return resp
