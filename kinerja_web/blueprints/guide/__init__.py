from flask import Blueprint

bp = Blueprint("guide", __name__, template_folder="templates", url_prefix="/panduan")

from . import views  # noqa: E402,F401
