from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...domain.public_feedback import ComplaintCause, ComplaintChannel, Verdict
from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")
DATE_REQ = InputRequired("Wajib diisi.")
LONG = Length(max=5000, message="Maksimal 5000 karakter.")


class ComplaintForm(BaseForm):
    unit_id = SelectField("Unit layanan", coerce=int, validators=[REQ])
    channel = SelectField("Saluran", choices=ComplaintChannel.choices(), validators=[REQ])
    cause = SelectField("Pokok pengaduan", choices=ComplaintCause.choices(), validators=[REQ])
    service_name = StringField("Layanan", validators=[Optional(), Length(max=150, message="Maksimal 150 karakter.")])
    officer_nip = StringField(
        "NIP petugas yang disebut (bila ada)", validators=[Optional(), Length(max=18, message="NIP 18 digit.")]
    )
    received_on = DateField("Tanggal diterima", validators=[DATE_REQ])
    reference = StringField("Nomor rujukan (mis. nomor tiket SP4N-LAPOR!)", validators=[Optional(), Length(max=60)])
    text = TextAreaField("Isi pengaduan", validators=[REQ, LONG])


class VerifyForm(BaseForm):
    verdict = RadioField(
        "Hasil verifikasi", choices=Verdict.choices(), validators=[DataRequired("Pilih hasil verifikasi.")]
    )
    reason = TextAreaField("Alasan", validators=[REQ, LONG])


class StepForm(BaseForm):
    text = TextAreaField("Uraian", validators=[REQ, LONG])


class DeadlineForm(BaseForm):
    terdaftar = IntegerField(
        "Verifikasi (hari kerja sejak diterima)",
        validators=[InputRequired("Wajib diisi."), NumberRange(1, 60, "1–60 hari kerja.")],
    )
    diverifikasi = IntegerField(
        "Tindak lanjut (hari kerja sejak diverifikasi)",
        validators=[InputRequired("Wajib diisi."), NumberRange(1, 60, "1–60 hari kerja.")],
    )
    ditindaklanjuti = IntegerField(
        "Penyelesaian (hari kerja sejak ditindaklanjuti)",
        validators=[InputRequired("Wajib diisi."), NumberRange(1, 60, "1–60 hari kerja.")],
    )
