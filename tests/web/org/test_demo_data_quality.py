"""Issue #2 "done when": the data-quality queue lists the planted problems of the demo data.

The demo regency is built once for this module inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kinerja_web.models import User
from kinerja_web.services.org.data_quality import KINDS, data_quality_issues
from kinerja_web.services.seed.accounts import create_demo_accounts
from kinerja_web.services.seed.org import build_regency
from kinerja_web.timeutil import today_wib
from tests.transactions import rolled_back


@pytest.fixture(scope="module")
def demo(_app):
    today = today_wib()
    with _app.app_context(), rolled_back() as session:
        build_regency(400, today=today)
        create_demo_accounts(today)
        session.flush()
        hr = session.scalars(select(User).where(User.username == "kepegawaian")).one()
        yield SimpleNamespace(app=_app, today=today, hr=hr)


def test_demo_data_contains_every_kind_of_planted_problem(demo):
    counts = Counter(i.kind for i in data_quality_issues(demo.today))
    assert set(counts) == set(KINDS), counts


def test_demo_queue_page_shows_every_kind_to_hr(demo):
    body = demo.app.test_client(user=demo.hr).get("/organisasi/kualitas-data").get_data(as_text=True)
    for kind in KINDS:
        assert f'data-kind="{kind}"' in body, kind


def test_every_fix_link_of_the_demo_queue_opens_for_hr(demo):
    client = demo.app.test_client(user=demo.hr)
    body = client.get("/organisasi/kualitas-data").get_data(as_text=True)
    links = set(re.findall(r'<a href="([^"]+)">Perbaiki</a>', body))
    assert len(links) >= len(KINDS) - 1  # some problems share a fix page
    for link in sorted(links):
        assert client.get(link).status_code == 200, link


def test_demo_dashboard_shows_hr_the_data_quality_todo(demo):
    body = demo.app.test_client(user=demo.hr).get("/").get_data(as_text=True)
    assert re.search(r"\d+ masalah kualitas data pegawai perlu diperbaiki", body)


MENU = ("Kualitas Data", "Akun Pengguna", "Log Audit")
DEMO_MENUS = {
    "pegawai": set(),
    "atasan": set(),
    "kabid": set(),
    "kepegawaian": set(MENU),
    "operator": set(),
    "verifikator": set(),
    "pejabat": set(),
    "admin": set(MENU),
}


@pytest.mark.parametrize("username", sorted(DEMO_MENUS))
def test_each_demo_account_signs_in_and_sees_its_own_menu(demo, username):
    from kinerja_web.services.seed.accounts import DEMO_PASSWORD

    client = demo.app.test_client()
    r = client.post("/masuk", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 303
    body = client.get("/").get_data(as_text=True)
    shown = {label for label in MENU if f">{label}</a>" in body}
    assert shown == DEMO_MENUS[username]
    assert ">Direktori Pegawai</a>" in body
