from flask import Blueprint

bp = Blueprint("complaints", __name__, template_folder="templates", url_prefix="/pengaduan")

from . import views  # noqa: E402,F401
