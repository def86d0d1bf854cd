from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")
DATE_REQ = InputRequired("Wajib diisi.")


class PeriodForm(BaseForm):
    unit_id = SelectField("Unit layanan", coerce=int, validators=[REQ])
    name = StringField("Nama periode", validators=[REQ, Length(max=80, message="Maksimal 80 karakter.")])
    start_date = DateField("Tanggal mulai", validators=[DATE_REQ])
    end_date = DateField("Tanggal selesai", validators=[DATE_REQ])
    population = IntegerField(
        "Jumlah pengguna layanan pada periode (populasi)",
        validators=[Optional(), NumberRange(min=0, message="Tidak boleh negatif.")],
    )


class PaperForm(BaseForm):
    lines = TextAreaField(
        "Jawaban kuesioner kertas (satu baris per kuesioner, 9 angka 1–4 untuk U1–U9)", validators=[REQ]
    )


class ImportForm(BaseForm):
    berkas = FileField("Berkas XLSX", validators=[FileRequired("Pilih berkas XLSX untuk diunggah.")])


class ReportForm(BaseForm):
    issued_on = DateField("Tanggal laporan", validators=[DATE_REQ])
