"""Helpers shared by the browser tests that run their own app server (a `server` with `url`)."""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from types import SimpleNamespace

from kinerja_web.services.seed.accounts import DEMO_PASSWORD


def session(browser, server, username: str, js: bool, viewport: dict | None = None):
    """A fresh browser context logged in as `username` (demo password); JavaScript on or off; a `viewport`
    such as {"width": 390, "height": 844} for a phone."""
    extra = {"viewport": viewport} if viewport else {}
    context = browser.new_context(base_url=server.url, java_script_enabled=js, locale="id-ID", **extra)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())  # hx-confirm
    page.goto("/masuk")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page


def sample(page, name: str) -> None:
    """Full-page screenshot into KINERJA_SAMPLE_DIR when set (for looking at the pages, not asserted)."""
    if os.environ.get("KINERJA_SAMPLE_DIR"):
        page.screenshot(path=os.path.join(os.environ["KINERJA_SAMPLE_DIR"], f"{name}.png"), full_page=True)


def settled(page) -> None:
    """Wait until htmx has finished its swap *and* settle: the flash of a boosted page is visible at swap time,
    but htmx wires the new content's triggers (e.g. a filter select's `change`) only while settling, so a
    test that acts at once can change a field that nobody listens to yet (a person is never that fast)."""
    page.wait_for_function(
        "() => window.htmx !== undefined && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def browser_app(tmp):
    """The real app on a fresh SQLite file in `tmp`, huey immediate: what a browser test's own server runs."""
    from kinerja_web import create_app

    return create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'kinerja.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )


@contextmanager
def serving(app):
    """Serve `app` with werkzeug in a thread; yields the server (`url`) and stops it afterwards."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)


def menu_hrefs(page) -> list[str]:
    """The links of the main menu of the signed-in user: the main pages of that role."""
    hrefs = page.locator("nav[aria-label='Menu utama'] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, "the main menu has no links"
    return hrefs
