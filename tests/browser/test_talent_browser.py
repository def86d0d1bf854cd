"""HR in a real browser, JavaScript off: the dasbor penilaian (heat map, 360 progress) and the peta talenta,
including the per-OPD potensial table. Screenshots land in test-artifacts/."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
TODAY = date(2026, 11, 2)


@pytest.fixture(scope="module")
def talent_server(tmp_path_factory):
    from benchmarks.evaluation import build_rated_unit, make_period, rate_all
    from kinerja_web import create_app
    from kinerja_web.extensions import db
    from kinerja_web.models import AssignmentStatus, Employee, RaterAssignment
    from kinerja_web.services.seed.accounts import create_demo_accounts
    from kinerja_web.services.seed.org import build_regency

    tmp = tmp_path_factory.mktemp("talent")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/talent.sqlite3",
            "SECRET_KEY": "browser-test",
            "HUEY_IMMEDIATE": True,
        }
    )
    with app.app_context():
        db.create_all()
        build_regency(400, today=TODAY)
        create_demo_accounts(TODAY)
        period = make_period()
        rate_all(period, list(db.session.scalars(select(Employee.id))))
        cycle = build_rated_unit(12, period, code="TAL", nip_base=70000)
        for a in db.session.scalars(select(RaterAssignment).order_by(RaterAssignment.id)).all()[::3]:
            a.status = AssignmentStatus.APPROVED  # a third still to do: the progress page has something to show
        db.session.commit()
        opd_id, cycle_id = cycle.units[0].id, cycle.id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", opd_id, cycle_id
    server.shutdown()
    thread.join(timeout=5)


def test_hr_reads_the_dashboards_and_places_staff_on_the_9_box_without_javascript(browser, talent_server):
    from playwright.sync_api import expect

    from kinerja_web.services.seed.accounts import DEMO_PASSWORD

    base, opd_id, cycle_id = talent_server
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        base_url=base, locale="id-ID", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/masuk")
    page.fill("input[name=username]", "kepegawaian")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))

    page.get_by_role("link", name="Dasbor Penilaian").click()
    expect(page.locator("svg.chart")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dasbor-predikat.png"), full_page=True)

    page.get_by_role("link", name="Kemajuan penilaian 360").click()
    page.select_option("select[name=siklus]", str(cycle_id))
    page.check("input[name=belum]")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_text("penilaian selesai")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dasbor-360.png"), full_page=True)

    page.goto(f"/talenta/?opd={opd_id}")
    page.get_by_role("link", name=re.compile("Isi potensial pegawai")).click()
    selects = page.locator("select[name^=p-]")
    for i in range(selects.count()):
        selects.nth(i).select_option(("tinggi", "menengah", "rendah")[i % 3])
    page.locator("input[name=dasar]").fill("Rapat tim penilai kinerja 2026")  # an override carries its reason
    page.get_by_role("button", name="Simpan semua").click()
    expect(page.get_by_text(re.compile(r"Potensial \d+ pegawai disimpan"))).to_be_visible()

    page.get_by_role("link", name="← Peta Talenta").click()
    page.locator("td.box-9 a").click()
    expect(page.locator("#daftar")).to_contain_text("Dipromosikan dan dipertahankan")
    page.screenshot(path=str(ARTIFACTS / "peta-talenta.png"), full_page=True)
    context.close()
