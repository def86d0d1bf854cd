"""Helpers shared by the browser tests that run their own app server (a `server` with `url`)."""

from __future__ import annotations

import os
import re

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


def menu_hrefs(page) -> list[str]:
    """The links of the main menu of the signed-in user: the main pages of that role."""
    hrefs = page.locator("nav[aria-label='Menu utama'] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, "the main menu has no links"
    return hrefs
