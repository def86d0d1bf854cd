from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access, uploads
from ...domain import DomainError
from ...domain.documents import DocType
from ...domain.numbering import normalize_code
from ...extensions import db
from ...forms import submitted_idempotency_key
from ...htmx import render
from ...jobs import pages as job_pages
from ...models import Employee, IssuedDocument, Letterhead, NumberEntry, NumberRegister
from ...request_input import date_arg, ids_in, page_arg, query_int
from ...services import jobs
from ...services.documents import batches, configuration, search, verification
from ...services.documents import issuing as docs
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp, public_bp
from .forms import (
    BatchForm,
    CancelForm,
    LetterheadForm,
    ManualNumberForm,
    RegisterForm,
    RevokeForm,
    SignerForm,
    SkPenghargaanForm,
)


def _unit_choices(form_field) -> None:
    form_field.choices = [(u.id, u.name) for u in configuration.opd_choices()]


def _setup_choices(form) -> None:
    """The units (and document types) whose kop surat, signer or register the user may set (access.documents)."""
    form.unit_id.choices = [
        (u.id, u.name) for u in configuration.opd_choices() if access.can_configure_document(current_user, u.id)
    ]
    if hasattr(form, "doc_type"):
        allowed = {t.value for t in access.configurable_doc_types(current_user)}
        form.doc_type.choices = [c for c in form.doc_type.choices if c[0] in allowed]


def _mine(rows: list) -> list:
    """The kop surat, signers or registers the user may set (all for HR; finance: its OPD's payroll ones)."""
    return [r for r in rows if access.can_configure_document(current_user, r.unit_id, getattr(r, "doc_type", None))]


def _get_doc_or_404(doc_id: int) -> IssuedDocument:
    doc = db.session.get(IssuedDocument, doc_id)
    if doc is None or doc.is_pending:
        abort(404)
    return doc


def _date_arg(name: str) -> date | None:
    value, error = date_arg(name)
    if error:
        flash(error, "error")
    return value


# --- settings: kop surat, signers ----------------------------------------------------------------------


def _settings_page(lh_form=None, signer_form=None, status=200):
    lh_form = lh_form or LetterheadForm(formdata=None)
    signer_form = signer_form or SignerForm(formdata=None)
    _setup_choices(lh_form)
    _setup_choices(signer_form)
    return render_template(
        "documents/settings.html",
        lh_form=lh_form,
        signer_form=signer_form,
        letterheads=_mine(configuration.letterheads()),
        signers=_mine(configuration.signers()),
    ), status


@bp.get("/pengaturan")
@login_required
def settings():
    access.require(access.can_configure_documents(current_user))
    return _settings_page()


@bp.get("/pengaturan/logo/<int:letterhead_id>")
@login_required
def logo(letterhead_id: int):
    access.require(access.can_configure_documents(current_user))
    lh = db.session.get(Letterhead, letterhead_id)
    if lh is None or lh.logo is None or not access.can_configure_document(current_user, lh.unit_id):
        abort(404)
    mimetype = lh.logo_mime or uploads.PNG
    return uploads.send_upload(lh.logo, mimetype, f"logo-kop-{lh.id}.{uploads.EXTENSIONS.get(mimetype, 'png')}")


@bp.post("/pengaturan/kop")
@login_required
def save_letterhead():
    access.require(access.can_configure_documents(current_user))
    form = LetterheadForm()
    _setup_choices(form)
    if form.validate():
        upload = request.files.get("logo")
        fields = {f: getattr(form, f).data for f in ("pemda_name", "opd_name", "address", "city")}
        with attempt(form) as done:
            logo = upload.read() if upload and upload.filename else None
            configuration.save_letterhead(form.unit_id.data, fields, form.contact.data, logo)
        if done:
            flash("Kop surat tersimpan.", "success")
            return redirect(url_for("documents.settings"), 303)
    return _settings_page(lh_form=form, status=422)


@bp.post("/pengaturan/penanda-tangan")
@login_required
def save_signer():
    access.require(access.can_configure_documents(current_user))
    form = SignerForm()
    _setup_choices(form)
    if form.validate():
        data = {f: (getattr(form, f).data or "").strip() for f in ("jabatan", "name", "nip", "pangkat", "place")}
        emp = db.session.get(Employee, form.employee_id.data) if form.employee_id.data else None
        if form.employee_id.data and emp is None:
            form.add_error("employee_id", "Pegawai tidak ditemukan.")
        data = configuration.fill_from_employee(data, emp)
        for field, label in (("jabatan", "Jabatan"), ("name", "Nama"), ("pangkat", "Pangkat")):
            if not data[field]:
                form.add_error(field, f"{label} penanda tangan wajib diisi.")
        with attempt(form, commit=False):  # the NIP's message joins the ones above
            data["nip"] = configuration.validate_signer_nip(data["nip"])
        if not form.errors:
            doc_type, employee_id = DocType(form.doc_type.data), emp.id if emp else None
            with attempt(form) as done:
                configuration.save_signer(form.unit_id.data, doc_type, data, form.acting.data, employee_id)
            if done:
                flash("Penanda tangan tersimpan.", "success")
                return redirect(url_for("documents.settings"), 303)
    return _settings_page(signer_form=form, status=422)


