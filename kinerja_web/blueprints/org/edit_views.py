"""HR screens that fix the organisation data: posts, units and (acting) appointments."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...models import Position, PositionAssignment, Unit, UnitKind
from ...services.org import operations, units
from ...services.skp.rerouting import reroute_submitted
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import AssignmentForm, EndAssignmentForm, PositionForm, UnitForm


def _parent_choices(form: PositionForm, unit: Unit, exclude_id: int | None) -> None:
    """Candidate atasan posts: leaders in the same OPD, heads of OPDs and the Pemda's top posts."""
    current = form.parent_id.data
    choices = [(None, "– tanpa atasan (jabatan tertinggi) –")]
    choices += [(pid, f"{pname} — {uname}") for pid, pname, uname in units.atasan_candidates(unit, exclude_id)]
    if current and current not in {c[0] for c in choices}:
        p = db.session.get(Position, current)
        if p:
            choices.append((p.id, f"{p.name} — {p.unit.name}"))
    form.parent_id.choices = choices


def _position_form_page(form: PositionForm, unit: Unit, position: Position | None, status: int = 200, **extra):
    return render_template("org/position_form.html", form=form, unit=unit, position=position, **extra), status


def _change_assignments(form, change: Callable[[], object]):
    """Change who holds a post, in one unit of work: SKP awaiting a decision follow the new pejabat penilai at
    once. The outcome of `web.attempt` (messages on `form`, or flashed without one)."""
    with attempt(form) as done:
        change()
        reroute_submitted(today_wib())
    return done


@bp.route("/unit/<int:unit_id>/jabatan-baru", methods=["GET", "POST"])
@login_required
def position_new(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    access.require(access.is_hr(current_user))
    form = PositionForm()
    _parent_choices(form, unit, None)
    if form.validate_on_submit():
        with attempt(form) as done:
            position = Position(unit=unit)
            operations.save_position(position, {**form.data, "unit_id": unit.id})
            db.session.add(position)
        if done:
            flash("Jabatan baru tersimpan.", "success")
            return redirect(url_for("org.unit", unit_id=unit.id), 303)
    return _position_form_page(form, unit, None, 422 if form.errors or form.form_errors else 200)


@bp.route("/jabatan/<int:position_id>", methods=["GET", "POST"])
@login_required
def position_edit(position_id: int):
    position = db.get_or_404(Position, position_id)
    access.require(access.is_hr(current_user))
    form = PositionForm(obj=position)
    _parent_choices(form, position.unit, position.id)
    if form.validate_on_submit():
        with attempt(form) as done:
            operations.save_position(
                position,
                {
                    **form.data,
                    "unit_id": position.unit_id,
                    "is_leader_of_opd": position.is_leader and position.unit.kind == UnitKind.OPD,
                },
            )
        if done:
            flash("Jabatan tersimpan.", "success")
            return redirect(url_for("org.position_edit", position_id=position.id), 303)
    return _position_form_page(form, position.unit, position, 422 if form.errors or form.form_errors else 200)


@bp.post("/jabatan/<int:position_id>/penugasan")
@login_required
def assignment_add(position_id: int):
    position = db.get_or_404(Position, position_id)
    access.require(access.is_hr(current_user))
    form = AssignmentForm()
    if form.validate_on_submit():
        if _change_assignments(form, lambda: operations.add_assignment(position, form.data)):
            flash("Penugasan tersimpan.", "success")
            return redirect(url_for("org.position_edit", position_id=position.id), 303)
    pform = PositionForm(formdata=None, obj=position)  # the post as stored: the request holds the assignment
    _parent_choices(pform, position.unit, position.id)
    return _position_form_page(pform, position.unit, position, 422, assignment_form=form)


@bp.post("/penugasan/<int:assignment_id>/akhiri")
@login_required
def assignment_end(assignment_id: int):
    row = db.get_or_404(PositionAssignment, assignment_id)
    access.require(access.is_hr(current_user))
    form = EndAssignmentForm()
    if form.validate_on_submit():
        if _change_assignments(None, lambda: operations.end_assignment(row, form.end_date.data)):
            flash("Penugasan diakhiri.", "success")
    else:
        flash("Tanggal berakhir wajib diisi (TTTT-BB-HH).", "error")
    return redirect(url_for("org.position_edit", position_id=row.position_id), 303)


def _assignment_end_page(assignment_id: int) -> str:
    """The "akhiri" form's target reloaded: the post's page, where the form is."""
    access.require(access.is_hr(current_user))
    row = db.get_or_404(PositionAssignment, assignment_id)
    return url_for("org.position_edit", position_id=row.position_id)


form_targets_answer_get(
    bp,
    {
        "assignment_add": lambda position_id: url_for("org.position_edit", position_id=position_id),
        "assignment_end": _assignment_end_page,
    },
)


@bp.route("/unit/<int:unit_id>/sub-unit-baru", methods=["GET", "POST"])
@login_required
def unit_new(unit_id: int):
    parent = db.get_or_404(Unit, unit_id)
    access.require(access.is_hr(current_user))
    form = UnitForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            unit = operations.create_unit(parent, form.data)
        if done:
            flash("Unit baru tersimpan.", "success")
            return redirect(url_for("org.unit", unit_id=unit.id), 303)
    return render_template("org/unit_form.html", form=form, parent=parent), 422 if form.errors else 200


@bp.app_context_processor
def _org_edit_helpers():
    return {"assignments_of": units.assignments_of, "today": today_wib()}
