from flask import Blueprint

bp = Blueprint("competency", __name__, template_folder="templates", url_prefix="/kompetensi")

from .views import assessments, overview, profile, standards  # noqa: E402,F401
