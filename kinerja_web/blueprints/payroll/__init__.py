from flask import Blueprint

bp = Blueprint("payroll", __name__, template_folder="templates", url_prefix="/gaji")

from . import cli, dashboard, views  # noqa: E402,F401
