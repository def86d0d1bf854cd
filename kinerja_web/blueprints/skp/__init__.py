from flask import Blueprint

bp = Blueprint("skp", __name__, template_folder="templates", url_prefix="/skp")

from . import views  # noqa: E402,F401

# After every route: a GET on each POST-only target leads to its page (views/pages.py).
bp.record_once(views.pages.answer_get_on_post_targets)
