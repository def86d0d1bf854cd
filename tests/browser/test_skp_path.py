"""The issue's "done when" path in a real browser (Debian Chromium via Playwright), JavaScript on and off:
an employee drafts an SKP linked to the atasan's RHK and submits; the atasan returns it with a comment; the
employee fixes and resubmits; the atasan approves; the employee reports realisasi with a PDF; the atasan gives
feedback; the pegawai issues the SKP PDF and its verification page says it is valid.
"""

from __future__ import annotations

import os
import re
import threading
from datetime import date
from types import SimpleNamespace

import pytest

from .helpers import settled

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo12345"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def skp_server(tmp_path_factory):
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from kinerja_web import create_app
    from kinerja_web.domain.skp import Frequency, PeriodStatus
    from kinerja_web.domain.workflow import SkpStatus
    from kinerja_web.extensions import db
    from kinerja_web.models import Period, User
    from kinerja_web.services.seed import accounts, org
    from kinerja_web.services.skp import planning, workflow
    from kinerja_web.timeutil import today_wib

    tmp = tmp_path_factory.mktemp("skp-browser")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'k.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )
    with app.app_context(), app.test_request_context():
        db.create_all()
        today = today_wib()
        org.build_regency(400, today=today)
        accounts.create_demo_accounts(today)
        period = Period(
            year=today.year,
            frequency=Frequency.TRIWULAN,
            start_date=date(today.year, 1, 1),
            end_date=date(today.year, 12, 31),
            status=PeriodStatus.OPEN,
        )
        db.session.add(period)
        atasan, kabid = (db.session.scalars(select(User).where(User.username == n)).one() for n in ("atasan", "kabid"))
        skp = planning.create_skp(atasan.employee, period, planning.default_jenis(atasan.employee), "kosong")
        rhk = planning.add_rhk(skp, "utama", "Terlaksananya verifikasi usul kenaikan pangkat", None, today)
        planning.add_indikator(rhk, "kuantitas", "Jumlah usul diverifikasi", "200", "usul")
        skp.status, skp.appraiser_id = SkpStatus.SUBMITTED, kabid.employee_id
        db.session.flush()
        workflow.approve_skp(skp, kabid, today)
        # A second subordinate of "atasan" walks the path with JavaScript off.
        from kinerja_web.models import Role
        from kinerja_web.services.org import appraisers

        pegawai = db.session.scalars(select(User).where(User.username == "pegawai")).one()
        other = next(e for e in appraisers.direct_subordinates(atasan.employee, today) if e.id != pegawai.employee_id)
        second = User(username="pegawai_b", employee=other, session_token="b")
        second.set_password(PASSWORD)
        second.set_roles({Role.PEGAWAI})
        db.session.add(second)
        third = next(
            e
            for e in appraisers.direct_subordinates(atasan.employee, today)
            if e.id not in (pegawai.employee_id, other.id)
        )
        autosaver = User(username="pegawai_c", employee=third, session_token="c")
        autosaver.set_password(PASSWORD)
        autosaver.set_roles({Role.PEGAWAI})
        db.session.add(autosaver)
        taken = {pegawai.employee_id, other.id, third.id} | set(db.session.scalars(select(User.employee_id)))
        fourth = next(
            e
            for boss in (atasan.employee, kabid.employee)
            for e in appraisers.direct_subordinates(boss, today)
            if e.id not in taken
        )
        editor = User(username="pegawai_d", employee=fourth, session_token="d")
        editor.set_password(PASSWORD)
        editor.set_roles({Role.PEGAWAI})
        db.session.add(editor)
        # For the kabid's review: a subordinate's approved version 1 and a changed, submitted version 2.
        reviewed = next(
            e for e in appraisers.direct_subordinates(kabid.employee, today) if e.id not in taken and e.id != fourth.id
        )
        v1 = planning.create_skp(reviewed, period, planning.default_jenis(reviewed), "kosong")
        kept = planning.add_rhk(v1, "utama", "Tersusunnya laporan kinerja bidang", None, today)
        planning.add_indikator(kept, "kuantitas", "Jumlah laporan tersusun", "4", "laporan")
        gone = planning.add_rhk(v1, "utama", "Terlaksananya rapat koordinasi", None, today)
        planning.add_indikator(gone, "kuantitas", "Jumlah rapat", "12", "kali")
        v1.status, v1.appraiser_id = SkpStatus.SUBMITTED, kabid.employee_id
        db.session.flush()
        workflow.approve_skp(v1, kabid, today)
        v2 = planning.revise_skp(v1, "Penugasan baru dari kepala dinas")
        by_text = {r.uraian: r for r in v2.rhks}
        changed = by_text["Tersusunnya laporan kinerja bidang"]
        planning.update_rhk(changed, "utama", "Tersusunnya laporan kinerja bidang tepat waktu", None, today)
        planning.add_indikator(changed, "waktu", "Laporan diserahkan", "10", "hari")
        planning.delete_rhk(by_text["Terlaksananya rapat koordinasi"])
        added = planning.add_rhk(v2, "tambahan", "Terlaksananya pendampingan aplikasi", None, today)
        planning.add_indikator(added, "kuantitas", "Jumlah OPD didampingi", "5", "OPD")
        v2.status, v2.appraiser_id = SkpStatus.SUBMITTED, kabid.employee_id
        db.session.commit()
        review_url = f"/skp/{v2.id}"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", tmp=tmp, review_url=review_url)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one Chromium (Playwright's sync API allows one driver per process)."""
    return browser


