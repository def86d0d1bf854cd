"""Kinerja plus two empty routes, for benchmarks.page_floor only (never served in production).

`/_floor/public` answers "ok" without sign-in: what Flask and Kinerja's request hooks cost.
`/_floor/signed-in` answers "ok" behind `login_required`: what every signed-in page pays before it does
any work of its own (session cookie, user load, permission hooks, transaction end).
"""

from __future__ import annotations

from flask_login import login_required

from kinerja_web import create_app

app = create_app()


@app.get("/_floor/public")
def floor_public() -> str:
    return "ok"


@app.get("/_floor/signed-in")
@login_required
def floor_signed_in() -> str:
    return "ok"
