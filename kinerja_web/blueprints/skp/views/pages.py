"""Every SKP address a person can land on answers GET (issue 19 item 7: no 405 on reload).

A form posts to its own target (`/skp/12/ajukan`); when the answer is a page (bad input: 422) rather than a
redirect, a boosted request would leave that target in the address bar and F5 would GET it: 405. So:
- a boosted POST answered with a page carries `HX-Push-Url`: the address of the page it shows;
- a GET on a POST-only target (a reload without JavaScript, a copied address) goes to that page (303).
A target that is also a page (`/skp/12/realisasi?periode=2`, `/skp/periode`) is its own page.
"""

from __future__ import annotations

from flask import Response, redirect, request, url_for

from .. import bp

# POST-only targets outside one SKP's page: the page their form sits on.
LIST_PAGES = {
    "skp.create": "skp.index",
    "skp.bulk_approve": "skp.inbox",
    "skp.period_status": "skp.periods",
    "skp.delete_template": "skp.templates",
}


def page_of(endpoint: str, view_args: dict, args) -> str:
    """The GET page a POST-only SKP target belongs to."""
    if endpoint in LIST_PAGES:
        return url_for(LIST_PAGES[endpoint])
    if endpoint == "skp.issue_realisasi_pdf":
        return url_for("skp.realisasi", skp_id=view_args["skp_id"], periode=args.get("periode"))
    return url_for("skp.show", skp_id=view_args["skp_id"])


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
        resp.headers["HX-Push-Url"] = page_of(request.endpoint, request.view_args or {}, request.args)
    return resp


def _to_page(endpoint: str):
    def view(**view_args):
        return redirect(page_of(endpoint, view_args, request.args), 303)

    return view


def answer_get_on_post_targets(state) -> None:
    """Registered on the blueprint after every view module (blueprints/skp/__init__.py), so it runs once the
    SKP routes are on the app."""
    for rule in list(state.app.url_map.iter_rules()):
        if rule.endpoint.startswith("skp.") and "POST" in rule.methods and "GET" not in rule.methods:
            state.app.add_url_rule(rule.rule, f"{rule.endpoint}__page", _to_page(rule.endpoint), methods=["GET"])
