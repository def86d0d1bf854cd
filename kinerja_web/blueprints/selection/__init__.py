from flask import Blueprint

bp = Blueprint("selection", __name__, template_folder="templates", url_prefix="/seleksi")

from .views import manage, pansel, public, succession  # noqa: E402,F401
