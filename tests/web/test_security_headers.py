"""Every response carries the security headers: a strict CSP that forbids framing, nosniff, a referrer policy, and
`Cache-Control: no-store` on everything but static files (pages of a signed-in user, downloads, error pages).

The walk requests every GET route of the URL map as several roles, with the ids of a small organisation and an
issued PDF; a route whose object does not exist answers 404, which must carry the headers as well.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from kinerja_web.extensions import db
from kinerja_web.models import Letterhead

from .documents.test_documents import issue_sk, setup_docs  # noqa: F401  (the fixture with a letterhead and registers)

TEMPLATES = Path(__file__).resolve().parents[2] / "kinerja_web"
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

VIEWED_FILES = {"application/pdf", "image/png", "image/jpeg"}


def csp_of(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


def assert_secure_headers(response, what: str) -> None:
    directives = csp_of(response)
    if response.mimetype in VIEWED_FILES:  # Chromium's PDF viewer needs its own <embed> and inline styles
        assert directives == {"frame-ancestors": "'none'"}, what
    else:
        for name, value in CSP_DIRECTIVES.items():
            assert directives.get(name) == value, f"{what}: CSP {name} is {directives.get(name)!r}"
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], what
        assert "unsafe-eval" not in response.headers["Content-Security-Policy"], what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "same-origin", what


def assert_not_stored(response, what: str) -> None:
    assert "no-store" in response.headers.get("Cache-Control", ""), f"{what}: Cache-Control {response.cache_control}"


def url_values(rule, ids: dict[str, int]) -> dict[str, object]:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif name == "fmt":
            values[name] = "xlsx"
        elif name == "filename":
            values[name] = "css/app.css"
        elif name in ids:
            values[name] = ids[name]
        elif converter.regex.startswith("\\d"):
            values[name] = 1
        else:
            values[name] = "x"
    return values


def test_every_get_route_answers_with_the_security_headers(app, setup_docs):  # noqa: F811
    oc = setup_docs
    doc = issue_sk(oc, [oc.staff1])
    letterhead = db.session.scalars(select(Letterhead).where(Letterhead.unit_id == oc.opd.id)).one()
    ids = {
        "employee_id": oc.staff1.id,
        "unit_id": oc.opd.id,
        "opd_id": oc.opd.id,
        "position_id": oc.p_staff1.id,
        "user_id": oc.u_staff.id,
        "doc_id": doc.id,
        "document_id": doc.id,
        "letterhead_id": letterhead.id,
    }
    adapter = app.url_map.bind("kinerja.test")
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    seen: dict[str, int] = {}
    for user in (oc.u_admin, oc.u_hr, oc.u_pejabat, oc.u_staff):
        client = app.test_client(user=user)
        for rule in rules:
            url = adapter.build(rule.endpoint, url_values(rule, ids))
            r = client.get(url)
            what = f"{user.username} GET {url} → {r.status_code} {r.mimetype}"
            assert r.status_code != 500, what
            assert_secure_headers(r, what)
            if rule.endpoint == "static":
                assert "no-store" not in r.headers.get("Cache-Control", ""), what  # CSS and htmx stay cacheable
            else:
                assert_not_stored(r, what)
            kind = "html" if r.mimetype == "text/html" else r.mimetype
            seen[f"{r.status_code} {kind}"] = seen.get(f"{r.status_code} {kind}", 0) + 1
    # the walk did reach pages, downloads and error pages
    for kind in ("200 html", "200 application/pdf", "404 html", "403 html"):
        assert seen.get(kind), (kind, seen)
    assert any(k.startswith("200 application/vnd.openxmlformats") for k in seen), seen


def test_csv_download_is_not_stored(app, org_chart):
    r = app.test_client(user=org_chart.u_hr).get("/pegawai/impor/templat.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert_secure_headers(r, "csv")
    assert_not_stored(r, "csv")
    boosted = app.test_client(user=org_chart.u_hr).get("/pegawai/impor/templat.csv", headers={"HX-Boosted": "true"})
    assert boosted.headers["HX-Redirect"]  # htmx's hook replaced the response: the headers are still set
    assert_secure_headers(boosted, "boosted csv")
    assert_not_stored(boosted, "boosted csv")


def test_anonymous_pages_and_redirects_carry_the_headers(client):
    for url in ("/masuk", "/", "/tidak-ada", "/verifikasi/TIDAKADA"):
        r = client.get(url)
        assert r.status_code != 500, url
        assert_secure_headers(r, url)
        assert_not_stored(r, url)


def test_a_server_error_page_carries_the_headers(app, org_chart, monkeypatch):
    def boom():
        raise RuntimeError("uji galat server")

    monkeypatch.setitem(app.view_functions, "dashboard.index", boom)
    r = app.test_client(user=org_chart.u_staff).get("/")
    assert r.status_code == 500
    assert_secure_headers(r, "500")
    assert_not_stored(r, "500")


def test_a_static_file_carries_the_headers_and_stays_cacheable(client):
    r = client.get("/static/vendor/htmx-2.min.js")
    assert r.status_code == 200
    assert_secure_headers(r, "static")
    assert "no-store" not in r.headers.get("Cache-Control", "")


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\bhx-on\b|hx-on:|hx-vars|js:", re.I), "htmx attribute that needs eval"),
]


def browser_templates() -> list[Path]:
    """Templates served to the browser; those under pdf/ go to WeasyPrint only and never meet the CSP."""
    return [p for p in sorted(TEMPLATES.rglob("templates/**/*.html")) if "pdf" not in p.relative_to(TEMPLATES).parts]


@pytest.mark.parametrize("template", browser_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_browser_templates_hold_nothing_the_csp_blocks(template):
    text = template.read_text(encoding="utf-8")
    found = [label for pattern, label in INLINE if pattern.search(text)]
    assert not found, found
