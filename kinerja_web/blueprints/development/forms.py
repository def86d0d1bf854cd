"""Forms of the pengembangan kompetensi pages (messages in Indonesian, see kinerja_web/forms.py)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...domain import berakhlak
from ...domain.development import ProgrammeBentuk
from ...domain.predikat import Predikat
from ...forms import BaseForm
from ...models import PositionKind

REQ = DataRequired("Wajib diisi.")
NAMA_BULAN = [
    (1, "Januari"),
    (2, "Februari"),
    (3, "Maret"),
    (4, "April"),
    (5, "Mei"),
    (6, "Juni"),
    (7, "Juli"),
    (8, "Agustus"),
    (9, "September"),
    (10, "Oktober"),
    (11, "November"),
    (12, "Desember"),
]


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class ProgrammeForm(BaseForm):
    code = StringField("Kode", validators=[REQ, Length(max=30, message="Maksimal 30 karakter.")])
    name = StringField("Nama program", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])
    bentuk = SelectField("Bentuk", choices=ProgrammeBentuk.choices(), validators=[REQ])
    jp = IntegerField("Jam pelajaran (JP)", validators=[InputRequired("Wajib diisi.")])
    provider = StringField("Penyelenggara", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])
    location = StringField("Tempat", validators=[Optional(), Length(max=200, message="Maksimal 200 karakter.")])
    start_date = DateField("Tanggal mulai", validators=[Optional()])
    end_date = DateField("Tanggal selesai", validators=[Optional()])
    capacity = IntegerField("Kapasitas peserta (kosong: tanpa batas)", validators=[Optional()])
    cost = IntegerField("Biaya per peserta (Rp)", default=0, validators=[Optional()])
    competencies = TextAreaField("Kompetensi sasaran", validators=[Optional(), Length(max=2000)])
    berakhlak_values = SelectMultipleField(
        "Nilai BerAKHLAK sasaran", choices=[], validate_choice=True, validators=[Optional()]
    )
    eligible_kinds = SelectMultipleField(
        "Jenis jabatan sasaran (kosong: semua)", choices=PositionKind.choices(), validators=[Optional()]
    )
    min_golongan = StringField("Golongan minimal", validators=[Optional(), Length(max=8)])
    max_golongan = StringField("Golongan maksimal", validators=[Optional(), Length(max=8)])
    description = TextAreaField("Uraian", validators=[Optional(), Length(max=4000)])
    active = BooleanField("Aktif (tampil di katalog dan dapat ditugaskan)", default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.berakhlak_values.choices = [(v.code, v.name) for v in berakhlak.values()]


class RuleForm(BaseForm):
    bentuk = SelectField("Bentuk pengembangan yang diusulkan", choices=ProgrammeBentuk.choices(), validators=[REQ])
    programme_id = SelectField("Program yang diusulkan", coerce=_optional_int, choices=[], validate_choice=False)
    predikat = SelectMultipleField("Predikat pemicu", choices=Predikat.choices())
    plan_months = IntegerField("Lama rencana perbaikan (bulan)", validators=[Optional()])
    threshold = StringField("Batas rata-rata nilai (1–5)", validators=[Optional(), Length(max=6)])
    month = SelectField("Bulan pemeriksaan", coerce=int, choices=NAMA_BULAN, validators=[Optional()])
    berlaku_mulai = DateField("Berlaku mulai", validators=[InputRequired("Wajib diisi.")])
    active = BooleanField("Aturan aktif", default=True)
    note = StringField("Catatan perubahan", validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")])


class AttendanceRuleForm(BaseForm):
    """The minimum attendance for JP: a percentage, its start date and its basis (no programme is suggested)."""

    percent = IntegerField("Kehadiran minimal (%)", validators=[Optional()])
    berlaku_mulai = RuleForm.berlaku_mulai
    active = BooleanField("Aturan aktif (nonaktif: JP diakui pada kehadiran berapa pun)", default=True)
    note = StringField(
        "Dasar ketentuan (nomor dan tanggal keputusan)",
        validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")],
    )


class GenerateForm(BaseForm):
    period_id = SelectField("Periode kinerja", coerce=int, choices=[], validators=[InputRequired("Wajib diisi.")])


class AssignForm(BaseForm):
    programme_id = SelectField("Program", coerce=_optional_int, choices=[], validate_choice=False)


class ReasonForm(BaseForm):
    reason = TextAreaField("Alasan", validators=[REQ, Length(min=5, max=500, message="Alasan 5–500 karakter.")])


class CompleteForm(BaseForm):
    attendance_percent = IntegerField("Kehadiran (%)", validators=[Optional()])
    result = StringField("Hasil / nilai", validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")])
    jp = IntegerField("JP yang diakui", validators=[Optional()])
    certificate = FileField("Sertifikat (PDF/PNG/JPEG, maks. 5 MB)")


class CertificateForm(BaseForm):
    certificate = FileField("Sertifikat (PDF/PNG/JPEG, maks. 5 MB)")


class IssueForm(BaseForm):
    unit_id = SelectField(
        "Unit penerbit (kop surat)", coerce=int, choices=[], validators=[InputRequired("Wajib diisi.")]
    )


class JpForm(BaseForm):
    title = StringField("Nama kegiatan", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])
    jp = IntegerField("JP", validators=[InputRequired("Wajib diisi.")])
    on_date = DateField("Tanggal", validators=[InputRequired("Wajib diisi.")])
    provider = StringField("Penyelenggara", validators=[Optional(), Length(max=200, message="Maksimal 200 karakter.")])
