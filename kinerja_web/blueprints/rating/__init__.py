from flask import Blueprint

bp = Blueprint("rating", __name__, template_folder="templates", url_prefix="/penilaian-kinerja")

from . import views  # noqa: E402,F401
