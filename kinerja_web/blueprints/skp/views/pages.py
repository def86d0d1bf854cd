"""Every SKP address a person can land on answers GET (issue 19 item 7: no 405 on reload).

A form posts to its own target (`/skp/12/ajukan`); when the answer is a page (bad input: 422) rather than a
redirect, a boosted request would leave that target in the address bar and F5 would GET it: 405. So:
- a boosted POST answered with a page carries `HX-Push-Url`: the address of the page it shows;
- a GET on a POST-only target (a reload without JavaScript, a copied address) goes to that page (303), by the
  table below (`web.form_targets_answer_get`).
A target that is also a page (`/skp/12/realisasi?periode=2`, `/skp/periode`) is its own page.
"""

from __future__ import annotations

from flask import Response, request, url_for

from ....web import form_page_url, form_targets_answer_get
from .. import bp

# POST-only targets outside one SKP's page: the page their form sits on; every other one is on its SKP's page.
form_targets_answer_get(
    bp,
    {
        "create": lambda: url_for("skp.index"),
        "bulk_approve": lambda: url_for("skp.inbox"),
        "period_status": lambda period_id: url_for("skp.periods"),
        "delete_template": lambda template_id: url_for("skp.templates"),
        "issue_realisasi_pdf": lambda skp_id: url_for(
            "skp.realisasi", skp_id=skp_id, periode=request.args.get("periode")
        ),
    },
    default=lambda skp_id, **_: url_for("skp.show", skp_id=skp_id),
)


@bp.after_request
def push_page_url(resp: Response) -> Response:
    if (
        request.method != "POST"
        or request.headers.get("HX-Boosted") != "true"
        or resp.status_code >= 300
        and resp.status_code < 400
        or resp.mimetype != "text/html"
        or request.url_rule is None
    ):
        return resp
    if "GET" in request.url_rule.methods:
        resp.headers["HX-Push-Url"] = request.full_path.rstrip("?")
    else:
        resp.headers["HX-Push-Url"] = form_page_url(request.endpoint, request.view_args or {})
    return resp