def _session(chromium, server, username: str, js: bool = True):
    context = chromium.new_context(base_url=server.url, java_script_enabled=js, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/masuk")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page


def _flash(page) -> str:
    return " ".join(page.locator("#pesan").all_inner_texts())


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_skp_done_when_path(chromium, skp_server, js):
    from playwright.sync_api import expect

    pegawai = "pegawai" if js else "pegawai_b"
    # --- pegawai drafts, links to the atasan's RHK, submits -------------------------------------------------
    ctx, page = _session(chromium, skp_server, pegawai, js)
    page.get_by_role("link", name="SKP Saya").click()
    page.get_by_role("button", name="Buat SKP").click()
    page.wait_for_url(re.compile(r"/skp/\d+"))
    skp_url = page.url.split("#")[0]
    form = page.locator("#tambah-rhk form")
    form.locator("select[name=parent_rhk_id]").select_option(label="Terlaksananya verifikasi usul kenaikan pangkat")
    form.locator("textarea[name=uraian]").fill(f"Terverifikasinya berkas usul ({'js' if js else 'nojs'})")
    form.get_by_role("button", name="Tambah RHK").click()
    expect(page.locator("#hasil-kerja")).to_contain_text("Terverifikasinya berkas usul")
    rhk_row = page.locator("tr.add-iki").last
    iki = rhk_row.locator("form")
    iki.locator("textarea[name$=indikator]").fill("Jumlah berkas diverifikasi")
    iki.locator("input[name$=target]").fill("120")
    iki.locator("input[name$=satuan]").fill("berkas")
    iki.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#hasil-kerja")).to_contain_text("Jumlah berkas diverifikasi")
    page.goto(skp_url)
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.locator("#pesan")).to_contain_text("berhasil diajukan")
    ctx.close()

    # --- atasan returns it with a comment on the RHK ----------------------------------------------------------
    ctx, page = _session(chromium, skp_server, "atasan", js)
    page.get_by_role("link", name="Persetujuan SKP").click()
    page.wait_for_url(re.compile(r"/persetujuan"))
    page.locator("a", has_text="Tinjau").first.click()
    page.wait_for_url(re.compile(r"/skp/\d+$"))
    page.locator("textarea[name^=komentar-]").last.fill("Target terlalu rendah, naikkan.")
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(page.locator("#pesan")).to_contain_text("dikembalikan")
    ctx.close()

    # --- pegawai fixes and resubmits --------------------------------------------------------------------------
    ctx, page = _session(chromium, skp_server, pegawai, js)
    page.goto(skp_url)
    expect(page.locator(".review-comment").last).to_contain_text("Target terlalu rendah")
    # The indicator is edited in place: "Ubah" opens its row as a form, "Simpan" saves it.
    page.locator("tr.iki-row[id^=iki-]").first.get_by_role("link", name="Ubah").click()
    row = page.locator("tr.iki-row.editing")
    row.locator("input[name$=-target]").fill("150")
    row.get_by_role("button", name="Simpan", exact=True).click()
    if js:
        expect(page.locator("tr.iki-row[id^=iki-]").first).to_contain_text("150 berkas")
    else:
        expect(page.locator("#pesan")).to_contain_text("Indikator disimpan")
    page.goto(skp_url)
    expect(page.locator("tr.iki-row[id^=iki-]").first.locator("td.target")).to_have_text("150 berkas")
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.locator("#pesan")).to_contain_text("berhasil diajukan")
    ctx.close()

    # --- atasan approves ------------------------------------------------------------------------------------
    ctx, page = _session(chromium, skp_server, "atasan", js)
    page.on("dialog", lambda d: d.accept())
    page.goto(skp_url)
    page.get_by_role("button", name="Setujui SKP").click()
    expect(page.locator("#pesan")).to_contain_text("SKP disetujui")
    ctx.close()

    # --- pegawai reports realisasi with a PDF as bukti dukung --------------------------------------------------
    pdf = skp_server.tmp / "bukti.pdf"
    pdf.write_bytes(PDF)
    ctx, page = _session(chromium, skp_server, pegawai, js)
    page.goto(skp_url)
    page.get_by_role("link", name="Realisasi").first.click()
    row = page.locator(".realisasi-row", has_text="Jumlah berkas diverifikasi")
    row.locator("input[name^=nilai-]").fill("40")
    row.locator("input[type=file]").set_input_files(str(pdf))
    row.get_by_role("button", name="Simpan realisasi").click()
    expect(page.locator("#pesan")).to_contain_text("Realisasi disimpan")
    expect(page.locator(".realisasi-row", has_text="Jumlah berkas diverifikasi")).to_contain_text("bukti.pdf")
    ctx.close()

    # --- atasan gives feedback --------------------------------------------------------------------------------
    ctx, page = _session(chromium, skp_server, "atasan", js)
    page.goto(skp_url + "/umpan-balik")
    page.locator("textarea[name=body]").fill("Realisasi baik, pertahankan.")
    page.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.locator("#pesan")).to_contain_text("Umpan balik terkirim")
    expect(page.locator(".thread").first).to_contain_text("Realisasi baik, pertahankan.")
    ctx.close()

    # --- pegawai issues the SKP PDF and checks it on /verifikasi ------------------------------------------------
    ctx, page = _session(chromium, skp_server, pegawai, js)
    page.goto(skp_url)
    page.get_by_role("button", name="Terbitkan PDF SKP").click()
    # The first render in the server process also starts WeasyPrint: allow it time.
    expect(page.locator("#pesan")).to_contain_text("PDF SKP diterbitkan", timeout=30_000)
    section = page.locator("#dokumen")
    expect(section).to_contain_text("Berlaku")
    if os.environ.get("KINERJA_SAMPLE_DIR"):  # for looking at the page
        section.screenshot(path=os.path.join(os.environ["KINERJA_SAMPLE_DIR"], f"skp-dokumen-{pegawai}.png"))
    with page.expect_download() as download:
        section.get_by_role("link", name="Unduh PDF").first.click()
    assert download.value.suggested_filename.endswith("-v1.pdf")
    section.locator("a[href*='/verifikasi/']").first.click()
    page.wait_for_url(re.compile(r"/verifikasi/"))
    expect(page.locator("main, body").first).to_contain_text("SAH")
    expect(page.locator("body")).to_contain_text("Sasaran Kinerja Pegawai")
    if os.environ.get("KINERJA_SAMPLE_DIR"):
        page.screenshot(path=os.path.join(os.environ["KINERJA_SAMPLE_DIR"], f"verifikasi-{pegawai}.png"))
    ctx.close()


