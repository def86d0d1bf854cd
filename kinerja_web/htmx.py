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


def init_app(app) -> None:
    app.after_request(add_vary)
