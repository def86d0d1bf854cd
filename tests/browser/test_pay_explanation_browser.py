"""A real phone-width browser (390 px, JavaScript off) reads "Mengapa gaji saya sebesar ini?": the plain summary
first, the SVG waterfall within the screen, the comparison with September, the technical detail folded."""

from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from sqlalchemy import select, update
from werkzeug.serving import make_server

from kinerja_web.extensions import db
from kinerja_web.models import PayrollPredikat, User
from kinerja_web.services.payroll import compute, runs
from tests.browser.test_payroll_browser import login, payroll_app, see

pytestmark = pytest.mark.browser
SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def _final_run(month, users):
    run = runs.create_run(month, None, users["operator"])
    compute.compute_run(run, users["operator"])
    for step, who in (("verify", "verifikator"), ("approve", "pejabat"), ("finalise", "pejabat")):
        runs.transition(run, step, users[who])
    db.session.commit()
    return run.id


@pytest.fixture
def two_final_months(tmp_path):
    """September all Baik, October the demo employee Butuh Perbaikan; both months final."""
    app = payroll_app(tmp_path, 400)
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        pegawai = users["pegawai"].employee
        db.session.execute(
            update(PayrollPredikat)
            .where(PayrollPredikat.employee_id == pegawai.id, PayrollPredikat.month == OCT)
            .values(predikat="butuh_perbaikan")
        )
        for (eid,) in db.session.execute(select(PayrollPredikat.employee_id).where(PayrollPredikat.month == OCT)):
            db.session.add(PayrollPredikat(employee_id=eid, month=SEP, predikat="baik", source="uji"))
        db.session.commit()
        _final_run(SEP, users)
        oct_id = _final_run(OCT, users)
        path = f"/gaji/run/{oct_id}/pegawai/{pegawai.id}"
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", path
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def test_the_explanation_reads_at_phone_width_without_javascript(browser, two_final_months, shot):
    base, path = two_final_months
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="id-ID")
    with contextlib.closing(ctx) as context:
        page = context.new_page()
        login(page, base, "pegawai")
        page.goto(base + path)
        see(page, "Mengapa gaji saya sebesar ini?")
        summary = page.locator("#ringkasan")
        assert "karena predikat Oktober Anda Butuh Perbaikan" in summary.inner_text()
        assert page.locator("svg.waterfall").is_visible()
        box = page.locator("svg.waterfall").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        assert "Dibanding September 2026" in page.content()
        assert not page.locator("#rincian-teknis table").first.is_visible()  # folded until asked for
        shot(page, "pay-explanation-390", full_page=True)
        page.locator("#rincian-teknis summary").click()
        assert page.locator("#rincian-teknis table").first.is_visible()
        page.set_viewport_size({"width": 1280, "height": 900})
        shot(page, "pay-explanation-1280", full_page=True)
