from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...domain.predikat import Ekspektasi, PredikatOrganisasi
from ...forms import BaseForm

PILIH = "Pilih salah satu rating."
EKSPEKTASI = [(m.value, m.label) for m in (Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Ekspektasi.DI_BAWAH)]
ORGANISASI = [(m.value, m.label) for m in PredikatOrganisasi]


class RatingForm(BaseForm):
    hasil_kerja = RadioField("Rating hasil kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    perilaku_kerja = RadioField("Rating perilaku kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    catatan = TextAreaField(
        "Catatan pejabat penilai", validators=[Optional(), Length(max=2000, message="Maksimal 2000 karakter.")]
    )


class CalibrationForm(BaseForm):
    hasil_kerja = SelectField("Hasil kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    perilaku_kerja = SelectField("Perilaku kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    alasan = TextAreaField(
        "Alasan perubahan",
        validators=[
            DataRequired("Alasan perubahan wajib diisi."),
            Length(min=10, max=1000, message="Alasan 10–1000 karakter."),
        ],
    )


class UnitPredikatForm(BaseForm):
    predikat = SelectField(
        "Capaian kinerja organisasi",
        choices=[("", "— pilih —")] + ORGANISASI,
        validators=[DataRequired("Pilih predikat kinerja organisasi.")],
    )
    note = TextAreaField("Dasar penetapan", validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")])