# --- number registers ----------------------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@login_required
def registers():
    access.require(access.can_configure_documents(current_user))
    form = RegisterForm()
    _setup_choices(form)
    status = 200
    if request.method == "POST":
        if form.validate():
            with attempt(form) as done:
                configuration.save_register(
                    form.unit_id.data,
                    DocType(form.doc_type.data),
                    form.year.data,
                    form.pattern.data,
                    form.kode_unit.data,
                )
            if done:
                flash("Register nomor tersimpan.", "success")
                return redirect(url_for("documents.registers"), 303)
        status = 422
    return render_template("documents/registers.html", form=form, regs=_mine(configuration.registers())), status


@bp.route("/register/<int:register_id>", methods=["GET", "POST"])
@login_required
def register_detail(register_id: int):
    access.require(access.is_hr(current_user))
    reg = db.session.get(NumberRegister, register_id) or abort(404)
    form = ManualNumberForm()
    if request.method == "POST":
        if form.validate():
            with attempt(form) as done:
                entry = docs.take_number(reg.id, today_wib(), current_user.id, subject=form.subject.data.strip())
            if done:
                flash(f"Nomor {entry.number} dicatat untuk “{entry.subject}”.", "success")
                return redirect(url_for("documents.register_detail", register_id=reg.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "documents/register.html",
        reg=reg,
        entries=configuration.register_entries(reg.id),
        form=form,
        cancel_form=CancelForm(formdata=None),
    ), status


@bp.post("/register/nomor/<int:entry_id>/batal")
@login_required
def cancel_number(entry_id: int):
    access.require(access.is_hr(current_user))
    entry = db.session.get(NumberEntry, entry_id) or abort(404)
    form = CancelForm()
    with attempt() as done:
        docs.cancel_entry(entry, form.reason.data, current_user.id)
    if not done:
        return render_template(
            "documents/register.html",
            reg=entry.register,
            entries=configuration.register_entries(entry.register_id),
            form=ManualNumberForm(formdata=None),
            cancel_form=form,
        ), 422
    flash(f"Nomor {entry.number} dibatalkan.", "success")
    return redirect(url_for("documents.register_detail", register_id=entry.register_id), 303)


# --- archive -------------------------------------------------------------------------------------------


@bp.get("/")
@login_required
def archive():
    access.require(access.is_hr(current_user))
    f = {
        "q": request.args.get("q", ""),
        "jenis": request.args.get("jenis", ""),
        "status": request.args.get("status", ""),
        "dari": _date_arg("dari"),
        "sampai": _date_arg("sampai"),
        "pegawai": request.args.get("pegawai", type=query_int),
    }
    stmt = search.archive_query(f["q"], f["jenis"], f["status"], f["dari"], f["sampai"], f["pegawai"])
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], page=page_arg(), error_out=False)
    return render(
        "documents/archive.html", "results", page=page, f=f, doc_types=DocType, statuses=search.ARCHIVE_STATUSES
    )


@bp.get("/<int:doc_id>")
@login_required
def show(doc_id: int):
    access.require(access.is_hr(current_user))
    doc = _get_doc_or_404(doc_id)
    return render_template(
        "documents/show.html", doc=doc, replaces=docs.replacements_of(doc), form=RevokeForm(formdata=None)
    )


