"""A real browser walks the payroll "done when" path with four accounts (operator, verifikator, pejabat, pegawai)."""

from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from sqlalchemy import insert, select
from werkzeug.serving import make_server

from kinerja_web import create_app
from kinerja_web.extensions import db
from kinerja_web.models import Employee, PayrollPredikat, User
from kinerja_web.services.payroll import rules
from kinerja_web.services.seed.accounts import DEMO_PASSWORD, create_demo_accounts
from kinerja_web.services.seed.org import build_regency

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
TODAY = date(2026, 11, 2)


def payroll_app(tmp_path, employees: int):
    """The real app on a SQLite file: a regency, the demo accounts, the shipped payroll rules and a predikat
    for October 2026 for everyone (what a month needs before it can be computed)."""
    from benchmarks.payroll import repair_mkg

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/browser.sqlite3",
            "SECRET_KEY": "browser-test",
            "HUEY_IMMEDIATE": True,
        }
    )
    with app.app_context():
        db.create_all()
        build_regency(employees, today=TODAY)
        create_demo_accounts(TODAY)
        repair_mkg()
        rules.seed_rules()
        ids = db.session.scalars(select(Employee.id)).all()
        db.session.execute(
            insert(PayrollPredikat),
            [{"employee_id": i, "month": date(2026, 10, 1), "predikat": "baik", "source": "uji"} for i in ids],
        )
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture
def live_server(tmp_path):
    app = payroll_app(tmp_path, 400)
    with app.app_context():
        pegawai_nip = db.session.scalar(select(User).where(User.username == "pegawai")).employee.nip
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pegawai_nip
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def login(page, base, username):
    page.goto(f"{base}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    see(page, "Keluar")


def see(page, text: str) -> None:
    """Wait for the text (boosted forms swap the page after the click returns)."""
    page.get_by_text(text).first.wait_for(timeout=20000)


def logout(page):
    page.click("text=Keluar")


def test_the_month_goes_from_attendance_import_to_a_published_slip_in_the_browser(browser, live_server, tmp_path):
    base, nip = live_server
    absen = tmp_path / "absen.csv"
    absen.write_text(
        "nip,tanggal,terlambat_menit,pulang_cepat_menit,kode_absen,jenis_cuti\n"
        f"{nip},2026-10-05,45,0,,\n{nip},2026-10-06,0,0,TK,\n"
    )
    # The session's Chromium (tests/browser/conftest.py): a second sync_playwright() in the same thread fails.
    with contextlib.closing(browser.new_context()) as context:
        page = context.new_page()

        login(page, base, "operator")
        page.goto(f"{base}/gaji/kehadiran")
        page.locator("input[name=month]").first.fill("2026-10")
        page.locator("input[name=file]").first.set_input_files(str(absen))
        page.click("button:has-text('Impor kehadiran')")
        see(page, "2 baris kehadiran Oktober 2026 diimpor")
        page.goto(f"{base}/gaji/")
        page.fill("input[name=month]", "2026-10")
        page.click("button:has-text('Buat proses penggajian')")
        see(page, "Langkah berikutnya: hitung")
        run_url = f"{base}/gaji/run/1"
        page.click("button:has-text('Hitung')")
        see(page, "Daftar varians")
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

        login(page, base, "pegawai")
        page.click("nav >> text=Gaji Saya")
        page.click("text=Slip dan penjelasan")
        see(page, "Mengapa gaji saya sebesar ini?")
        text = page.content()
        assert "Mengapa gaji saya sebesar ini?" in text and "6 Oktober 2026" in text
