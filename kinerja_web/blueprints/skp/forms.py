from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...domain.skp import Aspek, Frequency, RhkKategori, SkpJenis
from ...forms import BaseForm, int_or_none

REQ = "Wajib diisi."


def _row_text(label: str, required: str) -> TextAreaField:
    """The text of one RHK or IKI row: required, at most 1000 characters, a two-line box that grows as typed."""
    return TextAreaField(
        label,
        validators=[DataRequired(required), Length(max=1000, message="Maksimal 1000 karakter.")],
        render_kw={"rows": 2},
    )


class CreateSkpForm(BaseForm):
    period_id = SelectField("Periode", coerce=int_or_none, validators=[DataRequired("Pilih periode.")])
    jenis = SelectField("Jenis SKP", choices=SkpJenis.choices(), validators=[DataRequired(REQ)])
    source = SelectField(
        "Mulai dari",
        choices=[("kosong", "SKP kosong"), ("lalu", "SKP tahun lalu"), ("template", "Templat RHK jabatan (BKPSDM)")],
        default="kosong",
    )


class RhkForm(BaseForm):
    kategori = SelectField("Kategori", choices=RhkKategori.choices(), default=RhkKategori.UTAMA.value)
    uraian = _row_text("Rencana hasil kerja", "Uraian RHK wajib diisi.")
    parent_rhk_id = SelectField("RHK atasan yang diintervensi", coerce=int_or_none, validators=[Optional()])
    lock_version = HiddenField()


class IndikatorForm(BaseForm):
    aspek = SelectField("Aspek", choices=Aspek.choices(), default=Aspek.KUANTITAS.value)
    indikator = _row_text("Indikator kinerja individu", "Indikator wajib diisi.")
    target = StringField("Target", validators=[DataRequired("Target wajib diisi."), Length(max=300)])
    satuan = StringField("Satuan", validators=[Optional(), Length(max=60, message="Maksimal 60 karakter.")])


class LampiranForm(BaseForm):
    dukungan_sumber_daya = TextAreaField("Dukungan sumber daya", validators=[Optional(), Length(max=4000)])
    skema_pertanggungjawaban = TextAreaField("Skema pertanggungjawaban", validators=[Optional(), Length(max=4000)])
    konsekuensi = TextAreaField("Konsekuensi", validators=[Optional(), Length(max=4000)])


class ReviseForm(BaseForm):
    reason = TextAreaField(
        "Alasan perubahan",
        validators=[DataRequired("Alasan perubahan wajib diisi."), Length(max=1000, message="Maksimal 1000 karakter.")],
    )


class FeedbackForm(BaseForm):
    target = SelectField("Tentang", validators=[DataRequired("Pilih RHK atau nilai BerAKHLAK.")])
    window = SelectField("Periode", coerce=int_or_none, validators=[Optional()])
    body = TextAreaField(
        "Umpan balik", validators=[DataRequired("Umpan balik wajib diisi."), Length(max=2000)], render_kw={"rows": 3}
    )


class PeriodForm(BaseForm):
    year = IntegerField(
        "Tahun", validators=[DataRequired(REQ), NumberRange(min=2020, max=2100, message="Tahun 2020–2100.")]
    )
    frequency = SelectField("Evaluasi periodik", choices=Frequency.choices(), default=Frequency.TRIWULAN.value)
    start_date = DateField("Tanggal mulai", validators=[DataRequired("Tanggal mulai wajib diisi (TTTT-BB-HH).")])
    end_date = DateField("Tanggal selesai", validators=[DataRequired("Tanggal selesai wajib diisi (TTTT-BB-HH).")])


class RhkTemplateForm(BaseForm):
    position_id = SelectField("Jabatan", coerce=int_or_none, validators=[DataRequired("Pilih jabatan.")])
    kategori = SelectField("Kategori", choices=RhkKategori.choices(), default=RhkKategori.UTAMA.value)
    uraian = TextAreaField(
        "Rencana hasil kerja", validators=[DataRequired("Uraian RHK wajib diisi."), Length(max=1000)]
    )
    aspek = SelectField("Aspek", choices=Aspek.choices(), default=Aspek.KUANTITAS.value)
    indikator = TextAreaField("Indikator kinerja individu", validators=[DataRequired("Indikator wajib diisi.")])
    target = StringField("Target", validators=[DataRequired("Target wajib diisi."), Length(max=300)])
    satuan = StringField("Satuan", validators=[Optional(), Length(max=60)])
