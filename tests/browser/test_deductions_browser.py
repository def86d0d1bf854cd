"""Potongan lain-lain (issue 20) in a real browser: the page at phone width, a refused standing order keeps the
typed values and says why at the field."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import session
from .test_phone_layout import OVERFLOW, PHONE

pytestmark = pytest.mark.browser


def test_a_standing_order_without_consent_document_is_refused_at_the_field(browser, live_server, shot):
    context, page = session(browser, live_server, "operator", js=False, viewport=PHONE)
    try:
        page.goto("/gaji/potongan")
        expect(page.get_by_role("heading", level=1)).to_have_text("Potongan lain-lain")
        assert page.evaluate(OVERFLOW) is None
        page.get_by_label("Nama penerima").fill("Koperasi Uji Peramban")
        page.locator("select[name=jenis]").select_option("koperasi")
        page.get_by_label("Nomor rekening").fill("1234567890")
        page.get_by_role("button", name="Tambah penerima").click()
        expect(page.get_by_text("Penerima Koperasi Uji Peramban disimpan.")).to_be_visible()
        page.get_by_label("NIP pegawai").fill(live_server.target.nip)
        page.locator("select[name=payee_id]").first.select_option(
            label="Koperasi Uji Peramban (Koperasi (iuran/angsuran))"
        )
        page.get_by_label("Jumlah per bulan (Rp)").fill("250.000")
        page.locator("input[name=mulai]").first.fill("2026-10")
        page.locator("input[name=dokumen]").first.evaluate("el => el.removeAttribute('required')")
        page.get_by_role("button", name="Simpan perintah potong").click()
        expect(page.get_by_text("Unggah dokumen persetujuan pegawai")).to_be_visible()
        expect(page.get_by_label("Jumlah per bulan (Rp)")).to_have_value("250.000")
        assert page.evaluate(OVERFLOW) is None
        shot(page, "potongan-lain-ditolak-tanpa-dokumen", full_page=True)
    finally:
        context.close()
