"""Inovasi pages: the register, one innovation with its evidence files, HR's review, and an award proposal with
the innovation as its reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import access
from ...domain.public_feedback import InnovationStatus
from ...extensions import db
from ...models import Employee, Innovation, InnovationFile, Unit
from ...services.awards import proposals as awards
from ...services.innovations import register as innovations
from ...services.skm import surveys as survey_units
from ...timeutil import today_wib
from ...uploads import send_upload
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import AwardForm, FileForm, InnovationForm, ReviewForm


@bp.get("/")
@login_required
def index():
    access.require(access.can_submit_innovation(current_user))
    rows = innovations.listing(access.visible_innovations(current_user))
    return render_template("innovations/index.html", rows=rows)


def _unit_choices() -> list[Unit]:
    scope = access.operated_unit_ids(current_user)
    units = [u for u in survey_units.service_units() if scope is None or u.id in scope]
    own = current_user.employee.unit if current_user.employee is not None else None
    if own is not None and own not in units:
        units.insert(0, own)
    return units


def _form(form: InnovationForm | None = None, inv: Innovation | None = None) -> InnovationForm:
    if form is None:
        if inv is not None:
            form = InnovationForm(formdata=None, obj=inv, employee_nip=inv.employee.nip if inv.employee else "")
        else:
            own = current_user.employee
            form = InnovationForm(
                formdata=None,
                unit_id=own.unit_id if own else None,
                employee_nip=own.nip if own else "",
                started_on=today_wib(),
            )
    form.unit_id.choices = [(u.id, u.name) for u in _unit_choices()]
    return form


def _input(form: InnovationForm) -> innovations.InnovationInput | None:
    unit = db.session.get(Unit, form.unit_id.data)
    if unit is None:
        abort(404)
    nip = (form.employee_nip.data or "").strip()
    employee = db.session.scalar(select(Employee).where(Employee.nip == nip)) if nip else None
    if nip and employee is None:
        form.add_error("employee_nip", "Pegawai dengan NIP ini tidak ditemukan.")
        return None
    if not access.can_submit_for_unit(current_user, unit):
        # an employee records their own innovation, in their own unit
        if employee is None or not access.is_self(current_user, employee) or employee.unit_id != unit.id:
            form.add_error("employee_nip", "Anda hanya dapat mencatat inovasi Anda sendiri di unit Anda.")
            return None
    return innovations.InnovationInput(
        unit=unit,
        employee=employee,
        title=form.title.data,
        started_on=form.started_on.data,
        problem=form.problem.data,
        change=form.change.data,
        effect=form.effect.data,
    )


@bp.route("/baru", methods=["GET", "POST"])
@login_required
def new():
    access.require(access.can_submit_innovation(current_user))
    if request.method == "GET":
        return render_template("innovations/form.html", form=_form(), inv=None)
    form = _form(InnovationForm())
    data = _input(form) if form.validate() else None
    if data is None:
        return render_template("innovations/form.html", form=form, inv=None), 422
    with attempt(form) as done:
        inv = innovations.submit(data, current_user, today_wib())
    if not done:
        return render_template("innovations/form.html", form=form, inv=None), 422
    flash("Inovasi dicatat dan menunggu tinjauan BKPSDM. Lampirkan berkas buktinya.", "success")
    return redirect(url_for("innovations.show", innovation_id=inv.id), 303)


def _visible_or_404(innovation_id: int) -> Innovation:
    inv = db.session.get(Innovation, innovation_id)
    if inv is None or not access.can_view_innovation(current_user, inv):
        abort(404)
    return inv


def _show(inv: Innovation, status: int = 200, **forms):
    award_form = forms.get("award_form") or AwardForm(formdata=None)
    award_form.period_id.choices = [(p.id, str(p.year)) for p in awards.periods()]
    return render_template(
        "innovations/show.html",
        inv=inv,
        file_form=forms.get("file_form") or FileForm(formdata=None),
        review_form=forms.get("review_form") or ReviewForm(formdata=None),
        award_form=award_form,
        Status=InnovationStatus,
    ), status


@bp.get("/<int:innovation_id>")
@login_required
def show(innovation_id: int):
    return _show(_visible_or_404(innovation_id))


@bp.route("/<int:innovation_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(innovation_id: int):
    inv = _visible_or_404(innovation_id)
    access.require(access.can_edit_innovation(current_user, inv))
    if request.method == "GET":
        return render_template("innovations/form.html", form=_form(inv=inv), inv=inv)
    form = _form(InnovationForm())
    data = _input(form) if form.validate() else None
    if data is None:
        return render_template("innovations/form.html", form=form, inv=inv), 422
    with attempt(form) as done:
        innovations.update(inv, data, today_wib())
    if not done:
        return render_template("innovations/form.html", form=form, inv=inv), 422
    flash("Inovasi diperbarui.", "success")
    return redirect(url_for("innovations.show", innovation_id=inv.id), 303)


def _act(inv: Innovation, form, key: str, action, message):
    """Validate, run the action in one unit of work, and answer: back to the innovation with `message()`, or the
    innovation page with the form's messages (422)."""
    if form.validate():
        with attempt(form) as done:
            action()
        if done:
            flash(message(), "success")
            return redirect(url_for("innovations.show", innovation_id=inv.id), 303)
    return _show(inv, 422, **{key: form})


