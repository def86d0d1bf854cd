from flask import Blueprint

bp = Blueprint("national", __name__, template_folder="templates", url_prefix="/ekspor")

from . import views  # noqa: E402,F401
