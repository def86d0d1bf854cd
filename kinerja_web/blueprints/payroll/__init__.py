from flask import Blueprint

bp = Blueprint("payroll", __name__, template_folder="templates", url_prefix="/gaji")

from . import cli  # noqa: E402,F401
from .views import (  # noqa: E402,F401
    dashboard,
    deductions,
    inputs,
    landing,
    manual,
    outputs,
    returns,
    rules,
    runs,
    tax_year,
)


@bp.app_template_filter("versi_aturan")
def versi_aturan(version: str) -> str:
    """A payslip line's rule version for the page ("run#5" → "proses penggajian #5")."""
    from ...domain.payroll import rule_version_text

    return rule_version_text(version)
