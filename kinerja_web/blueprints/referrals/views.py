"""Pengembangan kompetensi: Pengembangan saya, the catalogue, referral rules, the HR work queue, the lifecycle
of a referral, surat tugas and daftar peserta."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ... import access, charts, uploads
from ...domain import DomainError
from ...domain.development import ReasonKind, ReferralStatus
from ...extensions import db
from ...htmx import render
from ...jobs import pages as job_pages
from ...models import (
    DocType,
    IssuedDocument,
    Job,
    Period,
    Programme,
    Referral,
    ReferralCertificate,
    RuleKind,
    Unit,
)
from ...request_input import ids_in, page_arg, query_int
from ...services import development as dev
from ...services import development_documents as devdocs
from ...services import development_outcomes as loop
from ...services import jobs
from ...services import pembinaan as plans
from ...services.jobs import enqueue
from ...timeutil import today_wib
from . import bp, services
from .forms import (
    AssignForm,
    CertificateForm,
    CompleteForm,
    GenerateForm,
    IssueForm,
    JpForm,
    ProgrammeForm,
    ReasonForm,
    RuleForm,
)

REASON_LABELS = {r.value: r.label for r in ReasonKind}


def _programme_choices(blank: str = "— pilih program —"):
    return [(None, blank)] + [
        (p.id, f"{p.name} ({p.bentuk.label}, {p.jp} JP)") for p in services.programmes(include_inactive=False)
    ]


def _issuer_choices():
    return [(u.id, u.name) for u in devdocs.issuer_units()]


# --- Pengembangan saya / one employee ------------------------------------------------------------------


@bp.get("/")
@login_required
def mine():
    """JP progress toward 20 JP this year, referrals, history and certificates of the signed-in employee."""
    if current_user.employee is None:
        return render_template("referrals/mine.html", dev=None, own=True)
    d = services.development_of(current_user.employee, today_wib().year)
    return render_template("referrals/mine.html", dev=d, own=True, jp_form=None)


@bp.route("/pegawai/<int:employee_id>", methods=["GET", "POST"])
@login_required
def employee(employee_id: int):
    """One employee's development record (self, superiors, HR); HR records JP from other sources here."""
    emp = access.get_employee_or_404(employee_id)
    if not access.can_view_development(current_user, emp):
        abort(404)
    form = JpForm() if request.method == "POST" else JpForm(formdata=None)
    status = 200
    if request.method == "POST":
        access.require(access.can_record_jp(current_user))
        if form.validate():
            try:
                dev.record_jp(
                    emp,
                    jp=form.jp.data,
                    title=form.title.data,
                    on_date=form.on_date.data,
                    provider=form.provider.data,
                    actor=current_user,
                )
            except DomainError as e:
                form.add_error(e.field, e.message)
            else:
                db.session.commit()
                flash(f"{form.jp.data} JP dicatat untuk {emp.name}.", "success")
                return redirect(url_for("referrals.employee", employee_id=emp.id), 303)
        status = 422
    d = services.development_of(emp, today_wib().year)
    return render_template(
        "referrals/mine.html",
        dev=d,
        own=access.is_self(current_user, emp),
        jp_form=form if access.can_record_jp(current_user) else None,
        suggestions=services.suggestions_of(emp) if access.can_work_referral_queue(current_user) else [],
    ), status


# --- catalogue ------------------------------------------------------------------------------------------


@bp.get("/katalog")
@login_required
def catalogue():
    manage = access.can_manage_programmes(current_user)
    rows = services.catalogue(current_user.employee, include_inactive=manage)
    return render_template("referrals/catalogue.html", rows=rows, manage=manage)


@bp.get("/katalog/<int:programme_id>")
@login_required
def programme(programme_id: int):
    p = db.get_or_404(Programme, programme_id)
    manage = access.can_manage_programmes(current_user)
    if not p.active and not manage:
        abort(404)
    row = services.catalogue(current_user.employee, include_inactive=True)
    row = next(r for r in row if r.programme.id == p.id)
    ctx = {"row": row, "p": p, "manage": manage}
    if access.can_work_referral_queue(current_user):
        ctx["participants"] = devdocs.participants(p)
        ctx["daftar_docs"] = devdocs.daftar_documents(p)
        form = IssueForm(formdata=None)
        form.unit_id.choices = _issuer_choices()
        ctx["issue_form"] = form
    return render_template("referrals/programme.html", **ctx)