@bp.get("/<int:doc_id>/unduh")
@login_required
def download(doc_id: int):
    """Streams the stored bytes: an issued document is never re-rendered. HR any; a pegawai their own card."""
    doc = _get_doc_or_404(doc_id)
    access.require(access.can_download_document(current_user, doc))
    data = search.stored_pdf(doc)
    name = "".join(ch if ch.isalnum() else "-" for ch in (doc.number or f"dokumen-{doc.verification_code}")) + ".pdf"
    resp = current_app.response_class(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["X-Content-SHA256"] = doc.sha256
    return resp


@bp.post("/<int:doc_id>/cabut")
@login_required
def revoke(doc_id: int):
    doc = _get_doc_or_404(doc_id)
    access.require(access.can_revoke_document(current_user))
    if not doc.is_valid:  # a second click, or another officer was first
        return _already_revoked(doc)
    form = RevokeForm()
    if form.validate():
        replacement = None
        if form.replacement.data:
            replacement = search.by_number_or_code(form.replacement.data)
            if replacement is None:
                form.add_error("replacement", "Dokumen dengan nomor itu tidak ditemukan.")
        if not form.errors and request.form.get("confirm") != CONFIRMED:
            # The confirmation step is a page of its own: it works without JavaScript.
            return render_template("documents/revoke_confirm.html", doc=doc, form=form, replacement=replacement)
        if not form.errors:
            with attempt(form) as done:
                docs.revoke(doc, form.reason.data, replacement, current_user.id)
            if done:
                flash(f"Dokumen {doc.display_number} dicabut.", "success")
                return redirect(url_for("documents.show", doc_id=doc.id), 303)
            if not doc.is_valid:  # read again after the rollback: a simultaneous request revoked it first
                return _already_revoked(doc)
    return render_template("documents/show.html", doc=doc, replaces=docs.replacements_of(doc), form=form), 422


CONFIRMED = "ya"


def _already_revoked(doc: IssuedDocument):
    flash(f"Dokumen {doc.display_number} sudah dicabut.", "info")
    return redirect(url_for("documents.show", doc_id=doc.id), 303)


# --- issuing -------------------------------------------------------------------------------------------


@bp.route("/sk-penghargaan", methods=["GET", "POST"])
@login_required
def sk_penghargaan():
    access.require(access.is_hr(current_user))
    form = SkPenghargaanForm()
    _unit_choices(form.unit_id)
    q = request.args.get("q", "")
    raw_ids = request.values.getlist("employee_id")
    selected = search.selected_employees(ids_in(" ".join(raw_ids).replace(",", " ").split()))
    status = 200
    if request.method == "POST" and request.form.get("action") == "terbitkan":
        if form.validate():
            with attempt(form) as done:
                doc, new = docs.issue_once(
                    DocType.SK_PENGHARGAAN,
                    submitted_idempotency_key("sk-penghargaan"),
                    unit_id=form.unit_id.data,
                    subjects=selected,
                    params={
                        "penghargaan": form.penghargaan.data,
                        "judul": form.judul.data,
                        "menimbang": form.menimbang.data,
                        "mengingat": form.mengingat.data,
                        "tembusan": form.tembusan.data,
                    },
                    issued_on=form.issued_on.data,
                    user_id=current_user.id,
                )
            if done:
                flash(f"SK {doc.number} {'diterbitkan' if new else 'sudah diterbitkan'}.", "success" if new else "info")
                return redirect(url_for("documents.show", doc_id=doc.id), 303)
        status = 422
    found = search.search_employees(q) if q else []
    return render("documents/sk_penghargaan.html", "search", form=form, q=q, found=found, selected=selected), status


@bp.post("/kartu-pegawai/<int:employee_id>")
@login_required
def kartu_pegawai(employee_id: int):
    access.require(access.is_hr(current_user))
    emp = access.get_employee_or_404(employee_id)
    units = docs.units_with_letterhead()
    unit_id = request.form.get("unit_id", type=query_int) or (units[0].id if units else None)
    with attempt() as done:
        if unit_id is None:
            raise DomainError("Kop surat belum diatur (menu Dokumen › Pengaturan).")
        doc, new = docs.issue_once(
            DocType.KARTU_PEGAWAI,
            submitted_idempotency_key(f"kartu-pegawai:{emp.id}"),
            unit_id=unit_id,
            subjects=[emp],
            params={},
            issued_on=today_wib(),
            user_id=current_user.id,
        )
    if not done:
        return render_template("documents/issue_failed.html", emp=emp, message=done.message), 422
    flash(
        f"Kartu data pegawai {doc.number} {'diterbitkan' if new else 'sudah diterbitkan'}.",
        "success" if new else "info",
    )
    return redirect(url_for("documents.show", doc_id=doc.id), 303)


# --- batch ---------------------------------------------------------------------------------------------


@bp.route("/batch", methods=["GET", "POST"])
@login_required
def batch():
    access.require(access.is_hr(current_user))
    form = BatchForm()
    _unit_choices(form.unit_id)
    _unit_choices(form.subject_unit_id)
    if request.method == "POST" and form.validate() and _issuer_ready(form):
        params = {
            "doc_type": form.doc_type.data,
            "unit_id": form.unit_id.data,
            "subject_unit_id": form.subject_unit_id.data,
            "issued_on": form.issued_on.data.isoformat(),
            "doc_params": {"penghargaan": form.penghargaan.data or ""},
            "base_url": docs.public_base_url(),
            "workers": 2,
        }
        params["batch_key"] = f"u{form.subject_unit_id.data}-{form.doc_type.data}-{params['issued_on']}"
        label = DocType(form.doc_type.data).label
        key = submitted_idempotency_key("dokumen-batch")
        with attempt(form) as started:
            job = jobs.enqueue(
                "dokumen_batch", f"Terbitkan {label} untuk unit", params, current_user.id, idempotency_key=key
            )
        if started:
            return redirect(url_for("documents.batch_status", job_id=job.id), 303)
    recent = batches.recent_batches(access.visible_jobs(current_user))
    status = 422 if request.method == "POST" else 200
    return render_template("documents/batch.html", form=form, recent=recent), status


def _issuer_ready(form: BatchForm) -> bool:
    """Kop surat, signer and register of the issuing unit, checked before the job is queued."""
    with attempt(commit=False, flash_category=None) as ready:
        docs.check_issuer(DocType(form.doc_type.data), form.unit_id.data, form.issued_on.data.year)
    if not ready:
        form.unit_id.errors = [*form.unit_id.errors, ready.message]
    return bool(ready)


@bp.get("/batch/<int:job_id>")
@login_required
def batch_status(job_id: int):
    return job_pages.show(
        job_id,
        "dokumen_batch",
        allowed=access.is_hr(current_user),
        template="documents/batch_status.html",
        block="job",
    )


@bp.post("/batch/<int:job_id>/ulang")
@login_required
def batch_rerun(job_id: int):
    """Run the same batch again (batches.rerun): nothing issued under its key is issued twice."""
    return job_pages.retry_view(
        job_id,
        "dokumen_batch",
        allowed=access.is_hr(current_user),
        page=lambda _job, i: url_for("documents.batch_status", job_id=i),
        start=batches.rerun,
    )


@bp.get("/batch/<int:job_id>/<any(pdf, zip):kind>")
@bp.get("/batch/<int:job_id>/<any(pdf):kind>/<int:part>")
@login_required
def batch_file(job_id: int, kind: str, part: int = 1):
    """The merged PDF (part `part` of a large batch) or the ZIP of single files of a finished batch."""
    access.require(access.is_hr(current_user))
    job = job_pages.get_for_page(job_id, current_user, "dokumen_batch")
    return job_pages.batch_file(job, kind, part, f"dokumen-batch-{job.id}")


# --- public verification (no login) ---------------------------------------------------------------------


def _limited() -> bool:
    with attempt():  # the hit counts even when the lookup finds nothing
        limited = verification.rate_limited(f"verif:{request.remote_addr}", current_app.config["VERIFY_RATE_LIMIT"])
    return limited


def _too_many():
    return render_template("documents/verify.html", too_many=True), 429


@public_bp.route("/verifikasi", methods=["GET", "POST"])
def verify():
    if request.method == "GET":
        code = normalize_code(request.args.get("kode", ""))
        if code:
            return redirect(url_for("verification.verify_code", kode=code), 303)
        return render_template("documents/verify.html")
    if _limited():
        return _too_many()
    upload = request.files.get("berkas")
    if not upload or not upload.filename:
        return render_template("documents/verify.html", upload_error="Pilih berkas PDF yang akan diperiksa."), 422
    doc = verification.find_by_pdf(upload.read())
    return render_template("documents/verify.html", checked=True, match=doc, filename=upload.filename)


@public_bp.get("/verifikasi/<kode>", endpoint="verify_code")
def verify_code(kode: str):
    if _limited():
        return _too_many()
    doc = verification.find_by_code(normalize_code(kode))
    if doc is None:
        return render_template("documents/verify_result.html", doc=None), 404
    return render_template("documents/verify_result.html", doc=doc)


# A reload of a form's address after a boosted POST lands on the page holding the form (web.form_targets_answer_get).
form_targets_answer_get(
    bp,
    {
        "save_letterhead": lambda: url_for("documents.settings"),
        "save_signer": lambda: url_for("documents.settings"),
        "cancel_number": lambda entry_id: url_for("documents.registers"),
        "revoke": lambda doc_id: url_for("documents.show", doc_id=doc_id),
        "kartu_pegawai": lambda employee_id: url_for("employees.show", employee_id=employee_id),
        "batch_rerun": lambda job_id: url_for("documents.batch_status", job_id=job_id),
    },
)
