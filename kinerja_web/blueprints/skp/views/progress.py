"""Realisasi with bukti dukung, and umpan balik berkelanjutan."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, uploads
from ....domain.berakhlak import BERAKHLAK
from ....domain.skp import current_window
from ....extensions import db
from ....models import Evidence
from ....request_input import query_int
from ....services.public_service import iki_links
from ....services.skp import documents as skp_documents
from ....services.skp import progress
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import FeedbackForm
from .common import CONFLICT, iki_of, load_skp


@bp.route("/<int:skp_id>/realisasi", methods=["GET", "POST"])
@login_required
def realisasi(skp_id: int):
    skp = load_skp(skp_id)
    windows = skp.period.windows
    if not windows:
        abort(404)
    # Opens on the window running today (the quarter one reports now); before or after the period, the first.
    window_no = (
        request.values.get("periode", type=query_int) or (current_window(windows, today_wib()) or windows[0]).index
    )
    window = next((w for w in windows if w.index == window_no), None)
    if window is None:
        abort(404)
    errors: dict[str, str] = {}
    status = 200
    measured = iki_links.measured_for(skp, window.start, window.end)  # IKIs linked to a public-service signal
    if request.method == "POST":
        access.require(access.can_report_realisasi(current_user, skp))
        iki_id = request.form.get("indikator_id", type=query_int)
        iki = iki_of(skp, iki_id or 0)
        uploads = [
            progress.Upload(f.filename or "", f.read(progress.EVIDENCE_MAX_BYTES + 1))
            for f in request.files.getlist(f"bukti-{iki.id}")
            if f and f.filename
        ]
        with attempt(flash_category=None, conflict=CONFLICT) as done:
            iki_links.check_realisasi(
                iki, measured.get(iki.id), request.form.get(f"nilai-{iki.id}", ""),
                request.form.get(f"keterangan-{iki.id}", ""),
            )  # fmt: skip
            progress.save_realisasi(
                skp,
                iki,
                window_no,
                request.form.get(f"nilai-{iki.id}", ""),
                request.form.get(f"keterangan-{iki.id}", ""),
                request.form.get(f"link-{iki.id}", ""),
                uploads,
                current_user,
            )
        if done:
            flash("Realisasi disimpan.", "success")
            return redirect(url_for("skp.realisasi", skp_id=skp_id, periode=window_no, _anchor=f"iki-{iki.id}"), 303)
        errors[done.field or f"nilai-{iki.id}"] = done.message
        status = 422
        skp = load_skp(skp_id)
    rows = progress.realisasi_for(skp, window_no)
    total = sum(len(r.indikators) for r in skp.rhks)
    return render_template(
        "skp/realisasi.html",
        skp=skp,
        windows=windows,
        window=window,
        rows=rows,
        errors=errors,
        form_values=request.form,
        measured=measured,
        can_edit=access.can_report_realisasi(current_user, skp),
        progress=(len(rows) * 100 // total) if total else 0,
        can_issue_pdf=access.can_issue_skp_document(current_user, skp),
        report_docs=[
            d
            for d in skp_documents.realisasi_documents(skp)
            if d.source_ref == skp_documents.realisasi_ref(skp, window_no)
        ]
        if access.can_download_skp_document(current_user, skp)
        else [],
    ), status


@bp.get("/bukti/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    """Bukti dukung served only to people who may see the SKP (404 for others)."""
    ev = db.session.get(Evidence, evidence_id)
    if ev is None:
        abort(404)
    access.get_skp_or_404(progress.skp_id_of_evidence(ev), current_user)
    return uploads.send_upload(ev.data, ev.content_type, ev.filename)


@bp.route("/<int:skp_id>/umpan-balik", methods=["GET", "POST"])
@login_required
def feedback(skp_id: int):
    skp = load_skp(skp_id)
    form = FeedbackForm() if request.method == "POST" else FeedbackForm(formdata=None)
    form.target.choices = [(f"rhk-{r.id}", f"RHK: {r.uraian[:90]}") for r in skp.rhks] + [
        (f"nilai-{v}", f"Perilaku: {v}") for v in BERAKHLAK
    ]
    form.window.choices = [(None, "– seluruh tahun –")] + [(w.index, w.label) for w in skp.period.windows]
    if request.method == "GET" and request.args.get("tentang"):
        form.target.data = request.args["tentang"]
    status = 200
    if request.method == "POST":
        access.require(access.can_give_feedback(current_user, skp))
        if form.validate():
            with attempt(form, conflict=CONFLICT) as done:
                progress.add_feedback(skp, current_user, form.target.data, form.body.data, form.window.data)
            if done:
                flash("Umpan balik terkirim.", "success")
                return redirect(url_for("skp.feedback", skp_id=skp_id), 303)
        status = 422
    threads: dict[str, list] = {}
    for fb in progress.feedback_threads(skp):
        threads.setdefault(f"rhk-{fb.rhk_id}" if fb.rhk_id else f"nilai-{fb.nilai}", []).append(fb)
    return render_template(
        "skp/feedback.html",
        skp=skp,
        form=form,
        threads=threads,
        window_labels={w.index: w.label for w in skp.period.windows},
        can_feedback=access.can_give_feedback(current_user, skp),
    ), status
