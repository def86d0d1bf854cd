"""Payroll forms: the pagu anggaran TPP of an OPD."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ...domain import DomainError
from ...domain.payroll.analysis import parse_rupiah
from ...forms import BaseForm

# --------------------------------------------------------------------------------------------- forms


class TppBudgetForm(BaseForm):
    opd_id = SelectField("OPD", coerce=int, validators=[DataRequired("Pilih OPD.")])
    year = IntegerField(
        "Tahun anggaran",
        validators=[DataRequired("Tahun wajib diisi."), NumberRange(2000, 2100, "Tahun 2000–2100.")],
    )
    amount = StringField("Pagu anggaran TPP (Rp)", validators=[DataRequired("Pagu wajib diisi.")])
    note = TextAreaField("Dasar (DPA/APBD)", validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")])

    def validate_amount(self, field) -> None:
        try:
            self.rupiah = parse_rupiah(field.data)
        except DomainError as e:
            raise ValidationError(e.message) from e
