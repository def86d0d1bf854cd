from flask import Blueprint

bp = Blueprint("awards", __name__, template_folder="templates", url_prefix="/penghargaan")

from . import views  # noqa: E402,F401
