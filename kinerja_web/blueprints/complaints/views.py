"""Pengaduan pages: the register (unit operator, HR), one complaint with its history and the step forms, the
named officer's written response, and HR's deadlines per step."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import access
from ...domain.public_feedback import ComplaintCause, ComplaintChannel, ComplaintStatus, Verdict
from ...extensions import db
from ...models import Complaint, Employee, Unit
from ...services.complaints import register as complaints
from ...services.skm import surveys as survey_units
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import ComplaintForm, DeadlineForm, StepForm, VerifyForm


def _status_arg() -> ComplaintStatus | None:
    raw = request.args.get("status", "")
    return ComplaintStatus(raw) if raw in ComplaintStatus._value2member_map_ else None


@bp.get("/")
@login_required
def index():
    status = _status_arg()
    rows = complaints.listing(access.visible_complaints(current_user), status)
    return render_template("complaints/index.html", rows=rows, status=status, statuses=ComplaintStatus.choices())


def _form(form: ComplaintForm | None = None, complaint: Complaint | None = None) -> ComplaintForm:
    if form is None:
        if complaint is None:
            form = ComplaintForm(formdata=None, received_on=today_wib())
        else:
            form = ComplaintForm(
                formdata=None,
                obj=complaint,
                officer_nip=complaint.employee.nip if complaint.employee else "",
                channel=complaint.channel.value,
                cause=complaint.cause.value,
            )
    scope = access.operated_unit_ids(current_user)
    form.unit_id.choices = [(u.id, u.name) for u in survey_units.service_units() if scope is None or u.id in scope]
    return form


def _input(form: ComplaintForm) -> complaints.ComplaintInput | None:
    unit = db.session.get(Unit, form.unit_id.data)
    if unit is None or not access.can_operate_unit(current_user, unit.id):
        abort(403)
    employee = None
    nip = (form.officer_nip.data or "").strip()
    if nip:
        employee = db.session.scalar(select(Employee).where(Employee.nip == nip))
        if employee is None:
            form.add_error(
                "officer_nip", "Pegawai dengan NIP ini tidak ditemukan. Kosongkan bila petugas tidak disebut."
            )
            return None
    return complaints.ComplaintInput(
        unit=unit,
        channel=ComplaintChannel(form.channel.data),
        cause=ComplaintCause(form.cause.data),
        text=form.text.data,
        received_on=form.received_on.data,
        service_name=form.service_name.data,
        employee=employee,
        reference=form.reference.data,
    )


@bp.route("/baru", methods=["GET", "POST"])
@login_required
def new():
    access.require(access.can_register_complaint(current_user))
    if request.method == "GET":
        return render_template("complaints/form.html", form=_form(), complaint=None)
    form = _form(ComplaintForm())
    data = _input(form) if form.validate() else None
    if data is None:
        return render_template("complaints/form.html", form=form, complaint=None), 422
    with attempt(form) as done:
        c = complaints.register(data, current_user, today_wib())
    if not done:
        return render_template("complaints/form.html", form=form, complaint=None), 422
    flash(f"Pengaduan #{c.id} didaftarkan.", "success")
    return redirect(url_for("complaints.show", complaint_id=c.id), 303)


def _visible_or_404(complaint_id: int) -> Complaint:
    c = db.session.get(Complaint, complaint_id)
    if c is None or not access.can_view_complaint(current_user, c):
        abort(404)
    return c


def _show(c: Complaint, status: int = 200, **forms):
    return render_template(
        "complaints/show.html",
        c=c,
        verify_form=forms.get("verify_form") or VerifyForm(formdata=None),
        step_form=forms.get("step_form") or StepForm(formdata=None),
        respond_form=forms.get("respond_form") or StepForm(formdata=None),
        step_error=forms.get("step_error"),
        Status=ComplaintStatus,
        Verdict=Verdict,
    ), status


@bp.get("/<int:complaint_id>")
@login_required
def show(complaint_id: int):
    return _show(_visible_or_404(complaint_id))


@bp.route("/<int:complaint_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(complaint_id: int):
    c = _visible_or_404(complaint_id)
    access.require(access.can_edit_complaint(current_user, c))
    if request.method == "GET":
        return render_template("complaints/form.html", form=_form(complaint=c), complaint=c)
    form = _form(ComplaintForm())
    data = _input(form) if form.validate() else None
    if data is None:
        return render_template("complaints/form.html", form=form, complaint=c), 422
    with attempt(form) as done:
        complaints.update_registered(c, data, current_user, today_wib())
    if not done:
        return render_template("complaints/form.html", form=form, complaint=c), 422
    flash("Data pengaduan diperbarui.", "success")
    return redirect(url_for("complaints.show", complaint_id=c.id), 303)


def _act(c: Complaint, form, key: str, action, message):
    """Validate the step's form, run the action in one unit of work, and answer: back to the complaint with
    `message()` on success, the complaint page with the form's messages (422) otherwise."""
    if form.validate():
        with attempt(form) as done:
            action()
        if done:
            flash(message(), "success")
            return redirect(url_for("complaints.show", complaint_id=c.id), 303)
    return _show(c, 422, **{key: form})


