"""A rule table's own form in a real browser at phone width, JavaScript off (issue 19 item 3)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from werkzeug.serving import make_server

from kinerja_web.extensions import db
from tests.browser.test_payroll_browser import login, payroll_app, see

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    app = payroll_app(tmp_path, 60)
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def test_a_bad_cell_is_marked_at_phone_width_and_the_fixed_form_saves(browser, server, shot):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="id-ID")
    with contextlib.closing(ctx) as context:
        page = context.new_page()
        login(page, server, "admin")
        page.goto(f"{server}/gaji/aturan/tpp_komposisi/formulir")
        page.fill("input[name=version_id]", "tpp_komposisi@perbup-2026")
        page.fill("input[name=citation]", "Perbup Lampung Utara 7/2026 Pasal 5")
        page.fill("input[name=berlaku_mulai]", "2026-01-01")
        page.fill("input[name=nilai-kinerja]", "enam puluh")
        page.click("button:has-text('Simpan versi')")
        see(page, "isi persen berupa angka 0–100")
        assert page.input_value("input[name=citation]") == "Perbup Lampung Utara 7/2026 Pasal 5"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "rule-form-390", full_page=True)
        page.fill("input[name=nilai-kinerja]", "65")
        page.fill("input[name=nilai-disiplin]", "35")
        page.click("button:has-text('Simpan versi')")
        see(page, "Versi tpp_komposisi@perbup-2026 untuk Komposisi TPP kinerja/disiplin disimpan.")
