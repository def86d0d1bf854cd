from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")
LONG = Length(max=5000, message="Maksimal 5000 karakter.")


class InnovationForm(BaseForm):
    unit_id = SelectField("Unit", coerce=int, validators=[REQ])
    employee_nip = StringField(
        "NIP pegawai penggagas (kosongkan untuk inovasi unit)", validators=[Optional(), Length(max=18)]
    )
    title = StringField("Judul inovasi", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])
    started_on = DateField("Tanggal mulai diterapkan", validators=[InputRequired("Wajib diisi.")])
    problem = TextAreaField("Masalah yang diatasi", validators=[REQ, LONG])
    change = TextAreaField("Perubahan yang dilakukan", validators=[REQ, LONG])
    effect = TextAreaField("Dampak terukur (angka sebelum dan sesudah)", validators=[REQ, LONG])


class FileForm(BaseForm):
    berkas = FileField("Berkas bukti (PDF, PNG, JPEG, DOCX, XLSX)", validators=[FileRequired("Pilih berkas bukti.")])


class ReviewForm(BaseForm):
    decision = RadioField(
        "Keputusan",
        choices=[("terima", "Terima sebagai bukti"), ("kembalikan", "Kembalikan untuk dilengkapi")],
        validators=[DataRequired("Pilih keputusan.")],
    )
    note = TextAreaField("Catatan", validators=[Optional(), LONG])


class AwardForm(BaseForm):
    period_id = SelectField("Periode penghargaan", coerce=int, validators=[REQ])
    note = TextAreaField("Catatan tambahan", validators=[Optional(), Length(max=1000)])
