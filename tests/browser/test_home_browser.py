"""Beranda per role in a real browser, JavaScript off, at desktop and phone width: the cards are there and the
page never scrolls sideways. Screenshots land in test-artifacts/ (beranda-<role>-<width>.png)."""

from __future__ import annotations

import re
import threading
from datetime import date
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from kinerja_web.services.seed.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

CARDS = {
    "pegawai": ("#kartu-skp", "#kartu-predikat", "#kartu-360", "#kartu-jp", "#kartu-gaji"),
    "atasan": ("#kartu-skp", "#kartu-tim", "#kartu-skp-tim", "#kartu-penilaian-tim", "#kartu-360-tim"),
    "kepegawaian": ("#kartu-kualitas-data", "#kemajuan-opd"),
    "operator": ("#kartu-run",),
}


@pytest.fixture(scope="module")
def home_server(tmp_path_factory):
    """`flask seed demo` plus this year's open period with the atasan's team SKP in several states."""
    from sqlalchemy import select

    from kinerja_web import create_app
    from kinerja_web.domain.skp import Frequency, PeriodStatus, SkpJenis
    from kinerja_web.domain.workflow import SkpStatus
    from kinerja_web.extensions import db
    from kinerja_web.models import Period, Skp, User
    from kinerja_web.services.org import appraisers
    from kinerja_web.services.seed.demo import demo
    from kinerja_web.timeutil import today_wib

    tmp = tmp_path_factory.mktemp("beranda")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'kinerja.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )
    with app.app_context():
        db.create_all()
        today = today_wib()
        demo(400, today)
        period = Period(
            year=today.year,
            frequency=Frequency.TRIWULAN,
            start_date=date(today.year, 1, 1),
            end_date=date(today.year, 12, 31),
            status=PeriodStatus.OPEN,
        )
        db.session.add(period)
        atasan = db.session.scalars(select(User).where(User.username == "atasan")).one().employee
        states = (SkpStatus.APPROVED, SkpStatus.SUBMITTED, SkpStatus.DRAFT)
        for i, emp in enumerate(appraisers.direct_subordinates(atasan, today)):
            db.session.add(
                Skp(employee=emp, period=period, jenis=SkpJenis.KUANTITATIF, status=states[i % 3], appraiser_id=atasan.id)
            )
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=5)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("username", sorted(CARDS))
def test_each_role_sees_its_cards_at_desktop_and_phone_width(browser, home_server, shot, username, width):
    context = browser.new_context(
        base_url=home_server.url, locale="id-ID", viewport={"width": width, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/masuk")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(re.compile(r"/$"))
        for card in CARDS[username]:
            assert page.locator(card).is_visible(), card
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{username} at {width}px scrolls sideways by {overflow}px"
        shot(page, f"beranda-{username}-{width}", full_page=True)
    finally:
        context.close()
