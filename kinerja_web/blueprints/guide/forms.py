from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ...forms import BaseForm
from ...services.guide.announcements import BODY_MAX, TITLE_MAX


class AnnouncementForm(BaseForm):
    title = StringField(
        "Judul",
        validators=[DataRequired("Wajib diisi."), Length(max=TITLE_MAX, message=f"Maksimal {TITLE_MAX} karakter.")],
    )
    body = TextAreaField(
        "Isi pengumuman",
        validators=[DataRequired("Wajib diisi."), Length(max=BODY_MAX, message="Maksimal 10.000 karakter.")],
    )
