from flask import Blueprint

bp = Blueprint("employees", __name__, template_folder="templates", url_prefix="/pegawai")


from . import family, import_views, views  # noqa: E402,F401
