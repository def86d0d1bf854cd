from flask import Blueprint

bp = Blueprint("hr_dashboards", __name__, template_folder="templates", url_prefix="/penilaian-kinerja/dasbor")

from . import views  # noqa: E402,F401
