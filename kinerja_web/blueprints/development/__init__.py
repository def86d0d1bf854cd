from flask import Blueprint

bp = Blueprint(
    "development", __name__, template_folder="templates", url_prefix="/pengembangan", cli_group="pengembangan"
)

from . import cli, views  # noqa: E402,F401
