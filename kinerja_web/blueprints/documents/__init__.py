from datetime import date

from flask import Blueprint

bp = Blueprint("documents", __name__, template_folder="templates", url_prefix="/dokumen")
public_bp = Blueprint("verification", __name__, template_folder="templates")


@bp.app_template_filter("tgl_iso")
def tgl_iso(value: str | None) -> str:
    """ISO date from a frozen document context → "17 Agustus 2025"."""
    from ...jinja import tanggal

    return tanggal(date.fromisoformat(value)) if value else "–"


@public_bp.app_template_global("mask_nip")
def _mask_nip(nip: str) -> str:
    from ...domain.nip import mask_nip

    return mask_nip(nip)


from . import views  # noqa: E402,F401