def _programme_form_page(p: Programme | None):
    access.require(access.can_manage_programmes(current_user))
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm(obj=p, formdata=None)
    if request.method == "POST":
        if form.validate():
            try:
                saved = services.save_programme(p, form.data)
            except DomainError as e:
                form.add_error(e.field, e.message)
            else:
                db.session.commit()
                flash(f"Program «{saved.name}» disimpan.", "success")
                return redirect(url_for("referrals.programme", programme_id=saved.id), 303)
        return render_template("referrals/programme_form.html", form=form, p=p), 422
    return render_template("referrals/programme_form.html", form=form, p=p)


@bp.route("/katalog/baru", methods=["GET", "POST"])
@login_required
def programme_new():
    return _programme_form_page(None)


@bp.route("/katalog/<int:programme_id>/ubah", methods=["GET", "POST"])
@login_required
def programme_edit(programme_id: int):
    return _programme_form_page(db.get_or_404(Programme, programme_id))


@bp.post("/katalog/<int:programme_id>/daftar-peserta")
@login_required
def issue_daftar(programme_id: int):
    access.require(access.can_issue_referral_documents(current_user))
    p = db.get_or_404(Programme, programme_id)
    form = IssueForm()
    form.unit_id.choices = _issuer_choices()
    if not form.validate():
        flash("Pilih unit penerbit yang mempunyai kop surat.", "error")
        return redirect(url_for("referrals.programme", programme_id=p.id), 303)
    try:
        doc = devdocs.issue_daftar_peserta(p, form.unit_id.data, current_user.id, today_wib())
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    except IntegrityError:  # a simultaneous click issued it first
        db.session.rollback()
        flash("Daftar peserta ini sudah diterbitkan.", "info")
    else:
        flash(f"Daftar peserta diterbitkan ({doc.display_number}).", "success")
    return redirect(url_for("referrals.programme", programme_id=p.id), 303)


# --- rules ----------------------------------------------------------------------------------------------


def _rule_form(kind: RuleKind, rule, formdata=True):
    form = RuleForm(prefix=kind.value) if formdata else RuleForm(prefix=kind.value, formdata=None)
    form.programme_id.choices = _programme_choices("— tanpa program tertentu —")
    if not formdata:
        form.berlaku_mulai.data = today_wib()
        if rule is not None:
            form.bentuk.data = rule.bentuk.value
            form.programme_id.data = rule.programme_id
            form.active.data = rule.active
            params = rule.params or {}
            form.predikat.data = params.get("predikat", [])
            form.plan_months.data = params.get("plan_months")
            form.threshold.data = params.get("threshold")
            form.month.data = params.get("month", 9)
    return form


@bp.route("/aturan", methods=["GET", "POST"])
@login_required
def rules():
    """Referral rules, versioned: a change adds a version with its start date and who made it."""
    access.require(access.can_manage_referral_rules(current_user))
    today = today_wib()
    in_force = dev.rules_in_force(today)
    forms = {k: _rule_form(k, in_force.get(k), formdata=False) for k in RuleKind}
    status = 200
    if request.method == "POST":
        try:
            kind = RuleKind(request.form.get("kind", ""))
        except ValueError:
            abort(400)
        form = _rule_form(kind, in_force.get(kind))
        forms[kind] = form
        if form.validate():
            params = {
                "predikat": form.predikat.data or [],
                "plan_months": form.plan_months.data,
                "threshold": form.threshold.data,
                "month": form.month.data,
            }
            try:
                rule = dev.save_rule(
                    kind,
                    bentuk=form.bentuk.data,
                    programme_id=form.programme_id.data,
                    params=params,
                    berlaku_mulai=form.berlaku_mulai.data,
                    active=form.active.data,
                    note=form.note.data,
                    actor=current_user,
                )
            except DomainError as e:
                form.add_error(e.field, e.message)
            else:
                db.session.commit()
                flash(f"Aturan «{kind.label}» versi {rule.version} disimpan.", "success")
                return redirect(url_for("referrals.rules"), 303)
        status = 422
    return render_template(
        "referrals/rules.html", forms=forms, in_force=in_force, history=dev.rule_history(), kinds=list(RuleKind)
    ), status


# --- HR work queue --------------------------------------------------------------------------------------


