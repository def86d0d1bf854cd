"""The only module that reads htmx request headers: one URL answers with a page or a fragment."""

from __future__ import annotations

from flask import Response, render_template, request
from jinja2_fragments.flask import render_block, render_blocks


def wants_fragment() -> bool:
    h = request.headers
    return (
        h.get("HX-Request") == "true"
        and h.get("HX-Boosted") != "true"
        and h.get("HX-History-Restore-Request") != "true"
    )


def is_htmx() -> bool:
    """Any request made by htmx (fragment, boosted or history restore)."""
    return request.headers.get("HX-Request") == "true"


def render(template: str, block: str, **ctx) -> str:
    """Full page for normal and boosted requests, one `{% block %}` for htmx requests."""
    return render_block(template, block, **ctx) if wants_fragment() else render_template(template, **ctx)


def render_parts(template: str, blocks: list[str], **ctx) -> str:
    return render_blocks(template, blocks, **ctx) if wants_fragment() else render_template(template, **ctx)


def trigger_name() -> str | None:
    return request.headers.get("HX-Trigger-Name")


def add_vary(resp: Response) -> Response:
    resp.vary.add("HX-Request")
    return resp


def files_by_full_navigation(resp: Response) -> Response:
    """A boosted link (hx-boost on <body>) that answers with a file is fetched by htmx and would be swapped
    into the page as text: the PDF's bytes on screen instead of a download. Answer such a GET with
    HX-Redirect to the same URL instead, so the browser requests it itself and saves the file (every
    download link works boosted or not; without JavaScript the link was a plain GET anyway)."""
    if (
        request.method == "GET"
        and request.headers.get("HX-Boosted") == "true"
        and resp.status_code == 200
        and resp.mimetype != "text/html"
    ):
        resp.close()  # a send_file response holds the open file
        redirect = Response(status=200)
        redirect.headers["HX-Redirect"] = request.full_path.rstrip("?")
        return redirect
    return resp


def init_app(app) -> None:
    app.after_request(files_by_full_navigation)
    app.after_request(add_vary)
