from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...domain.keberatan import Putusan
from ...domain.predikat import Ekspektasi, PredikatOrganisasi
from ...forms import BaseForm

PILIH = "Pilih salah satu rating."
EKSPEKTASI = [(m.value, m.label) for m in (Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Ekspektasi.DI_BAWAH)]
ORGANISASI = [(m.value, m.label) for m in PredikatOrganisasi]


def _written(label: str, noun: str, low: int, high: int) -> TextAreaField:
    """A required written text of `low`–`high` characters (a reason, an explanation)."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(f"{label} wajib diisi."),
            Length(min=low, max=high, message=f"{noun} {low}–{high} karakter."),
        ],
    )


class RatingForm(BaseForm):
    hasil_kerja = RadioField("Rating hasil kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    perilaku_kerja = RadioField("Rating perilaku kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    catatan = TextAreaField(
        "Catatan pejabat penilai", validators=[Optional(), Length(max=2000, message="Maksimal 2000 karakter.")]
    )


class CalibrationForm(BaseForm):
    hasil_kerja = SelectField("Hasil kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    perilaku_kerja = SelectField("Perilaku kerja", choices=EKSPEKTASI, validators=[DataRequired(PILIH)])
    alasan = _written("Alasan perubahan", "Alasan", 10, 1000)


class UnitPredikatForm(BaseForm):
    predikat = SelectField(
        "Capaian kinerja organisasi",
        choices=[("", "— pilih —")] + ORGANISASI,
        validators=[DataRequired("Pilih predikat kinerja organisasi.")],
    )
    note = TextAreaField("Dasar penetapan", validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")])


class LockForm(BaseForm):
    """Only the CSRF token: the period and window come from the URL."""


class KeberatanForm(BaseForm):
    alasan = _written("Alasan keberatan", "Alasan", 20, 4000)
    lampiran = FileField("Lampiran pendukung (opsional; PDF, PNG atau JPEG, maks. 5 MB)")


class PenjelasanForm(BaseForm):
    penjelasan = _written("Penjelasan", "Penjelasan", 10, 4000)


PUTUSAN = [(m.value, m.label) for m in Putusan]


class PutusanForm(BaseForm):
    putusan = RadioField("Keputusan", choices=PUTUSAN, validators=[DataRequired("Pilih keputusan.")])
    hasil_kerja = SelectField(
        "Rating hasil kerja baru (bila diterima)", choices=[("", "— tetap —")] + EKSPEKTASI, validators=[Optional()]
    )
    perilaku_kerja = SelectField(
        "Rating perilaku kerja baru (bila diterima)", choices=[("", "— tetap —")] + EKSPEKTASI, validators=[Optional()]
    )
    pertimbangan = _written("Pertimbangan keputusan", "Pertimbangan", 20, 4000)
