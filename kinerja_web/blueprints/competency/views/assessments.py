"""Penilaian kompetensi for HR: events, participants, assessors, the assessor meeting, and the provider's XLSX
import (upload → preview with per-row/per-column errors → confirm, all or nothing)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .... import access
from ....domain import DomainError
from ....domain.competency import MANAJERIAL, SOSIAL_KULTURAL, jpm_text, level_text, mean_level
from ....domain.nip import normalize as normalize_nip
from ....extensions import db
from ....models import AssessmentEvent, AssessmentParticipant, Employee
from ....services.competency import assessments, dictionary, results_import
from ....services.competency.standards import competency_map
from ....services.employees import import_files
from ....web import attempt, form_targets_answer_get
from .. import bp
from ..forms import AssessorForm, ConfirmForm, EventForm, MeetingForm, ParticipantForm, ShareForm, UploadForm
from .common import xlsx_response

NAMES = dict(MANAJERIAL + SOSIAL_KULTURAL)


@bp.context_processor
def _helpers():
    return {"level_text": level_text, "jpm_text": jpm_text}


def _hr():
    access.require(access.can_manage_competency(current_user))


def _events_page(form, status=200):
    return render_template("competency/events.html", events=assessments.events(), form=form), status


@bp.get("/penilaian")
@login_required
def events():
    _hr()
    return _events_page(EventForm())


@bp.post("/penilaian")
@login_required
def event_create():
    _hr()
    form = EventForm()
    if not form.validate():
        return _events_page(form, 422)
    with attempt(form) as done:
        dictionary.ensure_national_competencies()
        event = assessments.create_event(
            form.name.data,
            form.method.data,
            form.held_on.data,
            form.provider.data,
            current_user,
            form.location.data,
            assessors=(form.assessors.data or "").splitlines(),
        )
    if not done:
        return _events_page(form, 422)
    flash("Kegiatan penilaian kompetensi dibuat.", "success")
    return redirect(url_for("competency.event", event_id=event.id), 303)


def _event_page(event, pform=None, aform=None, status=200):
    return (
        render_template(
            "competency/event.html",
            event=event,
            participants=assessments.participants_of(event),
            pform=pform or ParticipantForm(),
            aform=aform or AssessorForm(),
            upload=UploadForm(),
        ),
        status,
    )


@bp.get("/penilaian/<int:event_id>")
@login_required
def event(event_id: int):
    _hr()
    return _event_page(db.get_or_404(AssessmentEvent, event_id))


@bp.post("/penilaian/<int:event_id>/peserta")
@login_required
def participant_add(event_id: int):
    _hr()
    event = db.get_or_404(AssessmentEvent, event_id)
    form = ParticipantForm()
    if not form.validate():
        return _event_page(event, pform=form, status=422)
    with attempt(form) as done:
        nip = normalize_nip(form.nip.data)
        emp = db.session.scalar(select(Employee).where(Employee.nip == nip))
        if emp is None:
            raise DomainError(f"NIP {nip} tidak dikenal di Kinerja.", field="nip")
        p = assessments.add_participant(event, emp)
    if not done:
        return _event_page(event, pform=form, status=422)
    flash(f"{emp.full_name} ditambahkan sebagai peserta.", "success")
    return redirect(url_for("competency.meeting", participant_id=p.id), 303)


@bp.post("/penilaian/<int:event_id>/asesor")
@login_required
def assessor_add(event_id: int):
    _hr()
    event = db.get_or_404(AssessmentEvent, event_id)
    form = AssessorForm()
    if not form.validate():
        return _event_page(event, aform=form, status=422)
    with attempt(form) as done:
        assessments.add_assessor(event, form.assessor_name.data, form.institution.data)
    if not done:
        return _event_page(event, aform=form, status=422)
    flash("Asesor ditambahkan.", "success")
    return redirect(url_for("competency.event", event_id=event.id), 303)


# --- provider import ---------------------------------------------------------------------------------------------


@bp.get("/penilaian/<int:event_id>/templat.xlsx")
@login_required
def import_template(event_id: int):
    _hr()
    db.get_or_404(AssessmentEvent, event_id)
    return xlsx_response(results_import.template_xlsx(), "templat-hasil-penilaian-kompetensi.xlsx")


@bp.post("/penilaian/<int:event_id>/impor")
@login_required
def import_upload(event_id: int):
    _hr()
    event = db.get_or_404(AssessmentEvent, event_id)
    form = UploadForm()
    if form.validate():
        with attempt(form, commit=False) as done:
            table = results_import.read_file(form.berkas.data.filename, form.berkas.data.read())
        if done:
            token = import_files.save_upload(import_files.upload_dir(current_app), table, current_user.id)
            return redirect(url_for("competency.import_preview", event_id=event.id, token=token), 303)
    for e in form.berkas.errors:
        flash(e, "error")
    for e in form.form_errors:
        flash(e, "error")
    return _event_page(event, status=422)


def _table_or_gone(event, token):
    table = import_files.load_upload(import_files.upload_dir(current_app), token, current_user.id)
    if table is None:
        flash("Berkas unggahan tidak ditemukan atau kedaluwarsa; unggah ulang.", "error")
        abort(redirect(url_for("competency.event", event_id=event.id), 303))
    return table


def _preview_page(event, preview, token, status=200, error=None):
    return (
        render_template(
            "competency/import_preview.html",
            event=event,
            preview=preview,
            token=token,
            form=ConfirmForm(),
            error=error,
            shown=preview.rows[:200],
        ),
        status,
    )


@bp.get("/penilaian/<int:event_id>/impor/<token>")
@login_required
def import_preview(event_id: int, token: str):
    _hr()
    event = db.get_or_404(AssessmentEvent, event_id)
    table = _table_or_gone(event, token)
    return _preview_page(event, results_import.build_preview(event, table), token)


@bp.post("/penilaian/<int:event_id>/impor/<token>")
@login_required
def import_confirm(event_id: int, token: str):
    _hr()
    event = db.get_or_404(AssessmentEvent, event_id)
    table = _table_or_gone(event, token)
    form = ConfirmForm()
    preview = results_import.build_preview(event, table)  # checked again: data may have changed meanwhile
    if not form.validate():
        return _preview_page(event, preview, token, 422, "Sesi formulir tidak sah. Muat ulang halaman lalu coba lagi.")
    if not preview.ok:
        return _preview_page(event, preview, token, 422, "Berkas masih berisi kesalahan; tidak ada data yang disimpan.")
    with attempt(flash_category=None) as done:
        counts = results_import.apply(event, preview)
    if not done:
        return _preview_page(event, preview, token, 422, done.message)
    import_files.discard_upload(import_files.upload_dir(current_app), token)
    flash(
        f"Impor selesai: {counts['new']} peserta baru, {counts['changed']} diperbarui, {counts['same']} tanpa perubahan.",
        "success",
    )
    return redirect(url_for("competency.event", event_id=event.id), 303)


# --- the assessor meeting ---------------------------------------------------------------------------------------


def _participant_or_404(participant_id: int) -> AssessmentParticipant:
    p = assessments.participant_full(participant_id)
    if p is None:
        abort(404)
    return p


def _meeting_page(p, form, posted=None, errors=None, status=200):
    codes = assessments.meeting_codes(p)
    comps = competency_map()
    ratings = {(r.assessor_id, comps_by_id(comps)[r.competency_id]): r.level for r in p.ratings}
    results = {r.competency.code: r for r in p.results}
    means = {code: mean_level([v for (aid, c), v in ratings.items() if c == code]) for code in codes}
    return (
        render_template(
            "competency/meeting.html",
            p=p,
            form=form,
            codes=codes,
            names={**NAMES, **{c.code: c.name for c in comps.values()}},
            ratings=ratings,
            results=results,
            means=means,
            posted=posted,
            errors=errors or {},
            share=ShareForm(shared=p.summary_shared),
        ),
        status,
    )


def comps_by_id(comps):
    return {c.id: c.code for c in comps.values()}


@bp.get("/peserta/<int:participant_id>/rapat")
@login_required
def meeting(participant_id: int):
    _hr()
    p = _participant_or_404(participant_id)
    return _meeting_page(p, MeetingForm(version=str(p.version_id)))


@bp.post("/peserta/<int:participant_id>/rapat")
@login_required
def meeting_save(participant_id: int):
    _hr()
    p = _participant_or_404(participant_id)
    form = MeetingForm()
    posted = request.form.to_dict()
    if not form.validate():
        return _meeting_page(p, form, posted, status=422)
    if form.version.data != str(p.version_id):
        form.add_error(
            None,
            "Data peserta ini telah diubah oleh pengguna lain sejak halaman dibuka. Isian Anda belum disimpan; periksa lalu simpan ulang.",
        )
        return _meeting_page(p, form, posted, status=409)
    data, errors = assessments.check_meeting(p, posted, assessments.meeting_codes(p))
    if errors:
        form.add_error(None, f"Belum disimpan: {len(errors)} isian perlu diperbaiki.")
        return _meeting_page(p, form, posted, errors, 422)
    with attempt(form) as done:
        dictionary.ensure_national_competencies()
        assessments.save_meeting(p, data)
    if not done:
        return _meeting_page(p, form, posted, status=409 if done.conflict else 422)
    flash("Hasil rapat asesor disimpan.", "success")
    return redirect(url_for("competency.meeting", participant_id=p.id), 303)


@bp.post("/peserta/<int:participant_id>/bagikan")
@login_required
def share(participant_id: int):
    _hr()
    p = _participant_or_404(participant_id)
    form = ShareForm()
    if form.validate():
        with attempt() as done:
            assessments.share_summary(p, form.shared.data)
        if done:
            flash(
                "Ringkasan dibagikan kepada atasan." if form.shared.data else "Ringkasan tidak lagi dibagikan.",
                "success",
            )
    return redirect(url_for("competency.meeting", participant_id=p.id), 303)


form_targets_answer_get(
    bp,
    {
        "participant_add": lambda event_id: url_for("competency.event", event_id=event_id),
        "assessor_add": lambda event_id: url_for("competency.event", event_id=event_id),
        "import_upload": lambda event_id: url_for("competency.event", event_id=event_id),
        "share": lambda participant_id: url_for("competency.meeting", participant_id=participant_id),
        "standards_import": lambda: url_for("competency.standards"),
        "teknis_add": lambda: url_for("competency.standards"),
        "issue_report": lambda employee_id: url_for("competency.profile", employee_id=employee_id),
    },
)
