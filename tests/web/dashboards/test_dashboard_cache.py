"""The dashboard and menu are cached per worker under the data version; they must stay per user and fresh."""

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import Role
from kinerja_web.services import datacache


@pytest.fixture
def cache_on(app):
    app.config["DATA_CACHE"] = True
    datacache.clear()
    yield
    app.config["DATA_CACHE"] = False
    datacache.clear()


def test_cached_menus_stay_per_user(app, org_chart, cache_on):
    hr_page = app.test_client(user=org_chart.u_hr).get("/").get_data(as_text=True)
    staff_page = app.test_client(user=org_chart.u_staff).get("/").get_data(as_text=True)
    assert "Kualitas Data" in hr_page
    assert "Kualitas Data" not in staff_page


def test_a_role_change_shows_in_the_menu_at_once(app, org_chart, cache_on):
    client = app.test_client(user=org_chart.u_staff)
    assert "Kualitas Data" not in client.get("/").get_data(as_text=True)
    org_chart.u_staff.set_roles({Role.PEGAWAI, Role.ADMIN_KEPEGAWAIAN})
    db.session.commit()
    assert "Kualitas Data" in client.get("/").get_data(as_text=True)


def test_the_atasan_card_follows_an_org_change(app, org_chart, cache_on):
    client = app.test_client(user=org_chart.u_staff)
    assert "Kasi Uji" in client.get("/").get_data(as_text=True)
    org_chart.p_staff1.parent = org_chart.p_kabid
    db.session.commit()
    assert "Pejabat penilai: Kabid Uji" in client.get("/").get_data(as_text=True)


def test_a_warm_dashboard_runs_four_statements(app, org_chart, cache_on, count_queries):
    """The signed-in user, data version, latest notifications, unread count; to-dos, team, atasan, own post and
    head counts come from the cache."""
    client = app.test_client(user=org_chart.u_hr)
    client.get("/")
    with count_queries() as statements:
        body = client.get("/").get_data(as_text=True)
    assert "Selamat datang" in body
    assert len(statements) == 4, statements


def test_the_own_post_follows_a_rename(app, org_chart, cache_on):
    client = app.test_client(user=org_chart.u_staff)
    client.get("/")
    org_chart.p_staff1.name = "Analis Kinerja Baru"
    db.session.commit()
    assert "Analis Kinerja Baru" in client.get("/").get_data(as_text=True)
