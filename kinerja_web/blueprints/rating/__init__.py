from flask import Blueprint

bp = Blueprint("rating", __name__, template_folder="templates", url_prefix="/penilaian-kinerja")

from . import keberatan_views, lock_views, rule_views, views  # noqa: E402,F401
