from flask import Blueprint

bp = Blueprint("referrals", __name__, template_folder="templates", url_prefix="/pengembangan")

from . import views  # noqa: E402,F401
