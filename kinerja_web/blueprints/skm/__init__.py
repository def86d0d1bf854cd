from flask import Blueprint

bp = Blueprint("skm", __name__, template_folder="templates", url_prefix="/skm")
# The kiosk: public pages on the LAN (no login), one per unit and survey period.
kiosk_bp = Blueprint("skm_kiosk", __name__, template_folder="templates")

from . import dashboard, kiosk, views  # noqa: E402,F401
