"""The rating rule form in a real browser at phone width, JavaScript off: an overlapping start date is refused at
its field with everything typed kept; the corrected version saves and shows in the history."""

from __future__ import annotations

import contextlib

import pytest

from tests.browser.test_payroll_browser import login, see
from tests.browser.test_rule_form_browser import server  # noqa: F401 (the payroll demo on a live server)

pytestmark = pytest.mark.browser


def test_an_overlapping_version_is_refused_at_its_field_and_the_fixed_one_saves(browser, server, shot):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="id-ID")
    with contextlib.closing(ctx) as context:
        page = context.new_page()
        login(page, server, "kepegawaian")
        page.goto(f"{server}/penilaian-kinerja/aturan/batas_keberatan")
        page.fill("input[name=hari]", "10")
        page.select_option("select[name=jenis]", "kerja")
        page.fill("input[name=citation]", "Perbup Lampung Utara 3/2027 Pasal 4")
        page.fill("input[name=berlaku_mulai]", "2021-01-01")
        page.click("button:has-text('Simpan versi')")
        see(page, "Tumpang tindih")
        assert page.input_value("input[name=citation]") == "Perbup Lampung Utara 3/2027 Pasal 4"
        assert page.input_value("input[name=hari]") == "10"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "rating-rule-form-390", full_page=True)
        page.fill("input[name=berlaku_mulai]", "2027-01-01")
        page.click("button:has-text('Simpan versi')")
        see(page, "Batas keberatan: 14 hari → 10 hari kerja")
        see(page, "Perbup Lampung Utara 3/2027 Pasal 4")
