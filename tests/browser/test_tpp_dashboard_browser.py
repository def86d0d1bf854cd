"""A real browser (JavaScript off) sets a pagu anggaran TPP and reads the TPP dashboard of a final run."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from werkzeug.serving import make_server

from kinerja_web import create_app
from kinerja_web.extensions import db
from kinerja_web.models import Attendance, Employee, PayrollPredikat, User
from kinerja_web.services.payroll import compute, rules, runs
from kinerja_web.services.seed.accounts import DEMO_PASSWORD, create_demo_accounts
from kinerja_web.services.seed.org import build_regency

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
TODAY = date(2026, 11, 2)
OCT = date(2026, 10, 1)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def dashboard_server(tmp_path):
    from benchmarks.payroll import repair_mkg

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/tpp.sqlite3", "SECRET_KEY": "t", "HUEY_IMMEDIATE": True}
    )
    with app.app_context():
        db.create_all()
        build_regency(300, today=TODAY)
        create_demo_accounts(TODAY)
        repair_mkg()
        rules.seed_rules()
        ids = db.session.scalars(select(Employee.id).order_by(Employee.id)).all()
        mix = ["baik"] * 6 + ["sangat_baik", "butuh_perbaikan", "sangat_kurang"]
        db.session.execute(
            insert(PayrollPredikat),
            [{"employee_id": i, "month": OCT, "predikat": mix[n % 9], "source": "uji"} for n, i in enumerate(ids)],
        )
        db.session.execute(
            insert(Attendance),
            [
                {
                    "employee_id": i,
                    "tanggal": date(2026, 10, 5 + n % 3),
                    "terlambat_menit": 45 * (n % 2),
                    "pulang_cepat_menit": 0,
                    "kode_absen": None if n % 2 else "TK",
                    "source": "import",
                }
                for n, i in enumerate(ids[::7])
            ],
        )
        users = {u.username: u for u in db.session.scalars(select(User))}
        run = runs.create_run(OCT, None, users["operator"])
        compute.compute_run(run, users["operator"])
        runs.transition(run, "verify", users["verifikator"])
        runs.transition(run, "approve", users["pejabat"])
        runs.transition(run, "finalise", users["pejabat"])
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def test_finance_sets_a_pagu_and_reads_the_dashboard_without_javascript(browser, dashboard_server):
    context = browser.new_context(java_script_enabled=False, locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = dashboard_server
    page.goto(f"{base}/masuk")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Dasbor TPP")
    page.click("text=Atur pagu anggaran TPP")
    page.select_option("select[name=opd_id]", index=2)
    page.fill("input[name=amount]", "12.500,50")
    page.click("text=Simpan pagu")
    assert page.locator("#err-amount").inner_text() == "Pagu anggaran dalam rupiah penuh, tanpa sen."
    assert page.input_value("input[name=amount]") == "12.500,50"
    page.fill("input[name=amount]", "1.000.000.000")
    page.click("text=Simpan pagu")
    assert "disimpan: Rp 1.000.000.000" in page.content()
    page.click("text=Dasbor TPP")
    assert page.locator("svg.chart").count() == 3
    assert "Disiplin: terlambat masuk (TL)" in page.content() and "Sangat Kurang" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tpp-dashboard.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("text=Unduh XLSX")
    assert dl.value.suggested_filename == "dasbor-tpp-2026-sd12.xlsx"
    context.close()
