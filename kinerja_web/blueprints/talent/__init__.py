from flask import Blueprint

bp = Blueprint("talent", __name__, template_folder="templates", url_prefix="/talenta")

from . import views  # noqa: E402,F401