def test_typed_rhk_and_indicator_text_survives_a_reload(chromium, skp_server):
    """Autosave: nothing typed is lost, including a new RHK not yet added and an invalid target."""
    from playwright.sync_api import expect

    ctx, page = _session(chromium, skp_server, "pegawai_c")
    page.get_by_role("link", name="SKP Saya").click()
    page.get_by_role("button", name="Buat SKP").click()
    page.wait_for_url(re.compile(r"/skp/\d+"))
    skp_url = page.url.split("#")[0]
    form = page.locator("#tambah-rhk form")
    form.locator("select[name=parent_rhk_id]").select_option(label="Terlaksananya verifikasi usul kenaikan pangkat")
    form.locator("textarea[name=uraian]").fill("Terverifikasinya berkas")
    form.get_by_role("button", name="Tambah RHK").click()
    expect(page.locator("tr.rhk-row").first).to_contain_text("Terverifikasinya berkas")
    settled(page)
    page.locator("tr.rhk-row").first.get_by_role("link", name="Ubah").click()
    rhk_text = page.locator("textarea[name^=rhk-][name$=-uraian]").first
    expect(rhk_text).to_have_value("Terverifikasinya berkas")
    settled(page)  # the autosave trigger of the opened row is wired while htmx settles
    slot = rhk_text.get_attribute("name").removesuffix("-uraian")

    rhk_text.fill("Terverifikasinya berkas usul kenaikan pangkat tepat waktu")
    expect(page.locator(f"#autosave-{slot}")).to_contain_text("Draf tersimpan", timeout=8000)
    # A new RHK typed but not added, and a new indicator with a non-numeric target.
    page.locator("#tambah-rhk textarea[name=uraian]").fill("Tersusunnya laporan bulanan")
    expect(page.locator("#autosave-rhk-baru")).to_contain_text("Draf tersimpan", timeout=8000)
    iki = page.locator("tr.add-iki form").first
    iki.locator("textarea[name$=indikator]").fill("Jumlah berkas diverifikasi")
    iki.locator("input[name$=satuan]").fill("berkas")
    iki.locator("input[name$=target]").fill("dua belas")
    expect(iki.locator(".field-errors").filter(has_text="Target harus berupa angka")).to_have_count(1, timeout=8000)

    page.goto(skp_url)
    expect(page.locator(f"textarea[name={slot}-uraian]")).to_have_value(
        "Terverifikasinya berkas usul kenaikan pangkat tepat waktu"
    )
    expect(page.locator("#tambah-rhk textarea[name=uraian]")).to_have_value("Tersusunnya laporan bulanan")
    iki = page.locator("tr.add-iki form").first
    expect(iki.locator("input[name$=target]")).to_have_value("dua belas")
    expect(iki).to_contain_text("Target harus berupa angka")
    page.screenshot(path=str(skp_server.tmp / "autosave.png"), full_page=True)
    # Fixing the target and adding at once: the add wins over the draft saves queued before it.
    iki.locator("input[name$=target]").fill("12")
    iki.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("tr.iki-row[id^=iki-]")).to_have_count(1)
    page.goto(skp_url)
    expect(page.locator("tr.iki-row[id^=iki-]")).to_have_count(1)
    expect(page.locator("tr.add-iki form").first.locator("input[name$=target]")).to_have_value("")
    ctx.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_click_to_edit_one_row(chromium, skp_server, js):
    """Ubah turns one row into a form in place; Esc or Batal gives the row back unchanged; Simpan saves it.
    Without JavaScript the same link and buttons work as full pages. Screenshots at 1280 and 390 px."""
    from playwright.sync_api import expect

    ctx, page = _session(chromium, skp_server, "pegawai_d", js)
    page.goto("/skp/")
    mine = page.locator("main table a[href^='/skp/']")
    if not mine.count():  # the first run (js) writes the SKP, the second reuses it
        page.get_by_role("button", name="Buat SKP").click()
        page.wait_for_url(re.compile(r"/skp/\d+"))
        form = page.locator("#tambah-rhk form")
        parent = form.locator("select[name=parent_rhk_id] option").nth(1)
        if parent.count():
            form.locator("select[name=parent_rhk_id]").select_option(index=1)
        form.locator("textarea[name=uraian]").fill("Tersusunnya jadwal layanan kenaikan pangkat")
        form.get_by_role("button", name="Tambah RHK").click()
        expect(page.locator("tr.rhk-row").first).to_contain_text("Tersusunnya jadwal")
        iki = page.locator("tr.add-iki form").first
        iki.locator("textarea[name$=indikator]").fill("Jumlah jadwal layanan yang terbit tepat waktu setiap bulan")
        iki.locator("input[name$=target]").fill("12")
        iki.locator("input[name$=satuan]").fill("jadwal")
        iki.get_by_role("button", name="Simpan indikator").click()
        expect(page.locator("tr.iki-row[id^=iki-]")).to_have_count(1)
    else:
        mine.first.click()
        page.wait_for_url(re.compile(r"/skp/\d+"))
    skp_url = page.url.split("#")[0].split("?")[0]
    page.goto(skp_url)
    iki_row = page.locator("tr.iki-row[id^=iki-]").first
    row_id = iki_row.get_attribute("id")
    before = iki_row.inner_text()
    before_target = iki_row.locator("td.target").inner_text()
    saved = "10 jadwal" if js else "11 jadwal"

    # Ubah, type, then Batal (Esc with JavaScript): the row as it was.
    iki_row.get_by_role("link", name="Ubah").click()
    row = page.locator(f"#{row_id}")
    expect(row).to_have_class(re.compile("editing"))
    expect(page.locator("tr.editing")).to_have_count(1)
    target = row.locator("input[name$=-target]")
    if js:  # keyboard: the opened row's first field has the focus
        expect(row.locator("textarea").first).to_be_focused()
    target.fill("99")
    if js:
        target.press("Escape")
    else:
        row.get_by_role("button", name="Batal").click()
    expect(page.locator(f"#{row_id}")).not_to_have_class(re.compile("editing"))
    expect(page.locator(f"#{row_id}")).to_have_text(before)
    if js:
        expect(page.locator(f"#{row_id}").get_by_role("link", name="Ubah")).to_be_focused()
    page.goto(skp_url)
    expect(page.locator(f"#{row_id} td.target")).to_have_text(before_target)

    # Ubah, change, Simpan: saved, the row read again.
    page.locator(f"#{row_id}").get_by_role("link", name="Ubah").click()
    row = page.locator(f"#{row_id}")
    if js:
        settled(page)
        area = row.locator("textarea").first
        height = area.evaluate("a => a.clientHeight")
        area.fill("Jumlah jadwal layanan yang terbit tepat waktu setiap bulan, " * 4)
        assert area.evaluate("a => a.clientHeight") > height  # the box grows with its text
        area.fill("Jumlah jadwal layanan yang terbit tepat waktu setiap bulan")
    _shots(page, skp_server, f"open-{'js' if js else 'nojs'}")
    row.locator("input[name$=-target]").fill(saved.split()[0])
    row.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(f"#{row_id} td.target")).to_have_text(saved)
    expect(page.locator("tr.editing")).to_have_count(0)
    page.goto(skp_url)
    expect(page.locator(f"#{row_id} td.target")).to_have_text(saved)
    _shots(page, skp_server, f"closed-{'js' if js else 'nojs'}")
    ctx.close()


def _shots(page, server, name: str) -> None:
    """The page at 1280 and 390 px (a phone), for a person to look at; at 390 px nothing is wider than the screen."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(server.tmp / f"click-to-edit-{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_atasan_reviews_a_new_version_as_a_diff(chromium, skp_server):
    from playwright.sync_api import expect

    ctx, page = _session(chromium, skp_server, "kabid")
    page.goto(skp_server.review_url)
    expect(page.locator("#perubahan")).to_contain_text("1 RHK baru, 1 RHK diubah, 1 RHK dihapus.")
    expect(page.locator("tr.rhk-row.diff-ubah")).to_contain_text("tepat waktu")
    expect(page.locator("tr.rhk-row.diff-tambah")).to_contain_text("pendampingan aplikasi")
    expect(page.locator("tr.iki-row.diff-tambah").first).to_be_visible()
    expect(page.locator("#perubahan del")).to_have_text("Terlaksananya rapat koordinasi")
    # The atasan writes the ekspektasi khusus on the same page, before deciding.
    expect(page.locator("textarea[name=ekspektasi-0]")).to_be_editable()
    _shots(page, skp_server, "review")
    ctx.close()
