"""A real browser at phone width, JavaScript off and on: HR opens the tax year's PTKP statuses from the family
data, is refused a status that contradicts the family data (message at the row, reason kept), and previews a
year-to-date import whose bad row is named in Indonesian (issue 20 items 1 and 9)."""

from __future__ import annotations

import pytest

from kinerja_web.services.payroll import ytd_import

from .helpers import session

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("js", [False, True])
def test_hr_opens_ptkp_year_refuses_contradiction_and_previews_ytd(browser, live_server, shot, tmp_path, js):
    context, page = session(browser, live_server, "kepegawaian", js, PHONE)
    page.goto("/gaji/ptkp?tahun=2026")
    page.get_by_role("button", name="Buat status tahun 2026 dari data keluarga").click()
    page.get_by_text("status dibuat dari data keluarga").wait_for()
    row_id = page.locator("tr[id^=ptkp-]").filter(has_text="tidak kawin, 0 tanggungan").first.get_attribute("id")
    row = page.locator(f"#{row_id}")
    row.locator("select[name=status]").select_option("K/3")
    row.locator("input[name=reason]").fill("Uji penetapan")
    row.locator("button", has_text="Simpan").click()
    row = page.locator(f"#{row_id}")
    row.get_by_text("memerlukan suami/istri").wait_for()
    assert "memerlukan suami/istri" in row.inner_text()
    assert row.locator("input[name=reason]").input_value() == "Uji penetapan"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, f"ptkp-tahun-{'js' if js else 'nojs'}", full_page=False)

    path = tmp_path / "ytd.xlsx"
    path.write_bytes(ytd_import.workbook([["199999999999999999", 2026, 1, 6, "1.000.000", 0, 0]]))
    page.goto("/gaji/impor-ytd")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Pratinjau").click()
    page.get_by_text("tidak dikenal").first.wait_for()
    assert "NIP 199999999999999999 tidak dikenal." in page.content()
    assert "Tidak ada yang disimpan" in page.content()
    context.close()
