from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ...forms import BaseForm, QueryForm, int_or_none
from ...models import Gender, StatusAsn
from ...models.org import PTKP_STATUSES

REQ = "Wajib diisi."
# A shape check is enough for a LAN address book; WTForms' Email() needs the extra email_validator package.
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class AppraiserLookupForm(QueryForm):
    tanggal = DateField("Pada tanggal", validators=[Optional()])


class EmployeeForm(BaseForm):
    nip = StringField("NIP", validators=[DataRequired(REQ), Length(max=30, message="NIP terlalu panjang.")])
    name = StringField(
        "Nama (tanpa gelar)", validators=[DataRequired(REQ), Length(max=150, message="Maksimal 150 karakter.")]
    )
    gelar_depan = StringField("Gelar depan", validators=[Optional(), Length(max=40)])
    gelar_belakang = StringField("Gelar belakang", validators=[Optional(), Length(max=60)])
    status_asn = SelectField("Status ASN", choices=StatusAsn.choices(), validators=[DataRequired(REQ)])
    gender = SelectField("Jenis kelamin", choices=Gender.choices(), validators=[DataRequired(REQ)])
    birth_place = StringField("Tempat lahir", validators=[Optional(), Length(max=80)])
    birth_date = DateField("Tanggal lahir", validators=[DataRequired("Tanggal lahir wajib diisi (TTTT-BB-HH).")])
    tmt_cpns = DateField("TMT CPNS/PPPK", validators=[Optional()])
    golongan = StringField("Golongan/ruang", validators=[DataRequired(REQ)], description="Contoh: III/b; PPPK: IX")
    tmt_golongan = DateField("TMT golongan", validators=[Optional()])
    mkg_years = IntegerField(
        "Masa kerja golongan (tahun)",
        default=0,
        validators=[NumberRange(min=0, max=45, message="Masa kerja golongan 0–45 tahun.")],
    )
    mkg_months = IntegerField(
        "Masa kerja golongan (bulan)",
        default=0,
        validators=[NumberRange(min=0, max=11, message="Bulan masa kerja 0–11.")],
    )
    opd_id = SelectField("Perangkat daerah", coerce=int_or_none, validators=[Optional()])
    position_id = SelectField("Jabatan", coerce=int_or_none, validators=[Optional()])
    position_start = DateField("TMT jabatan (bila jabatan berubah)", validators=[Optional()])
    ptkp_status = SelectField(
        "Status PTKP", choices=[("", "–")] + [(s, s) for s in PTKP_STATUSES], validators=[Optional()]
    )
    bank_name = StringField("Bank", validators=[Optional(), Length(max=60)])
    bank_account = StringField("Nomor rekening", validators=[Optional(), Length(max=40)])
    email = StringField(
        "Surel", validators=[Optional(), Regexp(EMAIL_SHAPE, message="Alamat surel tidak sah."), Length(max=120)]
    )
    phone = StringField("Telepon", validators=[Optional(), Length(max=30)])
    version_id = HiddenField()


class ImportUploadForm(BaseForm):
    berkas = FileField(
        "Berkas CSV atau XLSX",
        validators=[FileRequired("Pilih berkas CSV atau XLSX untuk diunggah.")],
    )


class ImportConfirmForm(BaseForm):
    skip_invalid = BooleanField("Lewati baris yang salah (hanya baris yang benar diimpor)")
