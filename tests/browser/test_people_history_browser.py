"""A pegawai reads who changed their data, and who appraises them on a date, in a real browser (with and
without JavaScript, at desktop and phone width)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .helpers import session

pytestmark = pytest.mark.browser


def _profile_of(page, username: str) -> str:
    page.goto(f"/admin/pengguna?q={username}")
    page.locator("a", has_text=re.compile(rf"^{username}$")).first.click()
    page.wait_for_url(re.compile(r"/admin/pengguna/\d+$"))
    page.get_by_role("link", name="profil pegawai").click()
    page.wait_for_url(re.compile(r"/pegawai/\d+$"))
    return urlsplit(page.url).path


def test_a_pegawai_sees_the_change_hr_made_and_their_appraiser(browser, live_server, shot):
    ctx, hr = session(browser, live_server, "kepegawaian", js=True)
    profile = _profile_of(hr, "pegawai")
    hr.goto(profile + "/ubah")
    hr.locator("input[name=phone]").fill("0812 3456 7890")
    hr.locator("button[name=action][value=simpan]").click()
    hr.wait_for_url(re.compile(re.escape(profile) + "$"))
    ctx.close()

    for js in (True, False):
        ctx, me = session(browser, live_server, "pegawai", js=js)
        me.goto(profile)
        me.get_by_role("link", name="Siapa yang mengubah data saya").click()
        me.wait_for_url(re.compile("/riwayat-perubahan$"))
        table = me.locator("table.audit").inner_text()
        assert "Telepon" in table and "0812 3456 7890" in table and "kepegawaian" in table.lower()
        if js:
            shot(me, "riwayat-perubahan-1280", full_page=True)
            me.set_viewport_size({"width": 390, "height": 844})
            shot(me, "riwayat-perubahan-390", full_page=True)
            assert me.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        me.goto(profile + "/pejabat-penilai?tanggal=2026-01-15")
        assert "Pada 15 Januari 2026" in me.locator("#hasil").inner_text()
        if js:
            shot(me, "pejabat-penilai-390", full_page=True)
        ctx.close()
