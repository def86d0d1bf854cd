"""Every main page of every demo role at phone width (390 px): nothing wider than the screen, the menu folded
behind a button that works without JavaScript, forms in one column."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import menu_hrefs, session

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ROLES = ["pegawai", "atasan", "kabid", "kepegawaian", "operator", "verifikator", "pejabat", "admin"]

OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  // Name the widest culprits, so a failure says where to look.
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 4)
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : ''));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.mark.parametrize("username", ROLES)
def test_main_pages_fit_a_phone_screen(browser, live_server, shot, username):
    context, page = session(browser, live_server, username, js=True, viewport=PHONE)
    try:
        overflowing = {}
        for href in menu_hrefs(page):
            page.goto(href)
            found = page.evaluate(OVERFLOW)
            if found:
                overflowing[href] = found
                shot(page, f"phone-overflow-{username}-{href.strip('/').replace('/', '_') or 'beranda'}")
        assert not overflowing, f"pages wider than a 390 px phone for {username}: {overflowing}"
    finally:
        context.close()


def test_phone_menu_is_folded_behind_a_button_without_javascript(browser, live_server, shot):
    context, page = session(browser, live_server, "kepegawaian", js=False, viewport=PHONE)
    try:
        menu = page.get_by_role("navigation", name="Menu utama")
        button = page.locator("summary", has_text="Menu")
        expect(button).to_be_visible()
        expect(menu.get_by_role("link", name="Direktori Pegawai")).to_be_hidden()
        # The content starts near the top: the menu does not push it down a screen.
        assert page.get_by_role("heading", level=1).bounding_box()["y"] < 250
        shot(page, "phone-menu-closed")
        button.click()
        expect(menu.get_by_role("link", name="Direktori Pegawai")).to_be_visible()
        shot(page, "phone-menu-open")
        menu.get_by_role("link", name="Direktori Pegawai").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Direktori Pegawai")
    finally:
        context.close()


def test_desktop_shows_the_menu_without_a_button(browser, live_server):
    context, page = session(browser, live_server, "kepegawaian", js=False, viewport={"width": 1280, "height": 800})
    try:
        expect(page.locator("summary", has_text="Menu")).to_be_hidden()
        expect(
            page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Direktori Pegawai")
        ).to_be_visible()
    finally:
        context.close()


def test_forms_are_one_column_on_a_phone(browser, live_server, shot):
    context, page = session(browser, live_server, "kepegawaian", js=False, viewport=PHONE)
    try:
        page.goto("/pegawai/")
        fields = page.locator("main form input:visible, main form select:visible")
        boxes = [fields.nth(i).bounding_box() for i in range(fields.count())]
        assert len(boxes) >= 2
        lefts = {round(b["x"]) for b in boxes}
        assert len(lefts) == 1, f"form fields side by side on a phone: {boxes}"
        shot(page, "phone-directory-form")
    finally:
        context.close()


def test_a_short_page_starts_under_the_menu_button(browser, live_server, shot):
    """The layout's minimum height once stretched the folded menu's row on short pages, leaving a blank gap of a
    third of the screen above the heading."""
    context, page = session(browser, live_server, "pegawai", js=False, viewport=PHONE)
    try:
        page.goto("/gaji/saya")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Gaji Saya")
        assert heading.bounding_box()["y"] < 250
        shot(page, "phone-short-page")
    finally:
        context.close()
