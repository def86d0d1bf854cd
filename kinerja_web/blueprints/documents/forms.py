from __future__ import annotations

from datetime import date

from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...domain.documents import Acting, DocType
from ...forms import BaseForm

REQ = DataRequired("Wajib diisi.")


class LetterheadForm(BaseForm):
    unit_id = SelectField("Unit penerbit (OPD)", coerce=int, validators=[REQ])
    pemda_name = StringField(
        "Nama pemerintah daerah", validators=[REQ, Length(max=150, message="Maksimal 150 karakter.")]
    )
    opd_name = StringField("Nama perangkat daerah", validators=[REQ, Length(max=200, message="Maksimal 200 karakter.")])
    address = StringField("Alamat", validators=[REQ, Length(max=300, message="Maksimal 300 karakter.")])
    contact = StringField(
        "Telepon / surel / laman", validators=[Optional(), Length(max=200, message="Maksimal 200 karakter.")]
    )
    city = StringField(
        "Kota tempat penetapan", default="Kotabumi", validators=[REQ, Length(max=60, message="Maksimal 60 karakter.")]
    )
    logo = FileField("Logo (PNG/JPEG, maks. 512 KB)")


class SignerForm(BaseForm):
    unit_id = SelectField("Unit penerbit", coerce=int, validators=[REQ])
    # The SKP is signed by its pegawai and pejabat penilai (frozen on approval), never by a configured signer.
    doc_type = SelectField(
        "Jenis dokumen", choices=[c for c in DocType.choices() if c[0] != DocType.SKP.value], validators=[REQ]
    )
    employee_id = IntegerField("ID pegawai (opsional, isi otomatis dari data pegawai)", validators=[Optional()])
    jabatan = StringField(
        "Jabatan penanda tangan", validators=[Optional(), Length(max=200, message="Maksimal 200 karakter.")]
    )
    name = StringField(
        "Nama lengkap dan gelar", validators=[Optional(), Length(max=150, message="Maksimal 150 karakter.")]
    )
    nip = StringField("NIP", validators=[Optional()])
    pangkat = StringField("Pangkat", validators=[Optional(), Length(max=80, message="Maksimal 80 karakter.")])
    place = StringField(
        "Tempat penetapan", default="Kotabumi", validators=[REQ, Length(max=60, message="Maksimal 60 karakter.")]
    )
    acting = SelectField("Status", choices=Acting.choices(), default=Acting.DEFINITIF.value)


class RegisterForm(BaseForm):
    unit_id = SelectField("Unit penerbit", coerce=int, validators=[REQ])
    doc_type = SelectField("Jenis dokumen", choices=DocType.choices(), validators=[REQ])
    year = IntegerField(
        "Tahun", default=lambda: date.today().year, validators=[REQ, NumberRange(2000, 2100, "Tahun 2000–2100.")]
    )
    pattern = StringField(
        "Pola nomor",
        default="800.1.13/{nomor}/{kode_unit}/{tahun}",
        validators=[REQ, Length(max=120, message="Maksimal 120 karakter.")],
    )
    kode_unit = StringField(
        "Kode unit", default="BKPSDM", validators=[REQ, Length(max=30, message="Maksimal 30 karakter.")]
    )


class CancelForm(BaseForm):
    reason = StringField("Alasan pembatalan", validators=[REQ, Length(max=300, message="Maksimal 300 karakter.")])


class ManualNumberForm(BaseForm):
    subject = StringField("Perihal", validators=[REQ, Length(max=300, message="Maksimal 300 karakter.")])


class RevokeForm(BaseForm):
    reason = TextAreaField("Alasan pencabutan", validators=[REQ, Length(max=1000, message="Maksimal 1000 karakter.")])
    replacement = StringField("Nomor dokumen pengganti (opsional)", validators=[Optional(), Length(max=120)])


class SkPenghargaanForm(BaseForm):
    unit_id = SelectField("Unit penerbit", coerce=int, validators=[REQ])
    penghargaan = StringField(
        "Nama penghargaan",
        default="Pegawai Berprestasi",
        validators=[REQ, Length(max=150, message="Maksimal 150 karakter.")],
    )
    judul = StringField(
        "Judul keputusan (TENTANG …)", validators=[Optional(), Length(max=250, message="Maksimal 250 karakter.")]
    )
    issued_on = DateField("Tanggal penetapan", default=date.today, validators=[REQ])
    menimbang = TextAreaField("Menimbang (satu butir per baris; kosong = teks baku)", validators=[Optional()])
    mengingat = TextAreaField("Mengingat (satu butir per baris; kosong = teks baku)", validators=[Optional()])
    tembusan = TextAreaField("Tembusan (satu per baris)", validators=[Optional()])
    employee_ids = HiddenField()


class BatchForm(BaseForm):
    unit_id = SelectField("Unit penerbit", coerce=int, validators=[REQ])
    subject_unit_id = SelectField("Unit pegawai", coerce=int, validators=[REQ])
    # SKP documents come from the SKP page and slips/daftar gaji from their payroll run, not from unit batches.
    doc_type = SelectField(
        "Jenis dokumen",
        choices=[(t.value, t.label) for t in (DocType.SK_PENGHARGAAN, DocType.KARTU_PEGAWAI)],
        validators=[REQ],
    )
    penghargaan = StringField(
        "Nama penghargaan (untuk SK Penghargaan)",
        default="Pegawai Berprestasi",
        validators=[Optional(), Length(max=150)],
    )
    issued_on = DateField("Tanggal penetapan", default=date.today, validators=[REQ])
