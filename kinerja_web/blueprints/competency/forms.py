from __future__ import annotations

from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...domain.competency import AssessmentMethod
from ...forms import BaseForm

MAX_UPLOAD = 5 * 1024 * 1024


class StandardForm(BaseForm):
    """The fixed fields; the required level per competency (`lv-<code>`) is read by the view."""

    berlaku_mulai = DateField("Berlaku mulai", validators=[Optional()])
    dasar_hukum = StringField("Dasar hukum", validators=[Optional(), Length(max=300, message="Maksimal 300 karakter.")])
    kode_jabatan = StringField("Kode jabatan", validators=[Optional(), Length(max=40)])
    kelompok_jabatan = StringField("Kelompok jabatan", validators=[Optional(), Length(max=100)])
    urusan = StringField("Urusan pemerintahan", validators=[Optional(), Length(max=200)])
    ikhtisar = TextAreaField("Ikhtisar jabatan", validators=[Optional(), Length(max=5000)])
    teknis = StringField(
        "Kompetensi teknis (kode:level; dipisah titik koma)",
        validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")],
    )
    pendidikan = StringField("Persyaratan pendidikan", validators=[Optional(), Length(max=500)])
    pelatihan = StringField("Persyaratan pelatihan", validators=[Optional(), Length(max=500)])
    pengalaman = StringField("Persyaratan pengalaman", validators=[Optional(), Length(max=500)])
    note = StringField("Catatan perubahan", validators=[Optional(), Length(max=500)])


class TeknisForm(BaseForm):
    code = StringField("Kode", validators=[DataRequired("Kode wajib diisi."), Length(max=20)])
    name = StringField("Nama kompetensi teknis", validators=[DataRequired("Nama wajib diisi."), Length(max=200)])


class UploadForm(BaseForm):
    berkas = FileField(
        "Berkas XLSX",
        validators=[FileRequired("Pilih berkas untuk diimpor."), FileSize(MAX_UPLOAD, message="Maksimal 5 MB.")],
    )


class ConfirmForm(BaseForm):
    pass


class EventForm(BaseForm):
    name = StringField("Nama kegiatan", validators=[DataRequired("Nama kegiatan wajib diisi."), Length(max=200)])
    method = SelectField("Metode", choices=[("", "— pilih —"), *AssessmentMethod.choices()], validate_choice=False)
    held_on = DateField("Tanggal pelaksanaan", validators=[Optional()])
    provider = StringField("Penyelenggara", validators=[Optional(), Length(max=200)])
    location = StringField("Tempat", validators=[Optional(), Length(max=200)])
    assessors = TextAreaField("Asesor (satu nama per baris)", validators=[Optional(), Length(max=3000)])


class ParticipantForm(BaseForm):
    nip = StringField("NIP peserta", validators=[DataRequired("NIP wajib diisi."), Length(max=30)])


class AssessorForm(BaseForm):
    assessor_name = StringField("Nama asesor", validators=[DataRequired("Nama asesor wajib diisi."), Length(max=150)])
    institution = StringField("Instansi asesor", validators=[Optional(), Length(max=200)])


class MeetingForm(BaseForm):
    """CSRF and the version seen; the level cells are read by the view (`r-…`, `c-…`, `alasan-…`)."""

    version = StringField(validators=[Optional()])


class ShareForm(BaseForm):
    shared = BooleanField("Bagikan ringkasan kepada atasan langsung")


class RuleForm(BaseForm):
    berlaku_mulai = DateField("Berlaku mulai", validators=[Optional()])
    optimal_from = StringField("Batas Optimal (JPM ≥, %)", validators=[DataRequired("Wajib diisi.")])
    cukup_from = StringField("Batas Cukup Optimal (JPM ≥, %)", validators=[DataRequired("Wajib diisi.")])
    cap_at_required = BooleanField("Level di atas persyaratan dihitung sebesar persyaratan (dibatasi)")
    weight_kategori = StringField("Bobot kategori JPM untuk potensial (%)", validators=[DataRequired("Wajib diisi.")])
    weight_jpm = StringField("Bobot nilai JPM untuk potensial (%)", validators=[DataRequired("Wajib diisi.")])
    tinggi_from = StringField("Potensial Tinggi mulai skor", validators=[DataRequired("Wajib diisi.")])
    menengah_from = StringField("Potensial Menengah mulai skor", validators=[DataRequired("Wajib diisi.")])
    note = StringField("Catatan", validators=[Optional(), Length(max=500)])


class IssueForm(BaseForm):
    pass
