"""The main menu in a real browser: the search box filters a long menu, the groups fold without JavaScript, and
the keyboard sees where it is (skip link, focus ring)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import session

pytestmark = pytest.mark.browser


def visible_menu_labels(page) -> list[str]:
    return [t.strip() for t in page.get_by_role("navigation", name="Menu utama").get_by_role("link").all_inner_texts()]


def test_menu_search_filters_and_enter_opens_the_first_match(browser, live_server, shot):
    context, page = session(browser, live_server, "kepegawaian", js=True)
    try:
        box = page.get_by_role("searchbox", name="Cari menu")
        box.fill("rujukan")
        assert visible_menu_labels(page) == ["Antrean Rujukan", "Aturan Rujukan"]
        box.fill("keuangan")  # a group's name finds its entries
        assert visible_menu_labels(page) == [
            "Penggajian",
            "Dasbor TPP",
            "Kehadiran & Predikat",
            "Potongan Lain-lain",
            "Jumlah Manual Gaji",
            "Aturan Gaji",
            "Status PTKP per Tahun",
            "Impor Penghasilan Awal Tahun",
            "Bukti Potong Tahunan",
        ]
        box.fill("tidak ada yang begini")
        assert visible_menu_labels(page) == []
        expect(page.get_by_text("Tidak ada menu yang cocok.")).to_be_visible()
        box.fill("antrean")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/pengembangan/antrean$"))
        shot(page, "menu-search-after-enter")
    finally:
        context.close()


def test_groups_fold_without_javascript_and_the_search_box_stays_hidden(browser, live_server):
    context, page = session(browser, live_server, "kepegawaian", js=False)
    try:
        expect(page.get_by_role("searchbox", name="Cari menu")).to_be_hidden()
        menu = page.get_by_role("navigation", name="Menu utama")
        expect(menu.get_by_role("link", name="Penggajian")).to_be_visible()
        menu.locator("summary", has_text="Keuangan").click()
        expect(menu.get_by_role("link", name="Penggajian")).to_be_hidden()
        expect(menu.get_by_role("link", name="Log Audit")).to_be_visible()
    finally:
        context.close()


def test_skip_link_and_a_visible_focus_ring_on_the_dark_header(browser, live_server, shot):
    context, page = session(browser, live_server, "pegawai", js=True)
    try:
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Langsung ke isi")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        page.keyboard.press("Tab")  # the brand link, white on the dark header
        ring = page.evaluate(
            "() => getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineColor"
        )
        assert ring == "solid rgb(255, 212, 59)", ring
        shot(page, "focus-on-header")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"#isi$"))
        assert page.evaluate("document.activeElement.id") == "isi"
    finally:
        context.close()
