"""Keberatan pages (item 9): file from the rating page, one page per keberatan for all parties."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import access, uploads
from ...domain.keberatan import Putusan
from ...domain.predikat import Ekspektasi
from ...extensions import db
from ...models import IssuedDocument, Keberatan
from ...services.documents import issuing as docs
from ...services.rating import keberatan, windows
from ...timeutil import today_wib
from ...web import attempt
from . import bp
from .forms import KeberatanForm, PenjelasanForm, PutusanForm
from .views import _load, _rate_ctx


def _refused(message: str, status: int = 403):
    return render_template(
        "errors/error.html", code=status, title="Keberatan tidak dapat diajukan", message=message
    ), status


@bp.post("/<int:period_id>/pegawai/<int:employee_id>/keberatan")
@login_required
def file_keberatan(period_id: int, employee_id: int):
    period, employee, window_no = _load(period_id, employee_id)
    rating = windows.rating_of(employee.id, period.id, window_no)
    if rating is None or not rating.is_final:
        abort(404)
    if not access.can_file_keberatan(current_user, rating):
        return _refused(
            "Keberatan hanya dapat diajukan oleh pegawai yang dinilai sendiri, atas penilaian yang sudah final."
        )
    form = KeberatanForm()
    errors: list[str] = []
    if form.validate():
        upload = form.lampiran.data
        lampiran = None
        if upload is not None and getattr(upload, "filename", ""):
            lampiran = (upload.read(), upload.filename)
        with attempt(form) as done:
            keb = keberatan.file(rating, current_user, form.alasan.data, today_wib(), lampiran)
        if done:
            flash(
                "Keberatan diajukan kepada atasan pejabat penilai. Anda akan diberi tahu setiap perkembangannya.",
                "success",
            )
            return redirect(url_for("rating.keberatan_page", keberatan_id=keb.id), 303)
    errors = list(form.form_errors)
    return _rate_ctx(period, employee, window_no, keberatan_form=form, keberatan_errors=errors, status=422)


def _get(keberatan_id: int) -> Keberatan:
    keb = db.session.get(Keberatan, keberatan_id)
    if keb is None or not access.can_view_keberatan(current_user, keb):
        abort(404)
    return keb


def _page(keb: Keberatan, penjelasan_form=None, putusan_form=None, status: int = 200):
    today = today_wib()
    rating = keb.rating
    pihak = keberatan.pihak_of(current_user, keb)
    if putusan_form is None:
        putusan_form = PutusanForm()
    return (
        render_template(
            "rating/keberatan.html",
            keb=keb,
            rating=rating,
            window_label=windows.window_label(rating.period, rating.window_no),
            deadline=keberatan.deadline_of(rating),
            decider=keberatan.decider_of(keb, today),
            can_decide=access.can_decide_keberatan(current_user, keb, today),
            pihak=pihak,
            can_explain=(
                pihak is not None
                and keb.status.value == "diperiksa"
                and keb.penjelasan_of(pihak) is None
                and access.can_explain_keberatan(current_user, keb)
            ),
            penjelasan_form=penjelasan_form or PenjelasanForm(),
            putusan_form=putusan_form,
            document=db.session.get(IssuedDocument, keb.document_id) if keb.document_id else None,
        ),
        status,
    )


@bp.get("/keberatan/<int:keberatan_id>")
@login_required
def keberatan_page(keberatan_id: int):
    return _page(_get(keberatan_id))


@bp.post("/keberatan/<int:keberatan_id>/minta-penjelasan")
@login_required
def keberatan_ask(keberatan_id: int):
    keb = _get(keberatan_id)
    access.require(access.can_decide_keberatan(current_user, keb, today_wib()))
    with attempt() as done:
        asked = keberatan.request_explanations(keb, current_user)
    if done:
        flash(
            "Penjelasan diminta dari pegawai dan pejabat penilai." if asked else "Penjelasan sudah diminta sebelumnya.",
            "success" if asked else "info",
        )
    return redirect(url_for("rating.keberatan_page", keberatan_id=keb.id), 303)


@bp.post("/keberatan/<int:keberatan_id>/penjelasan")
@login_required
def keberatan_explain(keberatan_id: int):
    keb = _get(keberatan_id)
    access.require(access.can_explain_keberatan(current_user, keb))
    form = PenjelasanForm()
    if form.validate():
        with attempt(form) as done:
            keberatan.add_explanation(keb, current_user, form.penjelasan.data, today_wib())
        if done:
            flash("Penjelasan Anda tercatat dan disampaikan kepada atasan pejabat penilai.", "success")
            return redirect(url_for("rating.keberatan_page", keberatan_id=keb.id), 303)
    return _page(keb, penjelasan_form=form, status=422)


@bp.post("/keberatan/<int:keberatan_id>/putusan")
@login_required
def keberatan_decide(keberatan_id: int):
    keb = _get(keberatan_id)
    if keb.is_final:
        flash("Keberatan ini sudah diputus; keputusan bersifat final dan tidak dapat diubah.", "info")
        return redirect(url_for("rating.keberatan_page", keberatan_id=keb.id), 303)
    access.require(access.can_decide_keberatan(current_user, keb, today_wib()))
    form = PutusanForm()
    if form.validate():
        rating = keb.rating
        hasil = Ekspektasi(form.hasil_kerja.data) if form.hasil_kerja.data else rating.hasil_kerja
        perilaku = Ekspektasi(form.perilaku_kerja.data) if form.perilaku_kerja.data else rating.perilaku_kerja
        with attempt(form) as done:
            decided = keberatan.decide(
                keb,
                current_user,
                Putusan(form.putusan.data),
                hasil,
                perilaku,
                form.pertimbangan.data,
                today_wib(),
                docs.public_base_url(),
            )
        if done:
            if decided:
                flash(
                    f"Keputusan ditetapkan (final): {keb.putusan.label}. Dokumen evaluasi diterbitkan ulang.", "success"
                )
            else:
                flash("Keberatan ini sudah diputus sebelumnya.", "info")
            return redirect(url_for("rating.keberatan_page", keberatan_id=keb.id), 303)
    db.session.refresh(keb)
    return _page(keb, putusan_form=form, status=422)


@bp.get("/keberatan/<int:keberatan_id>/lampiran")
@login_required
def keberatan_lampiran(keberatan_id: int):
    keb = _get(keberatan_id)
    if not keb.lampiran_name:
        abort(404)
    mimetype = keb.lampiran_mime or "application/octet-stream"
    return uploads.send_upload(
        keb.lampiran, mimetype, f"lampiran-keberatan-{keb.id}.{uploads.EXTENSIONS.get(mimetype, 'bin')}"
    )
