"""WTForms' built-in messages appear in Indonesian on every project form."""

import re
from datetime import date
from pathlib import Path

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

from kinerja_web.forms import WTFORMS_ID, BaseForm


class SampleForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField("Nama", validators=[DataRequired(), Length(min=3, max=5)])
    between = StringField("Antara", validators=[Length(min=2, max=4)])
    count = IntegerField("Jumlah", validators=[NumberRange(min=1, max=9)])
    day = DateField("Tanggal")
    choice = SelectField("Pilihan", choices=[("a", "A")])
    again = StringField("Ulangi", validators=[EqualTo("name")])


def _errors(**data) -> dict:
    form = SampleForm(formdata=MultiDict(data))
    form.validate()
    return form.errors


def test_required_field_message_is_indonesian():
    assert _errors(name="")["name"] == ["Wajib diisi."]


def test_length_between_message_is_indonesian():
    assert _errors(name="abcd", between="abcdefg")["between"] == ["Harus 2–4 karakter."]


def test_not_an_integer_message_is_indonesian():
    assert _errors(name="abcd", count="x")["count"][0] == "Harus berupa bilangan bulat."


def test_number_range_message_is_indonesian():
    assert _errors(name="abcd", count="12")["count"] == ["Harus di antara 1 dan 9."]


def test_invalid_date_message_is_indonesian():
    assert _errors(name="abcd", day="27/11/2026")["day"] == ["Tanggal tidak sah (format: TTTT-BB-HH)."]


def test_invalid_choice_message_is_indonesian():
    assert _errors(name="abcd", choice="z")["choice"] == ["Pilihan tidak sah."]


def test_equal_to_message_is_indonesian():
    assert _errors(name="abcd", again="abce")["again"] == ["Isian harus sama dengan name."]


def test_a_valid_sample_has_no_errors():
    form = SampleForm(
        formdata=MultiDict(
            {"name": "abcd", "between": "ab", "count": "3", "day": "2026-11-27", "choice": "a", "again": "abcd"}
        )
    )
    assert form.validate(), form.errors
    assert form.day.data == date(2026, 11, 27)


def _wtforms_messages() -> list[str]:
    pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    ids = re.findall(r'^msgid(?:_plural)? "(.+)"$', pot.read_text(encoding="utf-8"), flags=re.M)
    # Messages of features the project does not use (CSRF of wtforms itself, IP/MAC/UUID/URL, week fields).
    unused = ("CSRF", "IP address", "Mac address", "URL", "UUID", "week", "Invalid field name", "time value")
    return [m for m in ids if not any(u in m for u in unused)]


@pytest.mark.parametrize("message", _wtforms_messages())
def test_every_wtforms_message_has_an_indonesian_translation(message):
    assert message in WTFORMS_ID


def test_service_error_added_after_reading_errors_is_still_reported():
    form = SampleForm(formdata=MultiDict({"name": "abcd", "between": "ab", "again": "abcd"}))
    form.validate()
    assert "name" not in form.errors
    form.add_error("name", "NIP ini sudah dipakai pegawai lain.")
    form.add_error(None, "Pesan umum.")
    assert form.errors["name"] == ["NIP ini sudah dipakai pegawai lain."]
    assert form.form_errors == ["Pesan umum."]
