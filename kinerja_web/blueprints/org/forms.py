from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...forms import BaseForm, int_or_none
from ...models import AssignmentKind, PositionKind, UnitKind

REQ = "Wajib diisi."


class PositionForm(BaseForm):
    name = StringField(
        "Nama jabatan", validators=[DataRequired(REQ), Length(max=200, message="Maksimal 200 karakter.")]
    )
    # No kind is preselected: a new post is never a Jabatan Pimpinan Tinggi by default.
    kind = SelectField(
        "Jenis jabatan",
        choices=[("", "– pilih jenis jabatan –"), *PositionKind.choices()],
        validators=[DataRequired(REQ)],
    )
    jenjang = StringField("Jenjang (JF/JPT)", validators=[Optional(), Length(max=40)])
    kelas_jabatan = IntegerField(
        "Kelas jabatan", default=6, validators=[NumberRange(min=1, max=17, message="Kelas jabatan 1–17.")]
    )
    is_leader = BooleanField("Memimpin unit ini")
    parent_id = SelectField("Atasan (jabatan)", coerce=int_or_none, validators=[Optional()])
    cross_opd_reason = StringField(
        "Alasan atasan di OPD lain", validators=[Optional(), Length(max=300, message="Maksimal 300 karakter.")]
    )


class UnitForm(BaseForm):
    code = StringField("Kode unit", validators=[DataRequired(REQ), Length(max=30, message="Maksimal 30 karakter.")])
    name = StringField("Nama unit", validators=[DataRequired(REQ), Length(max=200, message="Maksimal 200 karakter.")])
    kind = SelectField("Jenis unit", choices=UnitKind.choices(), validators=[DataRequired(REQ)])
    address = StringField("Alamat", validators=[Optional(), Length(max=300)])


class AssignmentForm(BaseForm):
    nip = StringField("NIP pegawai", validators=[DataRequired(REQ)])
    kind = SelectField("Jenis penugasan", choices=AssignmentKind.choices(), validators=[DataRequired(REQ)])
    start_date = DateField("Mulai", validators=[DataRequired("Tanggal mulai wajib diisi (TTTT-BB-HH).")])
    end_date = DateField("Sampai (wajib untuk Plt/Plh)", validators=[Optional()])
    sk_number = StringField("Nomor SK/surat perintah", validators=[Optional(), Length(max=100)])


class EndAssignmentForm(BaseForm):
    end_date = DateField("Berakhir pada", validators=[DataRequired("Tanggal berakhir wajib diisi.")])
