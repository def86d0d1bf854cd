from flask import Blueprint

bp = Blueprint("public_service", __name__, template_folder="templates", url_prefix="/layanan")

from .views import catalogue, dashboards, imports, signals  # noqa: E402,F401
