from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...domain.predikat import Predikat
from ...domain.selection import STAGE_ORDER, MemberRole, Pendidikan, SelectionKind
from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")
DATE_REQ = InputRequired("Wajib diisi.")
PENDIDIKAN_CHOICES = [("", "– pilih –"), *Pendidikan.choices()]
DEFAULT_WEIGHTS = {"administrasi": "0", "uji_kompetensi": "40", "rekam_jejak": "20", "wawancara": "40"}
DEFAULT_PASS = {"administrasi": "0", "uji_kompetensi": "70", "rekam_jejak": "60", "wawancara": "65"}


class SelectionForm(BaseForm):
    title = StringField("Judul seleksi", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])
    kind = SelectField("Jenis", choices=SelectionKind.choices(), validators=[REQ])
    position_id = SelectField("Jabatan yang diisi", coerce=int, validators=[REQ])
    unit_id = SelectField("Unit penerbit dokumen (kop surat)", coerce=int, validators=[REQ])
    registration_opens = DateField("Pendaftaran dibuka", validators=[DATE_REQ])
    registration_closes = DateField("Pendaftaran ditutup", validators=[DATE_REQ])
    min_golongan = StringField("Golongan minimal", validators=[Optional(), Length(max=8)])
    min_pendidikan = SelectField("Pendidikan minimal", choices=PENDIDIKAN_CHOICES, validators=[Optional()])
    min_predikat = SelectField(
        "Predikat 2 tahun terakhir minimal",
        choices=[("", "– tanpa syarat –"), *Predikat.choices()],
        default=Predikat.BAIK.value,
        validators=[Optional()],
    )
    no_discipline = BooleanField("Tidak sedang menjalani hukuman disiplin", default=True)
    training = StringField("Pelatihan yang disyaratkan", validators=[Optional(), Length(max=200)])
    notes = TextAreaField("Jadwal dan keterangan pengumuman", validators=[Optional(), Length(max=4000)])


for _kind in STAGE_ORDER:
    setattr(
        SelectionForm,
        f"weight_{_kind.value}",
        StringField(f"Bobot {_kind.label} (%)", default=DEFAULT_WEIGHTS[_kind.value]),
    )
    setattr(
        SelectionForm,
        f"pass_{_kind.value}",
        StringField(f"Nilai ambang {_kind.label}", default=DEFAULT_PASS[_kind.value]),
    )


class MemberForm(BaseForm):
    nip = StringField("NIP (anggota dari data pegawai)", validators=[Optional(), Length(max=30)])
    name = StringField("Nama (anggota dari luar instansi)", validators=[Optional(), Length(max=150)])
    institution = StringField("Instansi asal (anggota luar)", validators=[Optional(), Length(max=200)])
    role = SelectField("Kedudukan", choices=MemberRole.choices(), default=MemberRole.ANGGOTA.value)


class CandidateForm(BaseForm):
    nip = StringField("NIP pegawai", validators=[Optional(), Length(max=30)])
    name = StringField("Nama (peserta dari luar instansi)", validators=[Optional(), Length(max=150)])
    institution = StringField("Instansi asal", validators=[Optional(), Length(max=200)])
    golongan = StringField("Golongan", validators=[Optional(), Length(max=8)])
    pendidikan = SelectField("Pendidikan terakhir", choices=PENDIDIKAN_CHOICES, validators=[Optional()])


class ApplyForm(BaseForm):
    pendidikan = SelectField("Pendidikan terakhir", choices=PENDIDIKAN_CHOICES, validators=[Optional()])


class ScoreForm(BaseForm):
    score = StringField("Nilai (0–100)", validators=[Optional(), Length(max=10)])
    note = StringField("Catatan", validators=[Optional(), Length(max=300)])
    version = HiddenField()


class DeclareForm(BaseForm):
    conflict = RadioField(
        "Pernyataan",
        choices=[("tidak", "Tidak ada konflik kepentingan"), ("ada", "Ada konflik kepentingan")],
        default="tidak",
        validators=[DataRequired("Pilih pernyataan.")],
    )
    note = StringField("Keterangan (wajib bila ada konflik)", validators=[Optional(), Length(max=300)])


class DecisionForm(BaseForm):
    candidate_id = SelectField("Calon yang dipilih PPK", coerce=int, validators=[REQ])
    basis = StringField("Dasar (nomor surat/disposisi PPK)", validators=[Optional(), Length(max=300)])


class ActionForm(BaseForm):
    """A button with nothing to fill in (CSRF only)."""
