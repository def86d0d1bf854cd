"""Issue 20 in a real browser, JavaScript off, phone width: HR enters a manual pay amount (a refused entry keeps
what was typed), its maker sees it waiting, another official approves it."""

from __future__ import annotations

import contextlib

import pytest

from .test_payroll_browser import live_server, login, logout, see  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_a_manual_amount_is_entered_refused_fixed_and_approved_by_another_official(browser, live_server, shot):  # noqa: F811
    base, nip = live_server
    with contextlib.closing(
        browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    ) as context:
        page = context.new_page()
        login(page, base, "kepegawaian")
        page.goto(f"{base}/gaji/manual")
        page.fill("input[name=nip]", nip)
        page.fill("input[name=month]", "2026-10")
        page.fill("input[name=label]", "Koreksi gaji putusan PTUN")
        page.fill("input[name=amount]", "0")
        page.select_option("select[name=kind]", "penghasilan")
        page.select_option("select[name=bagian]", "gaji")
        page.fill("input[name=document]", "Putusan PTUN No. 12/G/2026/PTUN.BL")
        page.fill("textarea[name=reason]", "Putusan PTUN membatalkan penundaan gaji berkala")
        page.click("button:has-text('Simpan (menunggu persetujuan)')")
        see(page, "Jumlah harus lebih dari nol")
        assert page.input_value("input[name=label]") == "Koreksi gaji putusan PTUN"
        page.fill("input[name=amount]", "1.250.000")
        page.click("button:has-text('Simpan (menunggu persetujuan)')")
        see(page, "menunggu persetujuan petugas lain")
        shot(page, "gaji-manual-menunggu")
        logout(page)

        login(page, base, "verifikator")
        page.goto(f"{base}/gaji/manual")
        page.click("button:has-text('Setujui')")
        see(page, "disetujui")
        assert "Disetujui" in page.content()
