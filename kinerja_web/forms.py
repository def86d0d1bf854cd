"""Project base form: CSRF from Flask-WTF and WTForms' own messages in Indonesian."""

from __future__ import annotations

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
    "Field must be at least %(min)d characters long.": "Minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Maksimal %(max)d karakter.",
    "Number must be at least %(min)s.": "Minimal %(min)s.",
    "Number must be at most %(max)s.": "Maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Harus di antara %(min)s dan %(max)s.",
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
