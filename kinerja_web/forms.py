"""Project base form: CSRF from Flask-WTF and WTForms' own messages in Indonesian."""

from __future__ import annotations

import re
import secrets

from flask import request
from flask_wtf import FlaskForm

# WTForms ships no Indonesian locale: its built-in messages mapped once here.
WTFORMS_ID = {
    "This field is required.": "Wajib diisi.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid decimal value.": "Harus berupa angka.",
    "Not a valid float value.": "Harus berupa angka.",
    "Not a valid date value.": "Tanggal tidak sah (format: TTTT-BB-HH).",
    "Not a valid datetime value.": "Tanggal dan jam tidak sah.",
    "Not a valid choice.": "Pilihan tidak sah.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sah.",
    "Invalid email address.": "Alamat surel tidak sah.",
    "Invalid input.": "Isian tidak sah.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "The CSRF token is missing.": "Sesi formulir hilang. Muat ulang halaman lalu coba lagi.",
    "The CSRF token is invalid.": "Sesi formulir tidak sah. Muat ulang halaman lalu coba lagi.",
    "The CSRF token has expired.": "Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "The CSRF tokens do not match.": "Sesi formulir tidak cocok. Muat ulang halaman lalu coba lagi.",
    "Field must be at least %(min)d character long.": "Minimal %(min)d karakter.",
    "Field must be exactly %(max)d character long.": "Harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": "Harus %(min)d–%(max)d karakter.",
    "Field must be at least %(min)d characters long.": "Minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Maksimal %(max)d karakter.",
    "Number must be at least %(min)s.": "Minimal %(min)s.",
    "Number must be at most %(max)s.": "Maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Harus di antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus di antara %(min)s dan %(max)s.",
    "Invalid value, must be one of: %(values)s.": "Isian tidak sah; harus salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Isian tidak sah; tidak boleh salah satu dari: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Isian ini dinonaktifkan dan tidak boleh diisi.",
    "Choices cannot be None.": "Pilihan belum tersedia.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Satu atau lebih pilihan tidak sah.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang sah.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' bukan pilihan yang sah.",
}


class IndonesianTranslations:
    def gettext(self, string: str) -> str:
        return WTFORMS_ID.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_TRANSLATIONS = IndonesianTranslations()


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS

    def add_error(self, field: str | None, message: str) -> None:
        """Attach a service-level error (DomainError.field) to its field, or to the form."""
        if field and field in self._fields:
            self._fields[field].errors = [*self._fields[field].errors, message]
        else:
            self.form_errors.append(message)
        self._errors = None  # WTForms caches `form.errors` on first access


def int_or_none(value):
    """`coerce=` of an optional id select: None for the empty choice (or anything not a number)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class QueryForm(BaseForm):
    """A GET form (a filter, a date to look up): read from the query string, no CSRF token (it changes nothing).
    Bad values get their message at the field like any form's."""

    class Meta:
        csrf = False

    def __init__(self, **kwargs):
        super().__init__(formdata=request.args, **kwargs)

    @property
    def filled(self) -> bool:
        """Any of its fields was given in the query string."""
        return any(name in request.args for name in self._fields)


# --- idempotency token: one per rendered form ----------------------------------------------------------

IDEMPOTENCY_FIELD = "idempotency_key"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def idempotency_token() -> str:
    """A fresh token for one rendered form (template global, in a hidden `idempotency_key` input).

    A double click sends the same form, hence the same token, twice; a reloaded page gets a new one.
    """
    return secrets.token_urlsafe(16)


def submitted_idempotency_key(scope: str) -> str | None:
    """`scope:token` from the submitted form, the idempotency key of what it issues or starts; None when the
    form carries no (well-formed) token, e.g. a request not made from our page."""
    token = request.form.get(IDEMPOTENCY_FIELD, "")
    return f"{scope}:{token}"[:120] if _TOKEN.fullmatch(token) else None
