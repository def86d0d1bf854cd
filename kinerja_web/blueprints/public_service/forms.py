from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...domain.public_service import CompletionUnit, HolidayKind
from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")
DATE_REQ = InputRequired("Wajib diisi.")


class ServiceForm(BaseForm):
    code = StringField("Kode layanan", validators=[REQ, Length(max=40, message="Maksimal 40 karakter.")])
    name = StringField("Nama layanan", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])


class StandardForm(BaseForm):
    valid_from = DateField("Berlaku mulai", validators=[DATE_REQ])
    completion_time = IntegerField(
        "Jangka waktu penyelesaian",
        validators=[InputRequired("Wajib diisi."), NumberRange(min=0, max=365, message="0 sampai 365.")],
    )
    completion_unit = SelectField("Satuan waktu", choices=CompletionUnit.choices(), default=CompletionUnit.WORKING_DAYS)
    cost = IntegerField(
        "Biaya (rupiah)", default=0, validators=[Optional(), NumberRange(min=0, message="Tidak boleh negatif.")]
    )
    product = StringField("Produk layanan", validators=[Optional(), Length(max=300, message="Maksimal 300 karakter.")])
    requirements = TextAreaField("Persyaratan", validators=[Optional(), Length(max=5000, message="Terlalu panjang.")])


class HolidayForm(BaseForm):
    day = DateField("Tanggal", validators=[DATE_REQ])
    name = StringField("Keterangan", validators=[REQ, Length(max=150, message="Maksimal 150 karakter.")])
    kind = SelectField("Jenis", choices=HolidayKind.choices(), default=HolidayKind.NATIONAL)


class OperatorForm(BaseForm):
    who = StringField("NIP atau nama pengguna", validators=[REQ, Length(max=40, message="Maksimal 40 karakter.")])


class ImportConfirmForm(BaseForm):
    skip_invalid = BooleanField("Lewati baris yang salah dan impor sisanya")
