from flask import Blueprint

bp = Blueprint("jobs", __name__, template_folder="templates", url_prefix="/pekerjaan")

from . import views  # noqa: E402,F401
