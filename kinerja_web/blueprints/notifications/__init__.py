from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates", url_prefix="/notifikasi")

from . import views  # noqa: E402,F401
