from flask import Blueprint

bp = Blueprint("payroll", __name__, template_folder="templates", url_prefix="/gaji")

from . import cli  # noqa: E402,F401
from .views import dashboard, inputs, landing, outputs, rules, runs  # noqa: E402,F401
