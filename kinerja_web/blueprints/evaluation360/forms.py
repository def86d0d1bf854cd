from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import BaseForm
from ...models import RaterGroup


class CycleForm(BaseForm):
    name = StringField(
        "Nama siklus", validators=[DataRequired("Wajib diisi."), Length(max=150, message="Maksimal 150 karakter.")]
    )
    year = IntegerField(
        "Tahun", validators=[InputRequired("Wajib diisi."), NumberRange(2000, 2100, "Tahun tidak sah.")]
    )
    period_label = StringField(
        "Periode",
        description="Misalnya “Triwulan IV 2026” atau “Tahunan 2026”.",
        validators=[DataRequired("Wajib diisi."), Length(max=60, message="Maksimal 60 karakter.")],
    )
    start_date = DateField("Periode mulai", validators=[InputRequired("Wajib diisi.")])
    end_date = DateField("Periode berakhir", validators=[InputRequired("Wajib diisi.")])
    deadline = DateField("Batas waktu pengisian", validators=[InputRequired("Wajib diisi.")])
    # Checkboxes: a multiple <select> needs Ctrl-click (and a phone shows it as a cramped list).
    unit_ids = SelectMultipleField(
        "Unit kerja yang dinilai", coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    use_atasan = BooleanField("Atasan langsung", default=True)
    use_rekan = BooleanField("Rekan kerja setingkat", default=True)
    use_bawahan = BooleanField("Bawahan langsung", default=True)
    use_diri = BooleanField("Diri sendiri", default=True)
    min_rekan = IntegerField("Minimal rekan", default=3, validators=[NumberRange(0, 20, "Antara 0 dan 20.")])
    min_bawahan = IntegerField("Minimal bawahan", default=3, validators=[NumberRange(0, 20, "Antara 0 dan 20.")])
    threshold_rekan = IntegerField(
        "Ambang anonimitas rekan",
        default=3,
        validators=[NumberRange(3, 20, "Minimal 3 agar jawaban tidak dapat ditebak; maksimal 20.")],
    )
    threshold_bawahan = IntegerField(
        "Ambang anonimitas bawahan",
        default=3,
        validators=[NumberRange(3, 20, "Minimal 3 agar jawaban tidak dapat ditebak; maksimal 20.")],
    )
    max_nominations = IntegerField(
        "Batas usulan rekan tambahan", default=2, validators=[NumberRange(0, 10, "Antara 0 dan 10.")]
    )


def _nip(label: str) -> StringField:
    """A rater's NIP (18 digits; spaces as printed on a card are allowed, the service normalises them)."""
    return StringField(
        label, validators=[DataRequired("Wajib diisi."), Length(min=18, max=21, message="NIP terdiri atas 18 angka.")]
    )


class NominateForm(BaseForm):
    nip = _nip("NIP rekan yang diusulkan")


class AddRaterForm(BaseForm):
    nip = _nip("NIP penilai")
    group = SelectField("Kelompok", choices=RaterGroup.choices())


class DeclineForm(BaseForm):
    reason = TextAreaField(
        "Alasan menolak menilai",
        validators=[
            DataRequired("Wajib diisi."),
            Length(min=10, max=500, message="Tuliskan alasan antara 10 dan 500 karakter."),
        ],
    )
