"""Beranda per role in a real browser, JavaScript off, at desktop and phone width: the cards are there and the
page never scrolls sideways. Screenshots land in test-artifacts/ (beranda-<role>-<width>.png)."""

from __future__ import annotations

import pytest

from ..web.skp_fixtures import make_period
from .helpers import browser_app, serving, session

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

CARDS = {
    "pegawai": ("#kartu-skp", "#kartu-predikat", "#kartu-360", "#kartu-jp", "#kartu-gaji"),
    "atasan": ("#kartu-skp", "#kartu-tim", "#kartu-skp-tim", "#kartu-penilaian-tim", "#kartu-360-tim"),
    "kepegawaian": ("#kartu-kualitas-data", "#kemajuan-opd"),
    "operator": ("#kartu-run",),
    "pimpinan": ("#kartu-pimpinan", "#kartu-skp"),
}


@pytest.fixture(scope="module")
def home_server(tmp_path_factory):
    """`flask seed demo` plus this year's open period with the atasan's team SKP in several states."""
    from sqlalchemy import select

    from kinerja_web.domain.skp import SkpJenis
    from kinerja_web.domain.workflow import SkpStatus
    from kinerja_web.extensions import db
    from kinerja_web.models import Skp, User
    from kinerja_web.services.org import appraisers
    from kinerja_web.services.seed.demo import demo
    from kinerja_web.timeutil import today_wib

    app = browser_app(tmp_path_factory.mktemp("beranda"))
    with app.app_context():
        db.create_all()
        today = today_wib()
        demo(400, today)
        from kinerja_web.models import Period

        # the demo opens this year's period (the public-service IKI need one); older demos did not
        period = db.session.scalars(select(Period).where(Period.year == today.year)).first() or make_period(today.year)
        atasan = db.session.scalars(select(User).where(User.username == "atasan")).one().employee
        states = (SkpStatus.APPROVED, SkpStatus.SUBMITTED, SkpStatus.DRAFT)
        for i, emp in enumerate(appraisers.direct_subordinates(atasan, today)):
            skp = Skp(employee=emp, period=period, jenis=SkpJenis.KUANTITATIF, status=states[i % 3])
            skp.appraiser_id = atasan.id
            db.session.add(skp)
        db.session.commit()
        db.session.remove()
    with serving(app) as server:
        yield server


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("username", sorted(CARDS))
def test_each_role_sees_its_cards_at_desktop_and_phone_width(browser, home_server, shot, username, width):
    context, page = session(browser, home_server, username, js=False)
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        for card in CARDS[username]:
            assert page.locator(card).is_visible(), card
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{username} at {width}px scrolls sideways by {overflow}px"
        shot(page, f"beranda-{username}-{width}", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_demo_pimpinan_reads_the_five_dashboards(browser, home_server, shot, width):
    """The Sekda (`pimpinan`, whole regency) opens every leadership dashboard, read-only, at both widths."""
    context, page = session(browser, home_server, "pimpinan", js=False)
    try:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (
            ("predikat", "/penilaian-kinerja/dasbor/"),
            ("360", "/penilaian-kinerja/dasbor/360"),
            ("tpp", "/gaji/dasbor"),
            ("jp", "/pengembangan/dasbor"),
            ("efektivitas", "/pengembangan/efektivitas"),
        ):
            assert page.goto(path).status == 200, path
            assert page.locator("h1").is_visible()
            assert page.get_by_text("Atur pagu anggaran TPP").count() == 0
            shot(page, f"pimpinan-{name}-{width}", full_page=True)
    finally:
        context.close()
