from flask import Blueprint

bp = Blueprint("org", __name__, template_folder="templates", url_prefix="/organisasi")

from . import edit_views, views  # noqa: E402,F401
