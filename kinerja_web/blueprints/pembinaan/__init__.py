from flask import Blueprint

bp = Blueprint("pembinaan", __name__, template_folder="templates", url_prefix="/pembinaan")

from . import views  # noqa: E402,F401
