from flask import Blueprint

bp = Blueprint("innovations", __name__, template_folder="templates", url_prefix="/inovasi")

from . import views  # noqa: E402,F401
