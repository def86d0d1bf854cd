"""A real browser walks the referral "done when" path: after an evaluation cycle the HR officer opens the queue,
sees why each employee is suggested, assigns in bulk, issues a surat tugas, records completion; the employee
sees JP grow."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from kinerja_web import create_app
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.skp import Frequency, PeriodStatus
from kinerja_web.extensions import db
from kinerja_web.models import Employee, PerformanceRating, Period, Position, Programme, RatingStatus, User
from kinerja_web.services.seed.accounts import DEMO_PASSWORD, create_demo_accounts
from kinerja_web.services.seed.development import seed_development
from kinerja_web.services.seed.org import build_regency
from kinerja_web.timeutil import today_wib

from .conftest import ARTIFACTS
from .helpers import settled

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def server(tmp_path):
    from unittest import mock

    from werkzeug.security import generate_password_hash

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/browser.sqlite3",
            "SECRET_KEY": "browser-test",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
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
        period = Period(
            year=today.year,
            frequency=Frequency.TRIWULAN,
            start_date=date(today.year, 1, 1),
            end_date=date(today.year, 12, 31),
            status=PeriodStatus.OPEN,
        )
        db.session.add(period)
        pegawai = db.session.scalar(select(User).where(User.username == "pegawai")).employee
        # The evaluation cycle's outcome: the demo pegawai and two colleagues of the same seksi rated below Baik.
        peers = db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.parent_id == pegawai.position.parent_id, Employee.id != pegawai.id)
            .order_by(Employee.id)
            .limit(2)
        ).all()
        for emp, predikat in [(pegawai, Predikat.BUTUH_PERBAIKAN)] + [(p, Predikat.KURANG_MISCONDUCT) for p in peers]:
            db.session.add(
                PerformanceRating(
                    employee_id=emp.id,
                    period=period,
                    hasil_kerja=Ekspektasi.DI_BAWAH,
                    perilaku_kerja=Ekspektasi.SESUAI,
                    predikat=predikat,
                    status=RatingStatus.FINAL,
                )
            )
        db.session.commit()
        names = [pegawai.name] + [p.name for p in peers]
        db.session.remove()
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}", names, app
    srv.shutdown()
    with app.app_context():
        db.engine.dispose()


def _training_took_place(app, code: str) -> None:
    """Move a programme's dates into the past, as if its days had gone by."""
    with app.app_context():
        programme = db.session.scalar(select(Programme).where(Programme.code == code))
        programme.start_date, programme.end_date = today_wib() - timedelta(days=7), today_wib() - timedelta(days=6)
        db.session.commit()
        db.session.remove()


def login(page, base, username):
    page.goto(f"{base}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_hr_turns_results_into_assigned_programmes_and_the_employee_sees_jp_grow(browser, server, tmp_path):
    base, names, app = server
    pegawai_name = names[0]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()

    login(page, base, "pegawai")
    page.locator("aside.sidenav").get_by_role("link", name="Pengembangan Saya").click()
    expect(page.locator("#jp-total")).to_have_text("0 JP")
    page.get_by_role("button", name="Keluar").click()

    login(page, base, "kepegawaian")
    page.locator("aside.sidenav").get_by_role("link", name="Antrean Rujukan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean Rujukan Pengembangan")
    page.get_by_role("button", name="Buat usulan dari hasil penilaian").click()
    expect(page.locator("#generate-job")).to_contain_text("Usulan baru")
    settled(page)
    page.locator("select[name=alasan]").select_option("predikat_rendah")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(3)
    row = rows.filter(has_text=pegawai_name)
    expect(row).to_contain_text("Butuh Perbaikan")
    expect(row).to_contain_text("PP 30/2019 Pasal 57")
    page.screenshot(path=str(ARTIFACTS / "referrals-queue.png"), full_page=True)

    for name in names[:2]:
        page.get_by_role("checkbox", name=f"Pilih {name}").check()
    select = page.locator("#rows select[name=programme_id]")
    value = select.locator("option", has_text="Bimbingan Teknis Penyusunan SKP").get_attribute("value")
    select.select_option(value)
    page.get_by_role("button", name="Terima dan tugaskan").click()
    expect(page.locator(".flash-success")).to_contain_text("2 pegawai ditugaskan")
    expect(page.locator("#rows tbody tr")).to_have_count(1)  # the third suggestion still waits

    settled(page)
    page.locator("select[name=status]").select_option("ditugaskan")
    page.locator("#rows").get_by_role("link", name=re.compile(pegawai_name)).click()
    expect(page.locator("#reason-text")).to_contain_text("Butuh Perbaikan")
    page.get_by_role("button", name="Terbitkan surat tugas").click()
    expect(page.locator(".flash-success")).to_contain_text("Surat tugas nomor 800.1.13/1/BKPSDM/")
    pdf = page.request.get(base + page.locator("a", has_text="Nomor 800.1.13/1/BKPSDM").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "surat-tugas.pdf").write_bytes(pdf.body())

    page.get_by_role("button", name="Catat mulai berjalan").click()
    expect(page.locator("#status")).to_have_text("Berjalan")
    _training_took_place(app, "BT-01")  # time passes: a training is completed only from its first day
    page.reload()
    page.get_by_label("Kehadiran (%)").fill("100")
    page.get_by_label("Hasil / nilai").fill("Lulus, nilai 86")
    cert = tmp_path / "sertifikat.pdf"
    cert.write_bytes(PDF)
    page.get_by_label("Sertifikat (PDF/PNG/JPEG, maks. 5 MB)").set_input_files(str(cert))
    page.get_by_role("button", name="Selesai, akui JP").click()
    expect(page.locator(".flash-success")).to_contain_text("16 JP ditambahkan")
    page.screenshot(path=str(ARTIFACTS / "referral-done.png"), full_page=True)
    # Accepting the pembinaan kinerja suggestion opened the 6-month improvement plan; the pages link both ways.
    page.locator("#rencana-pembinaan").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pembinaan kinerja")
    page.locator("#rujukan-sumber").click()
    expect(page.locator("#reason-text")).to_contain_text("Butuh Perbaikan")
    page.goto(f"{base}/pengembangan/efektivitas?tahun={today_wib().year}")
    expect(page.locator("#efektivitas")).to_contain_text("Bimbingan Teknis Penyusunan SKP")
    page.screenshot(path=str(ARTIFACTS / "referrals-effectiveness.png"), full_page=True)
    page.locator("aside.sidenav").get_by_role("link", name="Dasbor Pengembangan").click()
    expect(page.locator("svg.chart").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "referrals-dashboard.png"), full_page=True)
    page.get_by_role("button", name="Keluar").click()

    login(page, base, "pegawai")
    page.locator("aside.sidenav").get_by_role("link", name="Pengembangan Saya").click()
    expect(page.locator("#jp-total")).to_have_text("16 JP")
    expect(page.get_by_role("link", name="sertifikat.pdf")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "pengembangan-saya.png"), full_page=True)
    context.close()
