"""A real browser (JavaScript off) creates, computes and finalises a THR run, and opens the "Mengapa" page."""

from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from kinerja_web.domain.payroll.codec import encode
from kinerja_web.domain.payroll.special import default_special_table
from kinerja_web.extensions import db
from kinerja_web.models import PayrollRunEmployee, User
from kinerja_web.services.payroll import compute, rules, runs
from tests.browser.test_payroll_browser import login, logout, payroll_app, see

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
OCT = date(2026, 10, 1)


@pytest.fixture
def live_server(tmp_path):
    app = payroll_app(tmp_path, 150)
    with app.app_context():
        users = {
            n: db.session.scalar(select(User).where(User.username == n)) for n in ("operator", "verifikator", "pejabat")
        }
        data = encode(default_special_table().versions[-1].data)
        data["thr"]["tmt_paling_lambat"] = "2026-03-01"
        rules.add_rule_version(
            rules.RuleVersionDraft(
                "thr_gaji13", "thr_gaji13@2026", date(2026, 1, 1), date(2026, 12, 31), "PP THR 2026 (uji)", data
            ),
            users["operator"],
        )
        run = runs.create_run(OCT, None, users["operator"])
        compute.compute_run(run, users["operator"])
        for step, who in (("verify", "verifikator"), ("approve", "pejabat"), ("finalise", "pejabat")):
            runs.transition(run, step, users[who])
        employee_id = db.session.scalar(
            select(PayrollRunEmployee.employee_id).where(PayrollRunEmployee.run_id == run.id).limit(1)
        )
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", employee_id
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def test_a_thr_run_is_created_and_explained_with_javascript_off(browser, live_server, shot):
    base, employee_id = live_server
    # The session's Chromium (tests/browser/conftest.py): a second sync_playwright() in the same thread fails.
    with contextlib.closing(browser.new_context(java_script_enabled=False)) as context:
        page = context.new_page()

        login(page, base, "operator")
        page.goto(f"{base}/gaji/")
        page.select_option("select[name=kind]", "thr")
        page.fill("input[name=month]", "2026-10")
        page.click("button:has-text('Buat proses penggajian')")
        see(page, "Langkah berikutnya: hitung")
        assert "THR tahun 2026, dibayar Oktober 2026" in page.content()
        run_url = page.url
        page.click("button:has-text('Hitung')")
        see(page, "Daftar varians")
        page.goto(f"{base}/gaji/")
        page.select_option("select[name=kind]", "thr")
        page.fill("input[name=month]", "2026-11")
        page.click("button:has-text('Buat proses penggajian')")
        see(page, "Sudah ada proses THR tahun 2026")
        logout(page)

        login(page, base, "verifikator")
        page.goto(run_url)
        page.click("button:has-text('Verifikasi')")
        see(page, "Proses penggajian diverifikasi.")
        logout(page)
        login(page, base, "pejabat")
        page.goto(run_url)
        page.click("button:has-text('Setujui')")
        see(page, "Proses penggajian disetujui.")
        page.click("button:has-text('Finalkan')")
        see(page, "Final (terkunci)")
        logout(page)

        login(page, base, "operator")
        page.goto(f"{run_url}/pegawai/{employee_id}")
        see(page, "Mengapa THR sebesar ini?")
        text = page.content()
        assert "PP THR 2026 (uji)" in text and "PMK 168/2023 Pasal 5" in text
        shot(page, "payroll-thr-mengapa", full_page=True)
