from flask import Blueprint

bp = Blueprint("skp", __name__, template_folder="templates", url_prefix="/skp")

from . import views  # noqa: E402,F401
