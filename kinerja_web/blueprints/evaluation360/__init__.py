from flask import Blueprint

bp = Blueprint(
    "evaluation360", __name__, template_folder="templates", url_prefix="/penilaian-360", cli_group="penilaian360"
)

from . import cli, views  # noqa: E402,F401
