"""HR screens that fix the organisation data: posts, units and (acting) appointments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import access
from ...domain import DomainError
from ...extensions import db
from ...models import Position, PositionAssignment, Unit, UnitKind
from ...services.org import operations
from ...services.skp import reroute_submitted
from ...timeutil import today_wib
from . import bp
from .forms import AssignmentForm, EndAssignmentForm, PositionForm, UnitForm


def _get(model, record_id: int):
    obj = db.session.get(model, record_id)
    if obj is None:
        abort(404)
    return obj


def _parent_choices(form: PositionForm, unit: Unit, exclude_id: int | None) -> None:
    """Candidate atasan posts: leaders in the same OPD, heads of OPDs and the Pemda's top posts."""
    opd = unit.opd
    same_opd_units = [u.id for u in _subtree(opd)]
    rows = db.session.execute(
        select(Position.id, Position.name, Unit.name)
        .join(Unit, Unit.id == Position.unit_id)
        .where(
            (Position.unit_id.in_(same_opd_units) & Position.is_leader.is_(True))
            | (Unit.kind.in_([UnitKind.OPD, UnitKind.PEMDA]) & Position.is_leader.is_(True))
        )
        .order_by(Unit.name, Position.kelas_jabatan.desc())
    ).all()
    current = form.parent_id.data
    choices = [(None, "– tanpa atasan (jabatan tertinggi) –")]
    choices += [(pid, f"{pname} — {uname}") for pid, pname, uname in rows if pid != exclude_id]
    if current and current not in {c[0] for c in choices}:
        p = db.session.get(Position, current)
        if p:
            choices.append((p.id, f"{p.name} — {p.unit.name}"))
    form.parent_id.choices = choices


def _subtree(root: Unit) -> list[Unit]:
    out, frontier = [root], [root]
    while frontier:
        frontier = [c for u in frontier for c in u.children]
        out.extend(frontier)
    return out


def _position_form_page(form: PositionForm, unit: Unit, position: Position | None, status: int = 200):
    return render_template("org/position_form.html", form=form, unit=unit, position=position), status


@bp.route("/unit/<int:unit_id>/jabatan-baru", methods=["GET", "POST"])
@login_required
def position_new(unit_id: int):
    unit = _get(Unit, unit_id)
    access.require(access.is_hr(current_user))
    form = PositionForm()
    _parent_choices(form, unit, None)
    if form.validate_on_submit():
        position = Position(unit=unit)
        try:
            operations.save_position(position, {**form.data, "unit_id": unit.id})
            db.session.add(position)
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            flash("Jabatan baru tersimpan.", "success")
            return redirect(url_for("org.unit", unit_id=unit.id), 303)
    return _position_form_page(form, unit, None, 422 if form.errors or form.form_errors else 200)


@bp.route("/jabatan/<int:position_id>", methods=["GET", "POST"])
@login_required
def position_edit(position_id: int):
    position = _get(Position, position_id)
    access.require(access.is_hr(current_user))
    form = PositionForm(obj=position)
    _parent_choices(form, position.unit, position.id)
    if form.validate_on_submit():
        try:
            operations.save_position(
                position,
                {
                    **form.data,
                    "unit_id": position.unit_id,
                    "is_leader_of_opd": position.is_leader and position.unit.kind == UnitKind.OPD,
                },
            )
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            flash("Jabatan tersimpan.", "success")
            return redirect(url_for("org.position_edit", position_id=position.id), 303)
    return _position_form_page(form, position.unit, position, 422 if form.errors or form.form_errors else 200)


@bp.post("/jabatan/<int:position_id>/penugasan")
@login_required
def assignment_add(position_id: int):
    position = _get(Position, position_id)
    access.require(access.is_hr(current_user))
    form = AssignmentForm()
    if form.validate_on_submit():
        try:
            operations.add_assignment(position, form.data)
            reroute_submitted(today_wib())  # SKP awaiting a decision follow the new pejabat penilai at once
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            form.add_error(e.field, e.message)
        else:
            flash("Penugasan tersimpan.", "success")
            return redirect(url_for("org.position_edit", position_id=position.id), 303)
    pform = PositionForm(obj=position)
    _parent_choices(pform, position.unit, position.id)
    return render_template(
        "org/position_form.html", form=pform, unit=position.unit, position=position, assignment_form=form
    ), 422


@bp.post("/penugasan/<int:assignment_id>/akhiri")
@login_required
def assignment_end(assignment_id: int):
    row = _get(PositionAssignment, assignment_id)
    access.require(access.is_hr(current_user))
    form = EndAssignmentForm()
    if form.validate_on_submit():
        try:
            operations.end_assignment(row, form.end_date.data)
            reroute_submitted(today_wib())
            db.session.commit()
            flash("Penugasan diakhiri.", "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "error")
    else:
        flash("Tanggal berakhir wajib diisi (TTTT-BB-HH).", "error")
    return redirect(url_for("org.position_edit", position_id=row.position_id), 303)


@bp.route("/unit/<int:unit_id>/sub-unit-baru", methods=["GET", "POST"])
@login_required
def unit_new(unit_id: int):
    parent = _get(Unit, unit_id)
    access.require(access.is_hr(current_user))
    form = UnitForm()
    if form.validate_on_submit():
        if db.session.scalar(select(Unit.id).where(Unit.code == form.code.data.strip())):
            form.add_error("code", "Kode unit sudah dipakai.")
        else:
            unit = Unit(
                parent=parent,
                code=form.code.data.strip(),
                name=form.name.data.strip(),
                kind=UnitKind(form.kind.data),
                address=form.address.data or None,
            )
            db.session.add(unit)
            db.session.commit()
            flash("Unit baru tersimpan.", "success")
            return redirect(url_for("org.unit", unit_id=unit.id), 303)
    return render_template("org/unit_form.html", form=form, parent=parent), 422 if form.errors else 200


def assignments_of(position: Position) -> list[PositionAssignment]:
    return list(
        db.session.scalars(
            select(PositionAssignment)
            .where(PositionAssignment.position_id == position.id)
            .order_by(PositionAssignment.start_date.desc())
        )
    )


@bp.app_context_processor
def _org_edit_helpers():
    return {"assignments_of": assignments_of, "today": today_wib()}
