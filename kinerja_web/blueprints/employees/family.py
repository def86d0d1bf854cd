"""Family members (spouse, children) of an employee: they drive tunjangan keluarga and PTKP."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ... import access
from ...extensions import db
from ...forms import BaseForm
from ...models import FamilyMember, FamilyRelation
from . import bp


class FamilyForm(BaseForm):
    relation = SelectField("Hubungan", choices=FamilyRelation.choices(), validators=[DataRequired("Wajib diisi.")])
    name = StringField(
        "Nama", validators=[DataRequired("Wajib diisi."), Length(max=150, message="Maksimal 150 karakter.")]
    )
    birth_date = DateField("Tanggal lahir", validators=[Optional()])
    receives_allowance = BooleanField("Tertunjang (masuk daftar gaji)", default=True)


def _spouse_rule_error(employee, relation: FamilyRelation) -> str | None:
    """PP 7/1977 Pasal 16: tunjangan for one spouse only; a second spouse cannot be tertunjang."""
    if relation == FamilyRelation.ANAK:
        return None
    if any(f.relation != FamilyRelation.ANAK and f.receives_allowance for f in employee.family):
        return "Sudah ada suami/istri yang tertunjang; tunjangan hanya untuk satu suami/istri (PP 7/1977 Pasal 16)."
    return None


@bp.route("/<int:employee_id>/keluarga", methods=["GET", "POST"])
@login_required
def family(employee_id: int):
    emp = access.get_employee_or_404(employee_id)
    access.require(access.can_view_employee_private(current_user, emp))
    form = FamilyForm()
    if form.is_submitted():
        access.require(access.can_edit_employee(current_user, emp))
        if form.validate():
            relation = FamilyRelation(form.relation.data)
            error = _spouse_rule_error(emp, relation) if form.receives_allowance.data else None
            if error:
                form.add_error("receives_allowance", error)
            elif form.birth_date.data and form.birth_date.data < emp.birth_date and relation == FamilyRelation.ANAK:
                form.add_error("birth_date", "Tanggal lahir anak tidak mungkin sebelum tanggal lahir pegawai.")
            else:
                emp.family.append(
                    FamilyMember(
                        relation=relation,
                        name=form.name.data.strip(),
                        birth_date=form.birth_date.data,
                        receives_allowance=form.receives_allowance.data,
                    )
                )
                db.session.commit()
                flash("Anggota keluarga tersimpan.", "success")
                return redirect(url_for("employees.family", employee_id=emp.id), 303)
    status = 422 if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template("employees/family.html", emp=emp, form=form), status


@bp.post("/<int:employee_id>/keluarga/<int:member_id>/hapus")
@login_required
def family_delete(employee_id: int, member_id: int):
    emp = access.get_employee_or_404(employee_id)
    access.require(access.can_edit_employee(current_user, emp))
    member = db.session.get(FamilyMember, member_id)
    if member is None or member.employee_id != emp.id:
        abort(404)
    db.session.delete(member)
    db.session.commit()
    flash("Anggota keluarga dihapus.", "success")
    return redirect(url_for("employees.family", employee_id=emp.id), 303)
