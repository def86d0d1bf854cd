"""Issue 22 "Done when" in a real browser, with and without JavaScript, on the full demo: the Dukcapil operator
imports a service log with a bad row and fixes it → citizens answer the kiosk → the IKM and mutu appear → a
complaint naming an officer is registered, verified as terbukti, and the officer responds → the officer's IKI
shows the measured completion share in the realisasi form → their pejabat penilai sees the evidence panel (with
the complaint and the response) while rating → the Laporan Hasil SKM is issued and verifies on /verifikasi."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from playwright.sync_api import expect

from .helpers import browser_app, serving, session

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from kinerja_web.extensions import db
    from kinerja_web.models import Indikator, IndikatorSignal, Rhk, Role, SkmPeriod, Skp, Unit, User
    from kinerja_web.services.org import appraisers
    from kinerja_web.services.seed import accounts
    from kinerja_web.services.seed import demo as demo_seed
    from kinerja_web.timeutil import today_wib

    app = browser_app(tmp_path_factory.mktemp("umpan-balik-browser"))
    demo_hash = generate_password_hash(accounts.DEMO_PASSWORD)
    with (
        app.app_context(),
        mock.patch.object(User, "set_password", lambda u, _pw: setattr(u, "password_hash", demo_hash)),
    ):
        db.create_all()
        today = today_wib()
        demo_seed.demo(400, today)
        unit = db.session.scalar(select(Unit).where(Unit.code == "DISDUKCAPIL-B1"))
        operator = db.session.scalar(select(User).where(User.username == "layanan"))
        # an officer of the unit with a linked IKI (not the operator), and their pejabat penilai, with accounts
        linked = db.session.scalars(
            select(Skp)
            .join(Rhk, Rhk.skp_id == Skp.id)
            .join(Indikator, Indikator.rhk_id == Rhk.id)
            .join(IndikatorSignal, IndikatorSignal.indikator_id == Indikator.id)
            .where(Skp.employee_id != operator.employee_id)
        ).all()
        skp = next(s for s in linked if s.employee.unit_id == unit.id)
        names = {}
        for key, employee in (
            ("petugas", skp.employee),
            ("penilai", appraisers.appraiser_of(skp.employee, today).employee),
        ):
            user = db.session.scalar(select(User).where(User.employee_id == employee.id))
            if user is None:
                user = User(username=f"{key}uji", employee=employee, session_token=secrets.token_hex(8))
                user.set_password(accounts.DEMO_PASSWORD)
                user.set_roles({Role.PEGAWAI})
                db.session.add(user)
            names[key] = user.username
        period = db.session.scalar(select(SkmPeriod).where(SkmPeriod.unit_id == unit.id, SkmPeriod.kiosk_open))
        db.session.commit()
        info = SimpleNamespace(
            today=today, unit_id=unit.id, skm_period_id=period.id, skp_id=skp.id, period_id=skp.period_id,
            officer_id=skp.employee_id, officer_nip=skp.employee.nip, operator_nip=operator.employee.nip, **names,
        )  # fmt: skip
    with serving(app) as srv:
        srv.info = info
        yield srv


def _csv(nip: str, today: date, bad: bool, tag: str) -> bytes:
    day = today - timedelta(days=3)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    done = day - timedelta(days=2) if bad else day
    lines = [
        "LAYANAN;NOMOR;DITERIMA;SELESAI;PETUGAS;KANAL;STATUS",
        f"KTP-EL;{tag}-1;{day:%d-%m-%Y} 08:00;{day:%d-%m-%Y} 11:00;{nip};loket;selesai",
        f"KK;{tag}-2;{day:%d-%m-%Y} 09:00;{done:%d-%m-%Y} 10:00;{nip};loket;",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import(page, info, bad: bool, tag: str) -> None:
    page.goto(f"/layanan/unit/{info.unit_id}/impor")
    csv = _csv(info.officer_nip, info.today, bad, tag)
    page.set_input_files("#berkas", {"name": "log.csv", "mimeType": "text/csv", "buffer": csv})
    page.get_by_role("button", name="Pratinjau").click()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_done_when_walk(browser, server, js, tmp_path):
    info = server.info
    # 1. the operator imports a service log with a bad row, sees the row's message, imports the fixed file
    context, page = session(browser, server, "layanan", js)
    _import(page, info, True, f"WALK{js}")
    expect(page.locator("table")).to_contain_text("SELESAI sebelum DITERIMA")
    _import(page, info, False, f"WALK{js}")
    page.get_by_role("button", name=re.compile(r"Impor \d+ baris")).click()
    expect(page.locator("body")).to_contain_text("Impor selesai")
    context.close()

    # 2. citizens answer the kiosk (no login); answers outside the form's choices never reach it
    kiosk = browser.new_context(base_url=server.url, java_script_enabled=js, locale="id-ID")
    kpage = kiosk.new_page()
    for _ in range(2):
        kpage.goto(f"/survei/{info.skm_period_id}")
        expect(kpage.get_by_role("heading", level=1)).to_have_text("Survei Kepuasan Masyarakat")
        for i in range(1, 10):
            kpage.locator(f"#q-u{i} .kiosk-option").nth(3).click()
        kpage.get_by_role("button", name="Kirim").click()
        expect(kpage.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    kiosk.close()

    # 3. the IKM and mutu appear for the operator
    context, page = session(browser, server, "layanan", js)
    page.goto(f"/skm/periode/{info.skm_period_id}")
    expect(page.locator("#ikm-konversi")).to_have_text(re.compile(r"\d+,\d\d"))
    expect(page.locator("#ikm-mutu")).to_have_text(re.compile(r"^[ABCD]$"))
    expect(page.locator("#sampel")).to_contain_text("minimum")

    # 4. a complaint naming the officer is registered, then verified as terbukti with its reason
    page.goto("/pengaduan/baru")
    page.select_option("#unit_id", str(info.unit_id))
    page.select_option("#channel", "lapor")
    page.select_option("#cause", "perilaku")
    page.fill("#officer_nip", info.officer_nip)
    page.fill("#text", f"Petugas membentak warga di loket ({'js' if js else 'nojs'}).")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#status-pengaduan")).to_have_text("Terdaftar")
    complaint_url = page.url
    page.fill("#text", "Sudah ditangani.")
    page.get_by_role("button", name="Selesaikan pengaduan").click()  # closing before verification is refused
    expect(page.locator("body")).to_contain_text("belum diverifikasi")
    page.goto(complaint_url)
    page.get_by_label("Terbukti", exact=True).check()
    page.fill("#reason", "Rekaman CCTV loket membenarkan.")
    page.get_by_role("button", name="Simpan hasil verifikasi").click()
    expect(page.locator("#verdict")).to_have_text("Terbukti")

    # 5. the Laporan Hasil SKM is issued (it verifies at the end)
    page.goto(f"/skm/periode/{info.skm_period_id}")
    page.get_by_role("button", name=re.compile("Terbitkan")).click()
    expect(page.locator("#unduh-laporan")).to_be_visible()
    code = re.search(r"kode verifikasi (\w+)", page.locator("body").inner_text()).group(1)
    context.close()

    # 6. the officer sees the verified complaint, responds in writing, and sees the measured value in realisasi
    context, page = session(browser, server, info.petugas, js)
    page.goto(complaint_url)
    expect(page.locator("#verdict")).to_have_text("Terbukti")
    page.fill("#text", "Saya mohon maaf; antrean sangat panjang hari itu.")
    page.get_by_role("button", name="Kirim tanggapan").click()
    expect(page.locator("body")).to_contain_text("Tanggapan Anda disimpan")
    expect(page.get_by_role("link", name="Ubah data pengaduan")).to_have_count(0)
    page.goto(f"/skp/{info.skp_id}/realisasi")
    measured = page.locator(".measured").first
    expect(measured).to_contain_text("Nilai terukur")
    expect(measured).to_contain_text("%")
    context.close()

    # 7. the pejabat penilai sees the evidence panel while rating: completion, IKM, the complaint with the response
    context, page = session(browser, server, info.penilai, js)
    page.goto(f"/penilaian-kinerja/{info.period_id}/pegawai/{info.officer_id}")
    panel = page.locator("#bukti-pelayanan-publik")
    expect(panel).to_contain_text("bukan nilai otomatis")
    expect(panel.locator("#bukti-ikm")).to_contain_text("IKM")
    expect(panel.locator("#bukti-pengaduan")).to_contain_text("antrean sangat panjang")
    context.close()

    # 8. the report verifies on /verifikasi (public)
    public = browser.new_context(base_url=server.url, java_script_enabled=js, locale="id-ID")
    vpage = public.new_page()
    vpage.goto(f"/verifikasi/{code}")
    expect(vpage.locator("body")).to_contain_text("Laporan Hasil SKM")
    expect(vpage.locator("body")).to_contain_text("SAH")
    public.close()
