"""Ending sessions: sign-out invalidates every copy of the cookie, "keluar dari semua perangkat", and the CSRF
token that a sign-in replaces. (Password change and the HR reset: test_password.py, admin/test_accounts.py.)"""

from __future__ import annotations

import re

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog

PASSWORD = "rahasia-uji-123"


def _login(client, username="pegawai1", **extra):
    return client.post("/masuk", data={"username": username, "password": PASSWORD, **extra})


def _copy_of(app, client):
    """A second browser holding a copy of `client`'s session cookie (e.g. taken from a shared computer)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"], domain=app.config["SERVER_NAME"])
    other = app.test_client()
    other.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return other


def _sent_to_login(r) -> bool:
    return r.status_code == 302 and "/masuk" in r.headers["Location"]


def _csrf_token(client, path: str) -> str:
    body = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)


def test_a_copied_cookie_no_longer_opens_pages_after_sign_out(app, org_chart):
    first = app.test_client()
    assert _login(first).status_code == 303
    copy = _copy_of(app, first)
    assert copy.get("/").status_code == 200
    assert copy.get("/gaji/saya").status_code == 200
    assert first.post("/keluar").status_code == 303
    assert _sent_to_login(copy.get("/"))
    assert _sent_to_login(copy.get("/gaji/saya"))


def test_signing_in_again_after_sign_out_works(app, client, org_chart):
    _login(client)
    client.post("/keluar")
    assert _login(client).status_code == 303
    assert client.get("/").status_code == 200


def test_sign_out_without_a_session_just_goes_to_the_login_page(client):
    r = client.post("/keluar")
    assert r.status_code == 303 and r.headers["Location"].endswith("/masuk")


def test_account_page_offers_to_sign_out_everywhere(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get("/akun").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/akun/keluar-semua">.*?</form>', body, re.S)
    assert form and 'name="csrf_token"' in form.group(0)
    assert "Keluar dari semua perangkat" in form.group(0)


def test_sign_out_everywhere_ends_this_and_every_other_session(app, org_chart):
    here = app.test_client(user=org_chart.u_staff)
    elsewhere = app.test_client(user=org_chart.u_staff)
    assert elsewhere.get("/").status_code == 200
    r = here.post("/akun/keluar-semua")
    assert r.status_code == 303 and r.headers["Location"].endswith("/masuk")
    assert _sent_to_login(here.get("/"))
    assert _sent_to_login(elsewhere.get("/gaji/saya"))
    assert "telah keluar dari semua perangkat" in here.get("/masuk").get_data(as_text=True)


def test_sign_out_everywhere_is_audited(app, org_chart):
    app.test_client(user=org_chart.u_staff).post("/akun/keluar-semua")
    row = db.session.query(AuditLog).filter_by(action="logout_all").one()
    assert row.actor_id == row.entity_id == org_chart.u_staff.id
    assert row.entity == "user_account"
    assert org_chart.u_staff.session_token not in repr((row.before, row.after, row.summary))


def test_sign_out_everywhere_needs_a_session(client):
    assert _sent_to_login(client.post("/akun/keluar-semua"))
    assert db.session.query(AuditLog).filter_by(action="logout_all").count() == 0


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def test_sign_out_everywhere_works_from_the_form_with_csrf_on(csrf_on, org_chart):
    client = csrf_on.test_client(user=org_chart.u_staff)
    token = _csrf_token(client, "/akun")
    assert client.post("/akun/keluar-semua").status_code == 400  # no token: refused
    assert client.post("/akun/keluar-semua", data={"csrf_token": token}).status_code == 303
    assert _sent_to_login(client.get("/"))


def test_sign_in_replaces_the_csrf_token(csrf_on, org_chart):
    client = csrf_on.test_client()
    before = _csrf_token(client, "/masuk")
    with client.session_transaction() as session:
        raw_before = session["csrf_token"]
    assert _login(client, csrf_token=before).status_code == 303
    with client.session_transaction() as session:
        assert session.get("csrf_token") != raw_before
    assert client.post("/keluar", data={"csrf_token": before}).status_code == 400  # the pre-sign-in token is dead
    after = _csrf_token(client, "/akun")
    assert after != before
    assert client.post("/keluar", data={"csrf_token": after}).status_code == 303
