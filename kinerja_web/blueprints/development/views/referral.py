"""One referral: HR assigns or dismisses it, records start, completion (JP, certificate) or non-completion, and
issues the surat tugas; certificates and issued PDFs are served to the people who may see the referral."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access, uploads
from ....domain import DomainError
from ....domain.development import ReferralStatus
from ....domain.documents import DocType
from ....extensions import db
from ....models import IssuedDocument, Programme, Referral, ReferralCertificate
from ....services.development import documents, lifecycle
from ....services.development import outcomes as loop
from ....services.development import rules as referral_rules
from ....services.pembinaan import plans
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import AssignForm, CertificateForm, CompleteForm, IssueForm, ReasonForm
from .shared import bulk_rows, flash_issue_failure, issuer_choices, programme_choices, valid_reason


def _referral_ctx(ref: Referral, **forms):
    hr = access.is_hr(current_user)
    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    assign_form.programme_id.choices = programme_choices()
    if assign_form.programme_id.data is None:
        assign_form.programme_id.data = ref.programme_id
    issue_form = forms.get("issue_form") or IssueForm(formdata=None)
    issue_form.unit_id.choices = issuer_choices()
    complete_form = forms.get("complete_form") or CompleteForm(formdata=None)
    if complete_form.jp.data is None and ref.programme is not None:
        complete_form.jp.data = ref.programme.jp
    return {
        "ref": ref,
        "hr": hr,
        "assign_form": assign_form,
        "reason_form": forms.get("reason_form") or ReasonForm(formdata=None),
        "complete_form": complete_form,
        "certificate_form": forms.get("certificate_form") or CertificateForm(formdata=None),
        "issue_form": issue_form,
        "surat_tugas": documents.surat_tugas_of(ref),
        "row_error": forms.get("row_error"),
        "plan": _plan_of(ref),
        "outcome": loop.outcome_of_referral(ref),
        "below_minimum": lifecycle.below_minimum_attendance(ref),
        "minimum_attendance": referral_rules.minimum_attendance(today_wib()).percent,
    }


def _plan_of(ref: Referral):
    """The improvement plan of a pembinaan kinerja referral, when this user may open it."""
    if not ref.needs_improvement_plan or ref.rating_id is None:
        return None
    plan = plans.plan_of_rating(ref.rating_id)
    return plan if plan is not None and access.can_view_plan(current_user, plan) else None


def _load(referral_id: int) -> Referral:
    return access.get_visible_or_404(Referral, referral_id, current_user)


def _page(ref: Referral, status: int = 200, **forms):
    return render_template("development/referral.html", **_referral_ctx(ref, **forms)), status


@bp.get("/rujukan/<int:referral_id>")
@login_required
def referral(referral_id: int):
    ref = _load(referral_id)
    if ref.status in (ReferralStatus.DIUSULKAN, ReferralStatus.DITOLAK) and not access.is_hr(current_user):
        abort(404)  # suggestions are HR's working state
    return render_template("development/referral.html", **_referral_ctx(ref))


def _hr_referral(referral_id: int) -> Referral:
    ref = _load(referral_id)
    access.require(access.is_hr(current_user))
    return ref


def _back(ref: Referral):
    return redirect(url_for("development.referral", referral_id=ref.id), 303)


@bp.post("/rujukan/<int:referral_id>/tugaskan")
@login_required
def assign(referral_id: int):
    ref = _hr_referral(referral_id)
    form = AssignForm()
    form.programme_id.choices = programme_choices()
    programme = db.session.get(Programme, form.programme_id.data) if form.programme_id.data else None
    rows: dict[int, str] = {}
    with attempt(flash_category=None) as done, bulk_rows(rows):
        if programme is None:
            raise DomainError("Pilih program yang akan ditugaskan.", field="programme_id")
        lifecycle.assign([ref], programme, current_user, today_wib())
    if not done:
        form.add_error("programme_id" if rows else done.field, rows.get(ref.id, done.message))
        return _page(ref, 422, assign_form=form)
    flash(f"{ref.employee.name} ditugaskan mengikuti {programme.name}.", "success")
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/tolak")
@login_required
def dismiss(referral_id: int):
    ref = _hr_referral(referral_id)
    return _with_reason(
        ref,
        lambda reason: lifecycle.dismiss([ref], reason, current_user),
        "Usulan tidak ditindaklanjuti; alasan dicatat.",
    )


def _with_reason(ref: Referral, act: Callable[[str], object], success: str):
    """An HR step that needs a reason (dismiss, not completed): a missing or short reason, or any other refusal,
    is shown at the reason field; a refusal of the referral itself (a bulk row message) goes to the page."""
    form = ReasonForm()
    rows: dict[int, str] = {}
    with attempt(flash_category=None) as done, bulk_rows(rows):
        act(valid_reason(form))
    if not done:
        if rows:
            flash(rows.get(ref.id, done.message), "error")
            return _back(ref)
        form.reason.errors = [done.message]
        return _page(ref, 422, reason_form=form)
    flash(success, "success")
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/mulai")
@login_required
def start(referral_id: int):
    ref = _hr_referral(referral_id)
    with attempt() as done:
        lifecycle.start(ref, current_user, today_wib())
    if done:
        flash("Rujukan dicatat sedang berjalan.", "success")
    return _back(ref)


def _upload(field: str) -> lifecycle.Upload | None:
    f = request.files.get(field)
    if f is None or not f.filename:
        return None
    return lifecycle.Upload(f.filename, f.read())


@bp.post("/rujukan/<int:referral_id>/selesai")
@login_required
def complete(referral_id: int):
    """Completion: attendance, result, JP credited, certificate; nothing is saved unless all of it is valid."""
    ref = _hr_referral(referral_id)
    form = CompleteForm()
    with attempt(form) as done:
        if not form.validate():
            raise DomainError("Periksa isian yang ditandai.")
        lifecycle.complete(
            ref,
            attendance_percent=form.attendance_percent.data,
            result=form.result.data,
            jp=form.jp.data,
            certificate=_upload("certificate"),
            actor=current_user,
            today=today_wib(),
        )
    if not done:
        return _page(ref, 422, complete_form=form)
    below = lifecycle.below_minimum_attendance(ref)
    flash(
        f"Rujukan selesai; kehadiran {ref.attendance_percent}% di bawah batas {below}%: JP tidak diakui."
        if below is not None
        else f"Rujukan selesai; {ref.jp_credited} JP ditambahkan untuk {ref.employee.name}.",
        "success",
    )
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/tidak-selesai")
@login_required
def not_completed(referral_id: int):
    ref = _hr_referral(referral_id)
    return _with_reason(
        ref,
        lambda reason: lifecycle.mark_not_completed(ref, reason, current_user, today_wib()),
        "Rujukan dicatat tidak selesai.",
    )


@bp.post("/rujukan/<int:referral_id>/sertifikat")
@login_required
def upload_certificate(referral_id: int):
    ref = _hr_referral(referral_id)
    form = CertificateForm()
    with attempt(form) as done:
        upload = _upload("certificate")
        if upload is None:
            raise DomainError("Pilih berkas sertifikat.", field="certificate")
        lifecycle.add_certificate(ref, upload)
    if not done:
        return _page(ref, 422, certificate_form=form)
    flash("Sertifikat diunggah.", "success")
    return _back(ref)


@bp.get("/sertifikat/<int:certificate_id>")
@login_required
def certificate(certificate_id: int):
    """A certificate, served only to people who may see the referral (404 for others)."""
    cert = db.get_or_404(ReferralCertificate, certificate_id)
    _load(cert.referral_id)
    return uploads.send_upload(cert.data, cert.content_type, cert.filename)


@bp.post("/rujukan/<int:referral_id>/surat-tugas")
@login_required
def issue_surat_tugas(referral_id: int):
    ref = _load(referral_id)
    access.require(access.is_hr(current_user))
    form = IssueForm()
    form.unit_id.choices = issuer_choices()
    if not form.validate():
        flash("Pilih unit penerbit yang mempunyai kop surat (menu Arsip Dokumen › Pengaturan).", "error")
        return _back(ref)
    with attempt(
        flash_category=None, conflict="Surat tugas ini sudah diterbitkan.", conflict_on_integrity=True
    ) as done:
        doc, new = documents.issue_surat_tugas(ref, form.unit_id.data, current_user.id, today_wib())
    if not done:
        flash_issue_failure(done)
        return _back(ref)
    flash(
        f"Surat tugas nomor {doc.display_number} diterbitkan." if new else "Surat tugas sudah diterbitkan.", "success"
    )
    return _back(ref)


@bp.get("/dokumen/<int:document_id>.pdf")
@login_required
def document(document_id: int):
    """Stored bytes of a surat tugas (people who see the referral) or a daftar peserta (HR)."""
    doc = db.get_or_404(IssuedDocument, document_id)
    ref_kind, _, ref_id = (doc.source_ref or "").partition(":")
    if doc.doc_type == DocType.SURAT_TUGAS and ref_kind == "surat_tugas" and ref_id.isdigit():
        _load(int(ref_id))
    elif doc.doc_type == DocType.DAFTAR_PESERTA and ref_kind == "daftar_peserta":
        if not access.is_hr(current_user):
            abort(404)
    else:
        abort(404)
    resp = Response(doc.pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{doc.doc_type.value}-{doc.id}.pdf"'
    return resp
