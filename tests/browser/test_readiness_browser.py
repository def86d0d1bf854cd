"""The go-live checklist in a real browser at phone and desktop width, JavaScript off (issue 19 item 3a)."""

from __future__ import annotations

import contextlib

import pytest

from tests.browser.helpers import session

pytestmark = pytest.mark.browser


def test_the_checklist_reads_at_phone_width(browser, live_server, shot):
    context, page = session(browser, live_server, "admin", js=False)
    with contextlib.closing(context):
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto("/admin/kesiapan")
        for title in (
            "Dokumen resmi yang belum dapat diterbitkan",
            "Unit tanpa kop surat",
            "Kualitas data kepegawaian",
        ):
            assert page.get_by_role("heading", name=title).is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "readiness-390", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        shot(page, "readiness-1280", full_page=True)