@bp.post("/<int:complaint_id>/verifikasi")
@login_required
def verify(complaint_id: int):
    c = _visible_or_404(complaint_id)
    access.require(access.can_process_complaint(current_user, c))
    form = VerifyForm()
    return _act(
        c,
        form,
        "verify_form",
        lambda: complaints.verify(c, Verdict(form.verdict.data), form.reason.data, current_user, today_wib()),
        lambda: f"Pengaduan #{c.id} diverifikasi: {c.verdict.label}.",
    )


@bp.post("/<int:complaint_id>/<any('tindak-lanjut', selesai):aksi>")
@login_required
def step(complaint_id: int, aksi: str):
    c = _visible_or_404(complaint_id)
    access.require(access.can_process_complaint(current_user, c))
    form = StepForm()
    action = complaints.follow_up if aksi == "tindak-lanjut" else complaints.close
    return _act(
        c,
        form,
        "step_form",
        lambda: action(c, form.text.data, current_user, today_wib()),
        lambda: f"Pengaduan #{c.id}: {c.status.label}.",
    )


@bp.post("/<int:complaint_id>/tanggapan")
@login_required
def respond(complaint_id: int):
    c = _visible_or_404(complaint_id)
    access.require(access.can_respond_complaint(current_user, c))
    form = StepForm()
    return _act(
        c,
        form,
        "respond_form",
        lambda: complaints.respond(c, current_user.employee, form.text.data),
        lambda: "Tanggapan Anda disimpan.",
    )


@bp.route("/tenggat", methods=["GET", "POST"])
@login_required
def deadlines():
    access.require(access.can_configure_complaint_deadlines(current_user))
    if request.method == "GET":
        current = complaints.step_days()
        form = DeadlineForm(formdata=None, **{s.value: d for s, d in current.items()})
        return render_template("complaints/deadlines.html", form=form)
    form = DeadlineForm()
    if not form.validate():
        return render_template("complaints/deadlines.html", form=form), 422
    with attempt(form) as done:
        complaints.save_step_days({s: form[s.value].data for s in complaints.step_days()})
    if not done:
        return render_template("complaints/deadlines.html", form=form), 422
    flash("Tenggat tiap langkah disimpan.", "success")
    return redirect(url_for("complaints.deadlines"), 303)


form_targets_answer_get(
    bp,
    {
        "verify": lambda complaint_id: url_for("complaints.show", complaint_id=complaint_id),
        "step": lambda complaint_id, aksi: url_for("complaints.show", complaint_id=complaint_id),
        "respond": lambda complaint_id: url_for("complaints.show", complaint_id=complaint_id),
    },
)