def _filter_from_args() -> services.QueueFilter:
    args = request.args
    try:
        reason = ReasonKind(args["alasan"]) if args.get("alasan") else None
    except ValueError:
        reason = None
    raw_status = args.get("status", ReferralStatus.DIUSULKAN.value)
    try:
        status = ReferralStatus(raw_status) if raw_status else None
    except ValueError:
        status = ReferralStatus.DIUSULKAN
    return services.QueueFilter(
        opd_id=args.get("opd", type=query_int),
        reason=reason,
        status=status,
        year=args.get("tahun", type=query_int),
        q=args.get("q", ""),
    )


def _queue_ctx(assign_form=None, dismiss_form=None, row_errors=None, selected=()):
    f = _filter_from_args()
    page = db.paginate(services.queue_query(f), per_page=services.QUEUE_PAGE_SIZE, page=page_arg(), error_out=False)
    if assign_form is None:
        assign_form = AssignForm(formdata=None)
    assign_form.programme_id.choices = _programme_choices()
    gen = GenerateForm(formdata=None)
    gen.period_id.choices = [(p.id, p.name) for p in services.periods()]
    job_id = request.args.get("pekerjaan", type=query_int)
    job = None
    if job_id:
        job = db.session.scalars(
            access.visible_jobs(current_user).where(Job.id == job_id, Job.kind == dev.GENERATE_JOB)
        ).first()
        job = job and jobs.check_orphaned(job)
    return {
        "f": f,
        "page": page,
        "opds": services.opds(),
        "reasons": list(ReasonKind),
        "statuses": list(ReferralStatus),
        "counts": services.status_counts(f.year),
        "assign_form": assign_form,
        "dismiss_form": dismiss_form or ReasonForm(formdata=None),
        "generate_form": gen,
        "row_errors": row_errors or {},
        "selected": set(selected),
        "job": job,
        "reason_labels": REASON_LABELS,
        "filter_args": {k: v for k, v in request.args.items() if k in ("opd", "alasan", "status", "tahun", "q")},
    }


@bp.get("/antrean")
@login_required
def queue():
    """Antrean rujukan: suggestions with the result that triggered them; filters by OPD, reason, status."""
    access.require(access.can_work_referral_queue(current_user))
    return render("referrals/queue.html", "rows", **_queue_ctx())


@bp.post("/antrean/buat")
@login_required
def generate():
    """Generate suggestions from the period's results (a background job with progress)."""
    access.require(access.can_work_referral_queue(current_user))
    form = GenerateForm()
    form.period_id.choices = [(p.id, p.name) for p in services.periods()]
    if not form.validate():
        flash("Pilih periode kinerja.", "error")
        return redirect(url_for("referrals.queue"), 303)
    period = db.session.get(Period, form.period_id.data)
    job = enqueue(
        dev.GENERATE_JOB,
        f"Usulan rujukan pengembangan {period.name}",
        {"period_id": period.id, "today": today_wib().isoformat()},
        current_user.id,
        total=4,
    )
    db.session.commit()
    return redirect(url_for("referrals.queue", pekerjaan=job.id), 303)


@bp.get("/antrean/pekerjaan/<int:job_id>")
@login_required
def job_status(job_id: int):
    access.require(access.can_work_referral_queue(current_user))
    job = job_pages.get_for_page(job_id, current_user, dev.GENERATE_JOB)
    return render_template("referrals/_job.html", job=job, reason_labels=REASON_LABELS)


@bp.post("/antrean/pekerjaan/<int:job_id>/ulangi")
@login_required
def job_retry(job_id: int):
    """ "Ulangi" on a failed generation (suggestions that exist are skipped: one per trigger)."""
    access.require(access.can_work_referral_queue(current_user))
    job = job_pages.get_for_page(job_id, current_user, dev.GENERATE_JOB)
    return job_pages.retry_from_page(job, current_user, lambda i: url_for("referrals.queue", pekerjaan=i))


def _selected_ids() -> list[int]:
    return ids_in(request.form.getlist("ids"))


