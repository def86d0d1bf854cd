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
from ...services.employees import family as family_service
from ...web import attempt
from . import bp


class FamilyForm(BaseForm):
    relation = SelectField("Hubungan", choices=FamilyRelation.choices(), validators=[DataRequired("Wajib diisi.")])
    name = StringField(
        "Nama", validators=[DataRequired("Wajib diisi."), Length(max=150, message="Maksimal 150 karakter.")]
    )
    birth_date = DateField("Tanggal lahir", validators=[Optional()])
    receives_allowance = BooleanField("Tertunjang (masuk daftar gaji)", default=True)
    # PTKP per tax year (issue 20): since when the member counts, and the husband's no-income statement
    tanggungan_sejak = DateField("Tanggal menikah / menjadi tanggungan (PTKP)", validators=[Optional()])
    keterangan_tanpa_penghasilan = StringField(
        "Nomor surat keterangan kecamatan: suami tidak berpenghasilan",
        validators=[Optional(), Length(max=100, message="Maksimal 100 karakter.")],
    )


@bp.route("/<int:employee_id>/keluarga", methods=["GET", "POST"])
@login_required
def family(employee_id: int):
    emp = access.get_employee_or_404(employee_id)
    access.require(access.can_view_employee_private(current_user, emp))
    form = FamilyForm()
    if form.is_submitted():
        access.require(access.can_edit_employee(current_user, emp))
        if form.validate():
            with attempt(form) as done:
                family_service.add_member(
                    emp,
                    FamilyRelation(form.relation.data),
                    form.name.data,
                    form.birth_date.data,
                    form.receives_allowance.data,
                    form.tanggungan_sejak.data,
                    form.keterangan_tanpa_penghasilan.data,
                )
            if done:
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
    with attempt() as done:
        family_service.remove_member(member)
    if done:
        flash("Anggota keluarga dihapus.", "success")
    return redirect(url_for("employees.family", employee_id=emp.id), 303)