@bp.post("/<int:innovation_id>/berkas")
@login_required
def upload(innovation_id: int):
    inv = _visible_or_404(innovation_id)
    access.require(access.can_edit_innovation(current_user, inv))
    form = FileForm()
    return _act(
        inv,
        form,
        "file_form",
        lambda: innovations.add_file(inv, form.berkas.data.filename, form.berkas.data.read()),
        lambda: "Berkas bukti ditambahkan.",
    )


@bp.get("/<int:innovation_id>/berkas/<int:file_id>")
@login_required
def download(innovation_id: int, file_id: int):
    inv = _visible_or_404(innovation_id)
    f = db.session.get(InnovationFile, file_id)
    if f is None or f.innovation_id != inv.id:
        abort(404)
    return send_upload(f.data, f.mime, f.filename)


@bp.post("/<int:innovation_id>/tinjau")
@login_required
def review(innovation_id: int):
    inv = _visible_or_404(innovation_id)
    access.require(access.can_review_innovation(current_user, inv))
    form = ReviewForm()
    return _act(
        inv,
        form,
        "review_form",
        lambda: innovations.review(inv, form.decision.data == "terima", form.note.data, current_user),
        lambda: f"Inovasi {inv.status.label.lower()}.",
    )


@bp.post("/<int:innovation_id>/usul-penghargaan")
@login_required
def propose_award(innovation_id: int):
    inv = _visible_or_404(innovation_id)
    access.require(access.can_propose_award_for_innovation(current_user, inv))
    form = AwardForm()
    form.period_id.choices = [(p.id, str(p.year)) for p in awards.periods()]
    if not form.validate():
        return _show(inv, 422, award_form=form)
    period = next(p for p in awards.periods() if p.id == form.period_id.data)
    with attempt(form) as done:
        proposal, created = innovations.propose_award(inv, period, current_user, form.note.data)
    if not done:
        return _show(inv, 422, award_form=form)
    if created:
        flash(f"{inv.employee.name} diusulkan menerima penghargaan dengan alasan inovasi ini.", "success")
    else:
        flash(f"{inv.employee.name} sudah diusulkan untuk periode {period.year} ({proposal.status.label}).", "info")
    return redirect(url_for("innovations.show", innovation_id=inv.id), 303)


form_targets_answer_get(
    bp,
    {
        "upload": lambda innovation_id: url_for("innovations.show", innovation_id=innovation_id),
        "review": lambda innovation_id: url_for("innovations.show", innovation_id=innovation_id),
        "propose_award": lambda innovation_id: url_for("innovations.show", innovation_id=innovation_id),
    },
)
