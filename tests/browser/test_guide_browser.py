"""Panduan in a real browser: the "?" of a screen opens its section, with and without JavaScript, at phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_roles import log_in

pytestmark = pytest.mark.browser


def test_the_question_mark_on_my_pay_opens_the_pay_guide_with_the_rules_in_force(page, shot):
    log_in(page, "pegawai")
    page.goto("/gaji/saya")
    page.locator("a.help-link").click()
    expect(page).to_have_url(re.compile(r"/panduan/tpp-pph21$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bagaimana gaji, TPP dan PPh 21 dihitung")
    expect(page.get_by_role("heading", name="Aturan TPP yang berlaku bulan")).to_be_visible()
    shot(page, "guide-tpp", full_page=True)


def test_the_guide_reads_at_phone_width_without_javascript(browser, live_server, shot):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, "atasan")
        page.goto("/panduan/predikat")
        expect(page.get_by_role("heading", name="Matriks predikat yang dipakai Kinerja")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        shot(page, "guide-predikat-390", full_page=True)
        assert overflow <= 0
        page.locator("a[rel=next]").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bila Anda tidak setuju: keberatan")
    finally:
        context.close()
