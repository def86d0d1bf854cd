"""A real browser walks the competency part of the "done when" path: HR imports the provider's results with three
bad rows and fixes them, the employee sees their profile and gap, HR sees the suggested referral in the queue
(with its reason) and assigns it."""

from __future__ import annotations

import io
import re
import threading

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from kinerja_web import create_app
from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.extensions import db
from kinerja_web.models import Employee, Position, PositionKind, User
from kinerja_web.services.competency import assessments, dictionary
from kinerja_web.services.seed.accounts import create_demo_accounts
from kinerja_web.services.seed.development import seed_development
from kinerja_web.services.seed.org import build_regency
from kinerja_web.timeutil import today_wib

from .conftest import ARTIFACTS
from .helpers import settled
from .test_referrals_browser import login

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    from unittest import mock

    from werkzeug.security import generate_password_hash

    from kinerja_web.services.seed.accounts import DEMO_PASSWORD

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/browser.sqlite3",
            "SECRET_KEY": "browser-test",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
            "IMPORT_UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    demo_hash = generate_password_hash(DEMO_PASSWORD)
    today = today_wib()
    with (
        app.app_context(),
        mock.patch.object(User, "set_password", lambda u, _pw: setattr(u, "password_hash", demo_hash)),
    ):
        db.create_all()
        build_regency(400, today=today)
        create_demo_accounts(today)
        seed_development(today)
        dictionary.ensure_national_competencies()
        event = assessments.create_event(
            "Asesmen Kompetensi Pengawas", "assessment_center", today, "UPT Penilaian Kompetensi", None, assessors=["A"]
        )
        atasan = db.session.scalar(select(User).where(User.username == "atasan")).employee
        others = db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.kind == PositionKind.PENGAWAS, Employee.id != atasan.id)
            .order_by(Employee.id)
            .limit(2)
        ).all()
        db.session.commit()
        people = [(atasan.nip, atasan.name)] + [(e.nip, e.name) for e in others]
        event_id = event.id
        db.session.remove()
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}", event_id, people
    srv.shutdown()
    with app.app_context():
        db.engine.dispose()


def _file(tmp_path, name, rows) -> str:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    path = tmp_path / name
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


def test_hr_imports_results_fixes_bad_rows_and_the_gap_reaches_the_queue(browser, server, tmp_path):
    base, event_id, people = server
    (nip, name), *rest = people
    header = ["NIP", *NATIONAL_CODES, "KEKUATAN"]
    good = [[nip, *(["1" if c == "PDOL" else "2" for c in NATIONAL_CODES]), "Tekun"]] + [
        [n, *(["2,5"] * 9), "Teliti"] for n, _ in rest
    ]
    bad = [
        good[0][:1] + ["6"] + good[0][2:],
        [rest[0][0], *(["2,3"] * 9), ""],
        ["199001012020011999", *(["2"] * 9), ""],
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()

    login(page, base, "kepegawaian")
    page.goto(f"{base}/kompetensi/penilaian/{event_id}")
    page.get_by_label("Berkas XLSX").set_input_files(_file(tmp_path, "salah.xlsx", [header, *bad]))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.locator("body")).to_contain_text("3 baris salah")
    expect(page.locator("#kesalahan")).to_contain_text("Level harus 1 sampai 5")
    expect(page.locator("#kesalahan")).to_contain_text("tidak dikenal di Kinerja")
    expect(page.get_by_role("button", name="Simpan")).to_have_count(0)  # nothing can be saved
    page.screenshot(path=str(ARTIFACTS / "kompetensi-impor-salah.png"), full_page=True)

    page.goto(f"{base}/kompetensi/penilaian/{event_id}")
    page.get_by_label("Berkas XLSX").set_input_files(_file(tmp_path, "benar.xlsx", [header, *good]))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.get_by_role("button", name="Simpan 3 hasil").click()
    expect(page.locator(".flash-success")).to_contain_text("3 peserta baru")
    page.get_by_role("button", name="Keluar").click()

    login(page, base, "atasan")
    page.locator("aside.sidenav").get_by_role("link", name="Kompetensi Saya").click()
    expect(page.locator("figure svg")).to_be_visible()
    expect(page.locator("tr.row-error")).to_contain_text("Pengembangan Diri dan Orang Lain")
    page.screenshot(path=str(ARTIFACTS / "kompetensi-profil.png"), full_page=True)
    page.get_by_role("button", name="Keluar").click()

    login(page, base, "kepegawaian")
    page.locator("aside.sidenav").get_by_role("link", name="Antrean Rujukan").click()
    settled(page)
    page.locator("select[name=alasan]").select_option("gap_kompetensi")
    page.wait_for_url(re.compile(r"alasan=gap_kompetensi"))
    settled(page)  # the filtered table has replaced the first one before a box is ticked
    row = page.locator("#rows tbody tr").filter(has_text=name)
    expect(row).to_contain_text("Pengembangan Diri dan Orang Lain level 1 dari 2")
    page.get_by_role("checkbox", name=f"Pilih {name}").check()
    select = page.locator("#rows select[name=programme_id]")
    value = select.locator("option", has_text="Coaching").first.get_attribute("value")
    select.select_option(value)
    page.get_by_role("button", name="Terima dan tugaskan").click()
    expect(page.locator(".flash-success")).to_contain_text("1 pegawai ditugaskan")
    page.screenshot(path=str(ARTIFACTS / "kompetensi-rujukan.png"), full_page=True)
    context.close()
