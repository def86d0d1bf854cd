"""Security headers on every response, in one hook: what the browser may load, run and frame, and what it may keep.

The pages hold no inline script or style (tests/web/test_security_headers.py checks the templates), so the
policy needs no nonce and no 'unsafe-inline': htmx and its config come from static files and a <meta>, and
eval is off in that config (no hx-on, no trigger filters). `data:` images are pico.css's icons.
"""

from __future__ import annotations

from flask import Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",  # a framed page with live buttons is a clickjacking target
    ]
)
# Chromium shows a PDF (and an image opened on its own) inside a page it builds itself, with inline styles and an
# <embed> that the policy above would refuse: a blank or cut-off document (crbug.com/271452). These files run no
# script of ours (their type is checked from their content on upload), so they get only the framing rule.
VIEWER_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
VIEWER_POLICY = "frame-ancestors 'none'"


def set_security_headers(resp: Response) -> Response:
    """Runs for pages, fragments, downloads, redirects and error pages alike.

    Everything but the static files (CSS, htmx, fonts) is `no-store`: pages show personal data, downloads are
    payslips and decrees, and a shared office computer's cache or back button must not show them again.
    """
    viewed = resp.mimetype in VIEWER_TYPES
    resp.headers["Content-Security-Policy"] = VIEWER_POLICY if viewed else CONTENT_SECURITY_POLICY
    resp.headers["X-Frame-Options"] = "DENY"  # frame-ancestors for browsers that predate it
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        resp.headers["Cache-Control"] = "no-store"
    return resp


def init_app(app) -> None:
    app.after_request(set_security_headers)
