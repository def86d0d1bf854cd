from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")
DATE_REQ = InputRequired("Wajib diisi.")  # a mistyped date then gets "Tanggal tidak sah", not "Wajib diisi"


class ProposeForm(BaseForm):
    note = TextAreaField(
        "Alasan tambahan dari atasan", validators=[Optional(), Length(max=1000, message="Maksimal 1000 karakter.")]
    )


class DecisionForm(BaseForm):
    reason = TextAreaField("Alasan", validators=[Optional(), Length(max=1000, message="Maksimal 1000 karakter.")])


class IssueForm(BaseForm):
    unit_id = SelectField("Unit penerbit (kop surat)", coerce=int, validators=[REQ])
    award_name = StringField(
        "Nama penghargaan",
        default="Pegawai Berprestasi",
        validators=[REQ, Length(max=150, message="Maksimal 150 karakter.")],
    )
    issued_on = DateField("Tanggal ditetapkan", validators=[DATE_REQ])
    mode = RadioField(
        "Bentuk SK",
        choices=[("lampiran", "Satu SK dengan lampiran daftar penerima"), ("per_orang", "Satu SK per pegawai")],
        default="lampiran",
        validators=[DataRequired("Pilih bentuk SK.")],
    )