@bp.post("/antrean/tugaskan")
@login_required
def bulk_assign():
    """Accept and assign the selected suggestions to one programme, all or nothing."""
    access.require(access.can_work_referral_queue(current_user))
    form = AssignForm()
    form.programme_id.choices = _programme_choices()
    ids = _selected_ids()
    refs = services.referrals_by_ids(ids)
    programme = db.session.get(Programme, form.programme_id.data) if form.programme_id.data else None
    try:
        if programme is None:
            raise DomainError("Pilih program yang akan ditugaskan.", field="programme_id")
        if len(refs) != len(set(ids)):
            raise DomainError("Sebagian usulan yang dipilih tidak ditemukan; muat ulang antrean.")
        dev.assign(refs, programme, current_user, today_wib())
    except dev.BulkError as e:
        db.session.rollback()
        form.add_error(None, e.message)
        return render("referrals/queue.html", "rows", **_queue_ctx(form, row_errors=e.rows, selected=ids)), 422
    except DomainError as e:
        db.session.rollback()
        form.add_error(e.field, e.message)
        return render("referrals/queue.html", "rows", **_queue_ctx(form, selected=ids)), 422
    db.session.commit()
    flash(f"{len(refs)} pegawai ditugaskan mengikuti {programme.name}.", "success")
    return redirect(url_for("referrals.queue", **request.args), 303)


@bp.post("/antrean/tolak")
@login_required
def bulk_dismiss():
    access.require(access.can_work_referral_queue(current_user))
    form = ReasonForm()
    ids = _selected_ids()
    refs = services.referrals_by_ids(ids)
    try:
        if not form.validate():
            raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
        dev.dismiss(refs, form.reason.data, current_user)
    except dev.BulkError as e:
        db.session.rollback()
        return render(
            "referrals/queue.html", "rows", **_queue_ctx(dismiss_form=form, row_errors=e.rows, selected=ids)
        ), 422
    except DomainError as e:
        db.session.rollback()
        form.reason.errors = [e.message]
        return render("referrals/queue.html", "rows", **_queue_ctx(dismiss_form=form, selected=ids)), 422
    db.session.commit()
    flash(f"{len(refs)} usulan tidak ditindaklanjuti.", "success")
    return redirect(url_for("referrals.queue", **request.args), 303)


# --- one referral ---------------------------------------------------------------------------------------


def _referral_ctx(ref: Referral, **forms):
    hr = access.can_work_referral_queue(current_user)
    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    assign_form.programme_id.choices = _programme_choices()
    if assign_form.programme_id.data is None:
        assign_form.programme_id.data = ref.programme_id
    issue_form = forms.get("issue_form") or IssueForm(formdata=None)
    issue_form.unit_id.choices = _issuer_choices()
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
        "surat_tugas": devdocs.surat_tugas_of(ref),
        "row_error": forms.get("row_error"),
        "plan": _plan_of(ref),
        "outcome": loop.outcome_of_referral(ref),
    }


def _plan_of(ref: Referral):
    """The improvement plan of a pembinaan kinerja referral, when this user may open it."""
    if not ref.needs_improvement_plan or ref.rating_id is None:
        return None
    plan = plans.plan_of_rating(ref.rating_id)
    return plan if plan is not None and access.can_view_plan(current_user, plan) else None


def _load(referral_id: int) -> Referral:
    return access.get_visible_or_404(Referral, referral_id, current_user)


@bp.get("/rujukan/<int:referral_id>")
@login_required
def referral(referral_id: int):
    ref = _load(referral_id)
    if ref.status in (ReferralStatus.DIUSULKAN, ReferralStatus.DITOLAK) and not access.can_work_referral_queue(
        current_user
    ):
        abort(404)  # suggestions are HR's working state
    return render_template("referrals/referral.html", **_referral_ctx(ref))


def _hr_referral(referral_id: int) -> Referral:
    ref = _load(referral_id)
    access.require(access.can_work_referral_queue(current_user))
    return ref


def _back(ref: Referral):
    return redirect(url_for("referrals.referral", referral_id=ref.id), 303)


