"""CSRF is enforced (Flask-WTF): this module runs an app with protection on, as in production."""

from __future__ import annotations

import re

import pytest

from kinerja_web.extensions import db
from tests.conftest import make_test_app


@pytest.fixture(scope="module")
def csrf_app():
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
    return app


def _token(client) -> str:
    body = client.get("/masuk").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)


def test_post_without_a_token_gets_the_indonesian_expired_session_page(csrf_app):
    r = csrf_app.test_client().post("/masuk", data={"username": "x", "password": "y"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Sesi Anda kedaluwarsa" in body and "Muat ulang halaman lalu coba lagi." in body
    assert '<html lang="id">' in body


def test_post_with_a_forged_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    _token(client)
    r = client.post("/masuk", data={"username": "x", "password": "y"}, headers={"X-CSRFToken": "palsu"})
    assert r.status_code == 400


def test_post_with_the_token_in_the_x_csrftoken_header_passes(csrf_app):
    client = csrf_app.test_client()
    token = _token(client)
    r = client.post("/masuk", data={"username": "tidak-ada", "password": "y"}, headers={"X-CSRFToken": token})
    assert r.status_code == 422  # past CSRF: the sign-in itself is what failed
    assert "NIP/nama pengguna atau kata sandi salah" in r.get_data(as_text=True)


def test_post_with_the_token_as_a_form_field_passes(csrf_app):
    client = csrf_app.test_client()
    token = _token(client)
    r = client.post("/keluar", data={"csrf_token": token})
    assert r.status_code == 303


def test_htmx_post_without_a_token_shows_the_message_in_the_flash_area(csrf_app):
    r = csrf_app.test_client().post("/keluar", headers={"HX-Request": "true"})
    assert r.status_code == 400
    assert r.headers["HX-Retarget"] == "#pesan"
    assert r.headers["HX-Reswap"] == "innerHTML"
    body = r.get_data(as_text=True)
    assert "Sesi Anda kedaluwarsa" in body and "<html" not in body


def test_every_page_sends_the_token_to_htmx_in_a_header(csrf_app):
    body = csrf_app.test_client().get("/masuk").get_data(as_text=True)
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", body)
