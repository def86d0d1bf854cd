"""Helpers shared by the public-service views: loading a unit with authorization, reading a month range."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, request
from flask_login import current_user

from .... import access, uploads
from ....extensions import db
from ....models import Unit
from ....services.public_service import dashboards
from ....timeutil import today_wib


def load_unit(unit_id: int, allowed) -> Unit:
    """The unit, 404 when unknown, 403 when `allowed(user, unit)` says no."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    access.require(allowed(current_user, unit))
    return unit


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def month_range() -> tuple[date, date, str | None]:
    """`?dari=&sampai=` (ISO dates or months) or the last twelve months; an error message for a bad range."""
    start, end = dashboards.default_range(today_wib())
    error = None
    given_start = parse_date(_month(request.args.get("dari")))
    given_end = parse_date(_month(request.args.get("sampai")))
    if request.args.get("dari") and given_start is None or request.args.get("sampai") and given_end is None:
        error = "Tanggal tidak dikenali; gunakan format TTTT-BB-HH. Ditampilkan 12 bulan terakhir."
    elif given_start and given_end and given_end < given_start:
        error = "Tanggal akhir sebelum tanggal awal. Ditampilkan 12 bulan terakhir."
    else:
        start, end = given_start or start, given_end or end
        if (end.year - start.year) * 12 + end.month - start.month > 60:
            start, end = dashboards.default_range(end)
            error = "Rentang paling lama 5 tahun; ditampilkan 12 bulan terakhir dari tanggal akhir."
    return start, end, error


def _month(text: str | None) -> str | None:
    """ "2026-03" → "2026-03-01" (a month picker's value)."""
    if text and len(text) == 7:
        return text + "-01"
    return text


def xlsx_response(body: bytes, filename: str) -> Response:
    return Response(body, mimetype=uploads.XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
