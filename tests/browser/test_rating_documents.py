"""Item 8–9 in a real browser (Debian Chromium via Playwright), JavaScript on and off: HR locks the annual
rating and watches the documents job; the employee downloads the Dokumen Evaluasi Kinerja from the rating
page and its verification page says it is valid; the employee objects; the atasan pejabat penilai asks
both sides, both explain, the atasan decides; the old document now verifies as revoked.
"""

from __future__ import annotations

import re
import threading
from datetime import date
from types import SimpleNamespace

import pytest

from .helpers import sample as _sample
from .helpers import session as _session

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rating_server(tmp_path_factory):
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from kinerja_web import create_app
    from kinerja_web.domain.predikat import Ekspektasi, PredikatOrganisasi
    from kinerja_web.domain.skp import Frequency, PeriodStatus
    from kinerja_web.domain.workflow import SkpStatus
    from kinerja_web.extensions import db
    from kinerja_web.models import ANNUAL, Period, User
    from kinerja_web.services.rating import organisation
    from kinerja_web.services.rating import ratings as rating
    from kinerja_web.services.seed import accounts, org
    from kinerja_web.services.skp import planning, workflow
    from kinerja_web.timeutil import today_wib

    tmp = tmp_path_factory.mktemp("rating-browser")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'k.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )
    periods, units = {}, {}
    with app.app_context(), app.test_request_context():
        db.create_all()
        today = today_wib()
        org.build_regency(400, today=today)
        accounts.create_demo_accounts(today)
        users = {n: db.session.scalars(select(User).where(User.username == n)).one() for n in ("pegawai", "atasan")}
        for js in (True, False):  # one period per run, so each run locks and objects on its own
            year = today.year - (1 if js else 2)
            period = Period(
                year=year,
                frequency=Frequency.TRIWULAN,
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                status=PeriodStatus.OPEN,
            )
            db.session.add(period)
            db.session.flush()
            emp = users["pegawai"].employee
            skp = planning.create_skp(emp, period, planning.default_jenis(emp), "kosong")
            rhk = planning.add_rhk(skp, "utama", "Terlayaninya administrasi kepegawaian", None, today)
            planning.add_indikator(rhk, "kuantitas", "Jumlah berkas dilayani", "120", "berkas")
            skp.status, skp.appraiser_id = SkpStatus.SUBMITTED, users["atasan"].employee_id
            db.session.flush()
            workflow.approve_skp(skp, users["atasan"], today)
            r = rating.save_rating(
                emp, period, ANNUAL, Ekspektasi.SESUAI, Ekspektasi.SESUAI, None, users["atasan"], today
            )
            rating.finalise(r, users["atasan"])
            organisation.set_unit_predikat(emp.unit, period, ANNUAL, PredikatOrganisasi.BAIK, users["atasan"])
            periods[js], units[js] = period.id, emp.unit_id
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", periods=periods, units=units)
    server.shutdown()
    thread.join(timeout=5)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_lock_download_verify_and_object(browser, rating_server, js):
    from playwright.sync_api import expect

    period_id = rating_server.periods[js]

    # --- HR locks the annual rating; the job page shows the documents issued ----------------------------------
    ctx, page = _session(browser, rating_server, "kepegawaian", js)
    page.goto(f"/penilaian-kinerja/{period_id}/kunci")
    _sample(page, f"kunci-halaman-{'js' if js else 'nojs'}")
    page.get_by_role("button", name=re.compile("^Kunci Tahunan")).click()
    page.wait_for_url(re.compile(r"/penilaian-kinerja/kunci/\d+"))
    expect(page.locator("body")).to_contain_text("Dokumen Evaluasi Kinerja Pegawai", timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    _sample(page, f"kunci-{'js' if js else 'nojs'}")
    ctx.close()

    # --- the employee downloads the evaluation document and verifies it ---------------------------------------
    ctx, page = _session(browser, rating_server, "pegawai", js)
    page.goto("/penilaian-kinerja/")
    page.goto(f"/penilaian-kinerja/?periode={period_id}")
    page.get_by_role("link", name=re.compile("Lihat hasil penilaian kinerja saya")).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh Dokumen Evaluasi Kinerja (PDF)").click()
    assert download.value.suggested_filename.startswith("evaluasi-kinerja-")
    rating_url = page.url
    page.get_by_role("link", name=re.compile("periksa keaslian")).click()
    page.wait_for_url(re.compile(r"/verifikasi/"))
    expect(page.locator("body")).to_contain_text("SAH")
    expect(page.locator("body")).to_contain_text("Dokumen Evaluasi Kinerja Pegawai")
    old_verification = page.url

    # --- ... and objects within the 14 days --------------------------------------------------------------------
    page.goto(rating_url)
    _sample(page, f"hasil-pegawai-{'js' if js else 'nojs'}")
    page.locator("textarea[name=alasan]").fill("Target berkas terlampaui dan bukti dukung lengkap; mohon ditinjau.")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator("#pesan")).to_contain_text("Keberatan diajukan")
    keberatan_url = page.url
    ctx.close()

    # --- the atasan pejabat penilai asks both sides ------------------------------------------------------------
    ctx, page = _session(browser, rating_server, "kabid", js)
    page.goto(keberatan_url)
    page.get_by_role("button", name="Minta penjelasan pegawai dan pejabat penilai").click()
    expect(page.locator("#pesan")).to_contain_text("Penjelasan diminta")
    ctx.close()
    for username, text in (("pegawai", "Bukti dukung ada di SKP."), ("atasan", "Penilaian sesuai realisasi.")):
        ctx, page = _session(browser, rating_server, username, js)
        page.goto(keberatan_url)
        page.locator("textarea[name=penjelasan]").fill(text)
        page.get_by_role("button", name="Kirim penjelasan").click()
        expect(page.locator("#pesan")).to_contain_text("Penjelasan Anda tercatat")
        ctx.close()

    # --- ... and decides: accepted, new predikat, the document re-issued ---------------------------------------
    ctx, page = _session(browser, rating_server, "kabid", js)
    page.goto(keberatan_url)
    page.get_by_label("Keberatan diterima (hasil penilaian diubah)").check()
    page.locator("select[name=hasil_kerja]").select_option("di_atas")
    page.locator("textarea[name=pertimbangan]").fill("Bukti dukung menunjukkan realisasi melampaui target tahunan.")
    page.get_by_role("button", name="Tetapkan keputusan (final)").click()
    expect(page.locator("#pesan")).to_contain_text("Keputusan ditetapkan")
    expect(page.locator("#putusan")).to_contain_text("Baik")
    _sample(page, f"keberatan-{'js' if js else 'nojs'}")
    page.goto(old_verification)
    expect(page.locator("body")).to_contain_text("DICABUT")
    ctx.close()


def test_f5_after_a_refused_calibration_shows_the_page_again_and_the_history_is_there(browser, rating_server):
    """A boosted calibration form answers 422 with its message; htmx leaves the form's URL in the address bar.
    Reloading it must show the calibration page (not the 405 page)."""
    from playwright.sync_api import expect

    ctx, page = _session(browser, rating_server, "kepegawaian", True)
    page.goto(f"/penilaian-kinerja/{rating_server.periods[False]}/unit/{rating_server.units[False]}")
    form = page.locator("form.kalibrasi").first
    form.locator("select[name=hasil_kerja]").select_option("di_atas")
    form.get_by_role("button", name="Ubah").click()
    expect(page.locator("form.kalibrasi small.error").first).to_be_visible()
    assert "/kalibrasi/" in page.url  # what F5 asks for
    response = page.reload()
    assert response.status == 200 and "/kalibrasi/" not in page.url
    expect(page.locator("h1")).to_contain_text("Kalibrasi predikat")
    expect(page.locator("#riwayat")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _sample(page, f"kalibrasi-{width}")
    ctx.close()
