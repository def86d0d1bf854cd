from __future__ import annotations

from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ...domain.talent import Potensial
from ...forms import BaseForm
from ...services.talent.potensial import POTENSIAL_TIDAK_SAH

POTENSIAL = [(m.value, m.label) for m in (Potensial.TINGGI, Potensial.MENENGAH, Potensial.RENDAH)]


class PotensialForm(BaseForm):
    # validate_choice off: an out-of-range value gets the same clear message as AnyOf below, not WTForms' own.
    potensial = SelectField(
        "Potensial",
        choices=[("", "— pilih —")] + POTENSIAL,
        validate_choice=False,
        validators=[
            DataRequired("Pilih potensial pegawai."),
            AnyOf([v for v, _ in POTENSIAL], message=POTENSIAL_TIDAK_SAH),
        ],
    )
    dasar = StringField(
        "Alasan penetapan manual",
        validators=[Optional(), Length(max=300, message="Maksimal 300 karakter.")],
    )


class BulkPotensialForm(BaseForm):
    """Only the shared field; the per-employee selects (`p-<id>`) are read by the view and checked by the service."""

    dasar = StringField(
        "Dasar penetapan untuk baris yang diubah",
        validators=[Optional(), Length(max=300, message="Maksimal 300 karakter.")],
    )


class ImportPotensialForm(BaseForm):
    berkas = FileField(
        "Berkas CSV atau XLSX (kolom: nip, potensial, dasar)",
        validators=[FileRequired("Pilih berkas untuk diimpor."), FileSize(2 * 1024 * 1024, message="Maksimal 2 MB.")],
    )
