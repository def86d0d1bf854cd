"""Helpers shared by the competency pages."""

from __future__ import annotations

from flask import Response, abort, request

from ....extensions import db
from ....models import Unit, UnitKind
from ....request_input import query_int

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def opd_from_args() -> Unit | None:
    """`?opd=` narrows to one OPD; an unknown id (or a unit that is not an OPD) is a 404."""
    opd_id = request.args.get("opd", type=query_int)
    if not opd_id:
        return None
    unit = db.session.get(Unit, opd_id)
    if unit is None or unit.kind != UnitKind.OPD:
        abort(404)
    return unit
