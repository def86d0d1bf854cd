"""Ekspor nasional in a real browser: HR downloads a SIASN layout and reconciles a SIASN file, at phone width and
without JavaScript (downloads and the upload are plain forms)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .helpers import session

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_hr_downloads_a_siasn_layout_and_reconciles_a_file(browser, live_server, shot, tmp_path, js):
    context, page = session(browser, live_server, "kepegawaian", js=js, viewport=PHONE)
    try:
        page.goto("/ekspor/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ekspor ke sistem nasional")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        shot(page, f"national-index-390-{'js' if js else 'nojs'}", full_page=True)
        article = page.locator("article", has=page.get_by_role("heading", name="SKP dan predikat (e-Kinerja/SIASN)"))
        with page.expect_download() as info:
            article.get_by_role("button", name="Unduh XLSX").click()
        download = info.value
        assert download.suggested_filename.startswith("siasn-kinerja-") and download.suggested_filename.endswith(
            ".xlsx"
        )
        header = next(load_workbook(io.BytesIO(open(download.path(), "rb").read())).active.iter_rows(values_only=True))
        assert header[:3] == ("nipBaru", "nama", "tahun")

        target = live_server.target
        siasn = tmp_path / "siasn.csv"
        siasn.write_text(f"NIP BARU;NAMA;GOL AKHIR NAMA\n{target.nip};{target.name};IV/e\n", encoding="utf-8")
        page.goto("/ekspor/rekonsiliasi-siasn")
        page.locator("input[type=file][name=file]").set_input_files(str(siasn))
        page.get_by_role("button", name="Bandingkan", exact=True).click()
        expect(page.get_by_role("heading", name="Hasil: siasn.csv")).to_be_visible()
        row = page.locator("tr", has_text=target.nip)
        expect(row).to_contain_text("Golongan")
        expect(row).to_contain_text("IV/e")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        shot(page, f"national-reconcile-390-{'js' if js else 'nojs'}", full_page=True)
    finally:
        context.close()