@bp.post("/rujukan/<int:referral_id>/tugaskan")
@login_required
def assign(referral_id: int):
    ref = _hr_referral(referral_id)
    form = AssignForm()
    form.programme_id.choices = _programme_choices()
    programme = db.session.get(Programme, form.programme_id.data) if form.programme_id.data else None
    try:
        if programme is None:
            raise DomainError("Pilih program yang akan ditugaskan.", field="programme_id")
        dev.assign([ref], programme, current_user, today_wib())
    except dev.BulkError as e:
        db.session.rollback()
        form.add_error("programme_id", e.rows.get(ref.id, e.message))
        return render_template("referrals/referral.html", **_referral_ctx(ref, assign_form=form)), 422
    except DomainError as e:
        db.session.rollback()
        form.add_error(e.field, e.message)
        return render_template("referrals/referral.html", **_referral_ctx(ref, assign_form=form)), 422
    db.session.commit()
    flash(f"{ref.employee.name} ditugaskan mengikuti {programme.name}.", "success")
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/tolak")
@login_required
def dismiss(referral_id: int):
    ref = _hr_referral(referral_id)
    form = ReasonForm()
    try:
        if not form.validate():
            raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
        dev.dismiss([ref], form.reason.data, current_user)
    except dev.BulkError as e:
        db.session.rollback()
        flash(e.rows.get(ref.id, e.message), "error")
        return _back(ref)
    except DomainError as e:
        db.session.rollback()
        form.reason.errors = [e.message]
        return render_template("referrals/referral.html", **_referral_ctx(ref, reason_form=form)), 422
    db.session.commit()
    flash("Usulan tidak ditindaklanjuti; alasan dicatat.", "success")
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/mulai")
@login_required
def start(referral_id: int):
    ref = _hr_referral(referral_id)
    try:
        dev.start(ref, current_user, today_wib())
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return _back(ref)
    db.session.commit()
    flash("Rujukan dicatat sedang berjalan.", "success")
    return _back(ref)


def _upload(field: str) -> dev.Upload | None:
    f = request.files.get(field)
    if f is None or not f.filename:
        return None
    return dev.Upload(f.filename, f.read())


@bp.post("/rujukan/<int:referral_id>/selesai")
@login_required
def complete(referral_id: int):
    """Completion: attendance, result, JP credited, certificate; nothing is saved unless all of it is valid."""
    ref = _hr_referral(referral_id)
    form = CompleteForm()
    try:
        if not form.validate():
            raise DomainError("Periksa isian yang ditandai.")
        dev.complete(
            ref,
            attendance_percent=form.attendance_percent.data,
            result=form.result.data,
            jp=form.jp.data,
            certificate=_upload("certificate"),
            actor=current_user,
            today=today_wib(),
        )
    except DomainError as e:
        db.session.rollback()
        form.add_error(e.field, e.message)
        return render_template("referrals/referral.html", **_referral_ctx(ref, complete_form=form)), 422
    db.session.commit()
    flash(f"Rujukan selesai; {ref.jp_credited} JP ditambahkan untuk {ref.employee.name}.", "success")
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/tidak-selesai")
@login_required
def not_completed(referral_id: int):
    ref = _hr_referral(referral_id)
    form = ReasonForm()
    try:
        if not form.validate():
            raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
        dev.mark_not_completed(ref, form.reason.data, current_user, today_wib())
    except DomainError as e:
        db.session.rollback()
        form.reason.errors = [e.message]
        return render_template("referrals/referral.html", **_referral_ctx(ref, reason_form=form)), 422
    db.session.commit()
    flash("Rujukan dicatat tidak selesai.", "success")
    return _back(ref)


