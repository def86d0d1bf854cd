from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ...forms import BaseForm

MIN_PASSWORD = 8


class LoginForm(BaseForm):
    username = StringField("NIP atau nama pengguna", validators=[DataRequired("NIP atau nama pengguna wajib diisi.")])
    password = PasswordField("Kata sandi", validators=[DataRequired("Kata sandi wajib diisi.")])


class SetPasswordForm(BaseForm):
    """After an HR reset: the user chooses a new password (the temporary one was already checked at login)."""

    new = PasswordField(
        "Kata sandi baru",
        validators=[
            DataRequired("Kata sandi baru wajib diisi."),
            Length(min=MIN_PASSWORD, max=128, message=f"Kata sandi minimal {MIN_PASSWORD} karakter."),
        ],
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[
            DataRequired("Ulangi kata sandi baru."),
            EqualTo("new", message="Kedua kata sandi baru tidak sama."),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    """The signed-in user changes their password: the current one, then the new one twice."""

    current = PasswordField("Kata sandi saat ini", validators=[DataRequired("Kata sandi saat ini wajib diisi.")])
