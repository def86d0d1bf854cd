"""The 360 cycle form in a real browser, JavaScript on and off: HR picks the units by ticking checkboxes (no
Ctrl-click), and the cycle page names the rater groups by their labels."""

from __future__ import annotations

import re

import pytest

from kinerja_web.services.seed.accounts import DEMO_PASSWORD

from .helpers import sample as _sample

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_hr_picks_units_with_checkboxes(browser, live_server, js):
    from playwright.sync_api import expect

    ctx = browser.new_context(base_url=live_server.url, locale="id-ID", java_script_enabled=js)
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.goto("/masuk")
    page.locator("input[name=username]").fill("kepegawaian")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/penilaian-360/siklus/baru")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _sample(page, f"siklus-360-baru-{width}-{'js' if js else 'nojs'}")
    boxes = page.locator("#field-unit_ids input[type=checkbox]")
    assert boxes.count() > 2
    name = f"Siklus uji {'js' if js else 'nojs'}"
    page.get_by_label("Nama siklus").fill(name)
    page.get_by_label("Tahun", exact=True).fill("2026")
    page.get_by_label("Periode", exact=True).fill("Tahunan 2026")
    page.get_by_label("Periode mulai").fill("2026-01-01")
    page.get_by_label("Periode berakhir").fill("2026-12-31")
    page.get_by_label("Batas waktu pengisian").fill("2026-12-31")
    boxes.nth(0).check()
    boxes.nth(1).check()  # a second unit: a plain click, no Ctrl
    page.get_by_role("button", name="Simpan siklus").click()
    expect(page.locator("#pesan")).to_contain_text("Siklus penilaian 360 tersimpan")
    expect(page.locator("h1")).to_contain_text(name)
    units = page.locator("dt:text('Unit kerja') + dd").inner_text()
    assert units.count(",") == 1  # both units
    groups = page.locator("dt:text('Kelompok penilai') + dd").inner_text()
    assert "Rekan kerja" in groups and "Diri sendiri" in groups
    ctx.close()
