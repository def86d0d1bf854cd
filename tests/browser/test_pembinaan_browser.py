"""Pembinaan kinerja in a real browser: HR starts a plan, the atasan logs a coaching session and records the
6-month review, the employee sees it all; HR sees the recommended next step. With and without JavaScript."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from kinerja_web.domain.pembinaan import add_months

pytestmark = pytest.mark.browser

PASSWORD = "demo12345"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo regency exactly as `flask seed demo` builds it (including the follow-up examples)."""
    from werkzeug.serving import make_server

    from kinerja_web import create_app
    from kinerja_web.extensions import db
    from kinerja_web.services.seed import accounts, demo, org
    from kinerja_web.timeutil import today_wib

    tmp = tmp_path_factory.mktemp("pembinaan-browser")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'k.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )
    with app.app_context():
        db.create_all()
        today = today_wib()
        org.build_regency(400, today=today)
        accounts.create_demo_accounts(today)
        demo.seed_followup_demo(today)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", today=today)
    server.shutdown()
    thread.join(timeout=5)


def _session(browser, server, username: str, js: bool):
    context = browser.new_context(base_url=server.url, java_script_enabled=js, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())  # hx-confirm
    page.goto("/masuk")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page


def test_hr_starts_atasan_coaches_and_reviews_employee_sees_it(browser, demo_server, shot):
    start = add_months(demo_server.today, -6)  # agreed on paper six months ago: the review is due today

    # --- HR: the employee's low predikat waits in the queue; start the plan ---------------------------------
    ctx, page = _session(browser, demo_server, "kepegawaian", True)
    page.locator("aside.sidenav").get_by_role("link", name="Pembinaan Kinerja").click()
    queue = page.locator("#perlu")
    expect(queue).to_contain_text("Perlu rencana pembinaan (1)")
    queue.get_by_role("button", name="Mulai pembinaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mulai rencana pembinaan")
    page.locator("input[name=start_date]").fill(start.isoformat())
    page.locator("textarea[name=goal]").fill("Laporan bulanan tepat waktu sesuai target SKP.")
    page.locator("input[name='actions-0-summary']").fill("Menyusun jadwal kerja mingguan")
    page.locator("input[name='actions-0-target_date']").fill(add_months(start, 1).isoformat())
    shot(page, "pembinaan-start", full_page=True)
    page.get_by_role("button", name="Mulai pembinaan").click()
    page.wait_for_url(re.compile(r"/pembinaan/\d+$"))
    expect(page.locator("#pesan")).to_contain_text("dimulai")
    plan_url = page.url
    ctx.close()

    # --- atasan: logs a coaching session, then records the 6-month review ---------------------------------
    ctx, page = _session(browser, demo_server, "atasan", True)
    page.goto(plan_url)
    form = page.locator("#sesi form")
    form.locator("textarea[name=notes]").fill("Membahas hambatan laporan; draf dikirim setiap Jumat.")
    form.get_by_role("button", name="Simpan sesi").click()
    expect(page.locator("#pesan")).to_contain_text("Sesi pembinaan dicatat.")
    expect(page.locator("#sesi")).to_contain_text("draf dikirim setiap Jumat")
    review = page.locator("#tinjauan form")
    review.get_by_label("Tidak membaik").check()
    review.locator("textarea[name=notes]").fill("Target laporan tetap tidak tercapai.")
    review.get_by_role("button", name="Catat hasil tinjauan").click()
    expect(page.locator("#pesan")).to_contain_text("Hasil tinjauan dicatat: Tidak membaik")
    shot(page, "pembinaan-plan-atasan", full_page=True)
    ctx.close()

    # --- the employee sees the plan, the session and the outcome ------------------------------------------
    ctx, page = _session(browser, demo_server, "pegawai", False)
    page.locator("aside.sidenav").get_by_role("link", name="Pembinaan Kinerja").click()
    page.locator("#rows a").first.click()
    expect(page.locator("#sesi")).to_contain_text("draf dikirim setiap Jumat")
    expect(page.locator("#tinjauan")).to_contain_text("Tidak membaik")
    expect(page.locator("#sesi")).not_to_contain_text("Catat sesi pembinaan")
    shot(page, "pembinaan-plan-pegawai", full_page=True)
    ctx.close()

    # --- HR sees the recommended next step with its legal basis and records the follow-up (no JS) ----------
    ctx, page = _session(browser, demo_server, "kepegawaian", False)
    page.goto(plan_url)
    expect(page.locator("#tinjauan")).to_contain_text("Pindah ke jabatan yang sesuai atau lebih rendah")
    expect(page.locator("#tinjauan")).to_contain_text("PP 30/2019 Pasal 58")
    page.locator("#tinjauan textarea[name=notes]").fill("Dipindahkan ke jabatan pelaksana lain yang lowong.")
    page.get_by_role("button", name="Catat tindak lanjut").click()
    expect(page.locator("#pesan")).to_contain_text("Tindak lanjut dicatat")
    ctx.close()


def test_hr_award_list_shows_the_demo_proposal_with_its_reason(browser, demo_server, shot):
    ctx, page = _session(browser, demo_server, "kepegawaian", True)
    page.locator("aside.sidenav").get_by_role("link", name="Penghargaan").click()
    page.get_by_role("button", name="Kelola usulan dan SK Penghargaan").click()
    expect(page.locator("#rows")).to_contain_text("Predikat kinerja Sangat Baik")
    expect(page.locator("#rows")).to_contain_text("Usulan atasan")
    shot(page, "penghargaan-kelola", full_page=True)
    ctx.close()