@bp.post("/rujukan/<int:referral_id>/sertifikat")
@login_required
def upload_certificate(referral_id: int):
    ref = _hr_referral(referral_id)
    form = CertificateForm()
    try:
        upload = _upload("certificate")
        if upload is None:
            raise DomainError("Pilih berkas sertifikat.", field="certificate")
        dev.add_certificate(ref, upload)
    except DomainError as e:
        db.session.rollback()
        form.add_error(e.field, e.message)
        return render_template("referrals/referral.html", **_referral_ctx(ref, certificate_form=form)), 422
    db.session.commit()
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
    access.require(access.can_issue_referral_documents(current_user))
    form = IssueForm()
    form.unit_id.choices = _issuer_choices()
    if not form.validate():
        flash("Pilih unit penerbit yang mempunyai kop surat (menu Arsip Dokumen › Pengaturan).", "error")
        return _back(ref)
    try:
        doc, new = devdocs.issue_surat_tugas(ref, form.unit_id.data, current_user.id, today_wib())
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return _back(ref)
    except IntegrityError:
        db.session.rollback()
        flash("Surat tugas ini sudah diterbitkan.", "info")
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
        if not access.can_issue_referral_documents(current_user):
            abort(404)
    else:
        abort(404)
    resp = Response(doc.pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{doc.doc_type.value}-{doc.id}.pdf"'
    return resp


# --- dashboard ------------------------------------------------------------------------------------------


def _dashboard_data(year: int):
    coverage = services.jp_coverage(year)
    funnels = {"Semua alasan": services.funnel(year)}
    for reason in ReasonKind:
        funnels[reason.label] = services.funnel(year, reason)
    return coverage, funnels


def _nice_step(top: int) -> int:
    """Axis step giving at most five ticks: 1, 2, 5, 10, 20, 50 …"""
    base = 1
    while True:
        for step in (base, 2 * base, 5 * base):
            if top <= 5 * step:
                return step
        base *= 10


@bp.get("/dasbor")
@login_required
def dashboard():
    """JP coverage per OPD (share with ≥ 20 JP), the referral funnel and pembinaan kinerja outcomes."""
    access.require(access.can_view_development_dashboard(current_user))
    year = request.args.get("tahun", type=query_int) or today_wib().year
    coverage, funnels = _dashboard_data(year)
    coverage_chart = charts.grouped_bars(
        [r.opd for r in coverage],
        [charts.Series("Pegawai dengan ≥ 20 JP (%)", [r.percent for r in coverage])],
        title=f"Cakupan 20 JP per perangkat daerah, {year}",
        max_value=100,
        width=820,
        label_width=360,
        tick_step=20,
    )
    main = funnels["Semua alasan"]
    step = _nice_step(main.suggested)
    funnel_max = max(step, -(-main.suggested // step) * step)
    funnel_chart = charts.grouped_bars(
        [label for label, _ in main.stages()],
        [charts.Series("Rujukan", [n for _, n in main.stages()])],
        title=f"Corong rujukan {year}",
        max_value=funnel_max,
        label_width=120,
        bar_height=16,
        tick_step=step,
    )
    return render_template(
        "referrals/dashboard.html",
        year=year,
        coverage=coverage,
        funnels=funnels,
        pembinaan=funnels[ReasonKind.PREDIKAT_RENDAH.label],
        plan_outcomes=services.plan_outcome_counts(year),
        coverage_chart=coverage_chart,
        funnel_chart=funnel_chart,
    )


@bp.get("/dasbor.xlsx")
@login_required
def dashboard_xlsx():
    access.require(access.can_view_development_dashboard(current_user))
    year = request.args.get("tahun", type=query_int) or today_wib().year
    coverage, funnels = _dashboard_data(year)
    resp = Response(
        services.dashboard_xlsx(year, coverage, funnels),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp.headers["Content-Disposition"] = f'attachment; filename="pengembangan-kompetensi-{year}.xlsx"'
    return resp


# --- closing the loop: effectiveness per programme -------------------------------------------------------


def _effectiveness_args():
    year = request.args.get("tahun", type=query_int)
    if year is None and "tahun" not in request.args:
        year = today_wib().year - 1  # last year's referrals have this year's results
    opd_id = request.args.get("opd", type=query_int)
    opd = db.session.get(Unit, opd_id) if opd_id else None
    return year, opd


@bp.get("/efektivitas")
@login_required
def effectiveness():
    """Per programme: finished referrals, how many have the next cycle's result, % improved, average change."""
    access.require(access.can_view_development_effectiveness(current_user))
    year, opd = _effectiveness_args()
    rows = loop.effectiveness(year, services.unit_ids_under(opd.id) if opd else None)
    measured = [r for r in rows if r.percent_improved is not None]  # only rows with next-cycle data have a bar
    chart = (
        charts.grouped_bars(
            [r.label for r in measured],
            [charts.Series("Membaik (% dari yang sudah ada data)", [r.percent_improved for r in measured])],
            title="Persentase membaik per program",
            max_value=100,
            width=820,
            label_width=380,
            tick_step=20,
        )
        if measured
        else None
    )
    return render_template(
        "referrals/effectiveness.html", rows=rows, chart=chart, year=year, opd=opd, opds=services.opds()
    )


@bp.get("/efektivitas.xlsx")
@login_required
def effectiveness_xlsx():
    access.require(access.can_view_development_effectiveness(current_user))
    year, opd = _effectiveness_args()
    rows = loop.effectiveness(year, services.unit_ids_under(opd.id) if opd else None)
    title = f"Efektivitas program pengembangan {year or 'semua tahun'}" + (f", {opd.name}" if opd else "")
    resp = Response(
        loop.effectiveness_xlsx(title, rows),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp.headers["Content-Disposition"] = f'attachment; filename="efektivitas-pengembangan-{year or "semua"}.xlsx"'
    return resp
