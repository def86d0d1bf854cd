from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...domain.pembinaan import ActionStatus, ReviewOutcome
from ...forms import BaseForm, IndonesianTranslations

REQ = DataRequired("Wajib diisi.")
DATE_REQ = InputRequired("Wajib diisi.")  # a mistyped date then gets "Tanggal tidak sah", not "Wajib diisi"
_TR = IndonesianTranslations()


class ActionRow(Form):
    """One agreed action (sub-form of a FieldList; empty rows are ignored by the service)."""

    class Meta:
        def get_translations(self, form):
            return _TR

    summary = StringField("Tindakan", validators=[Optional(), Length(max=500, message="Maksimal 500 karakter.")])
    target_date = DateField("Tanggal target", validators=[Optional()])


class StartPlanForm(BaseForm):
    coach_id = SelectField("Pembina", coerce=int, validators=[Optional()])
    coach_nip = StringField(
        "atau NIP pembina lain", validators=[Optional(), Length(max=18, message="NIP terdiri atas 18 digit.")]
    )
    start_date = DateField("Tanggal mulai", validators=[DATE_REQ])
    check_in_every = SelectField(
        "Pertemuan pemantauan setiap", coerce=int, choices=[(1, "1 bulan"), (2, "2 bulan"), (3, "3 bulan")], default=1
    )
    goal = TextAreaField("Sasaran perbaikan", validators=[REQ, Length(max=2000, message="Maksimal 2000 karakter.")])
    actions = FieldList(FormField(ActionRow), min_entries=3, max_entries=10)


class SessionForm(BaseForm):
    held_on = DateField("Tanggal sesi", validators=[DATE_REQ])
    check_in_id = SelectField("Untuk pertemuan pemantauan terjadwal", coerce=int, validators=[Optional()])
    notes = TextAreaField("Catatan sesi", validators=[REQ, Length(max=4000, message="Maksimal 4000 karakter.")])
    actions = FieldList(FormField(ActionRow), min_entries=2, max_entries=10)
    form_token = HiddenField()


class ActionStatusForm(BaseForm):
    status = SelectField("Status", choices=ActionStatus.choices(), validators=[REQ])


class CheckInForm(BaseForm):
    scheduled_on = DateField("Tanggal pertemuan pemantauan", validators=[DATE_REQ])


class ReviewForm(BaseForm):
    outcome = RadioField(
        "Hasil tinjauan", choices=ReviewOutcome.choices(), validators=[DataRequired("Pilih hasil tinjauan.")]
    )
    notes = TextAreaField("Catatan tinjauan", validators=[REQ, Length(max=4000, message="Maksimal 4000 karakter.")])


class FollowUpForm(BaseForm):
    notes = TextAreaField(
        "Tindak lanjut yang diputuskan", validators=[REQ, Length(max=2000, message="Maksimal 2000 karakter.")]
    )


class CancelForm(BaseForm):
    reason = TextAreaField(
        "Alasan pembatalan", validators=[REQ, Length(min=5, max=1000, message="Alasan 5–1000 karakter.")]
    )


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    opd = SelectField("OPD", coerce=str, validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])
