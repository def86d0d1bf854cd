"""Error pages are Indonesian; htmx fragment requests get the message in the flash area instead."""

from __future__ import annotations

import pytest

from tests.conftest import make_test_app


@pytest.fixture(scope="module")
def boom_app():
    app = make_test_app(MAX_CONTENT_LENGTH=1024)

    @app.get("/_uji/galat")
    def boom():
        raise RuntimeError("uji galat server")

    @app.post("/_uji/unggah")
    def upload():
        from flask import request

        return str(len(request.form))

    return app


def test_missing_page_gets_the_indonesian_404_page(app, org_chart):
    r = app.test_client(user=org_chart.u_staff).get("/tidak-ada")
    body = r.get_data(as_text=True)
    assert r.status_code == 404
    assert "Halaman tidak ditemukan" in body and "Kembali ke beranda" in body


def test_forbidden_action_gets_the_indonesian_403_page(app, org_chart):
    r = app.test_client(user=org_chart.u_staff).get("/admin/pengguna")
    body = r.get_data(as_text=True)
    assert r.status_code == 403
    assert "Akses ditolak" in body and "Hubungi admin kepegawaian" in body


def test_wrong_method_gets_an_indonesian_405_page(app, org_chart):
    # (/keluar answers GET since form targets lead back to their page on reload; a PUT is still no method here)
    r = app.test_client(user=org_chart.u_staff).put("/keluar")
    assert r.status_code == 405
    assert "Metode tidak diizinkan" in r.get_data(as_text=True)


def test_server_error_gets_the_indonesian_500_page(boom_app, caplog):
    r = boom_app.test_client().get("/_uji/galat")
    body = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Terjadi kesalahan pada server" in body and "Data Anda tidak berubah" in body
    assert "uji galat server" not in body  # no internals shown to the user


def test_server_error_is_logged_with_the_path(boom_app, caplog):
    with caplog.at_level("ERROR", logger="kinerja_web.errors"):
        boom_app.test_client().get("/_uji/galat")
    assert any("/_uji/galat" in rec.getMessage() for rec in caplog.records)


def test_htmx_request_error_is_retargeted_to_the_flash_area(boom_app):
    r = boom_app.test_client().get("/_uji/galat", headers={"HX-Request": "true"})
    assert r.status_code == 500
    assert r.headers["HX-Retarget"] == "#pesan"
    assert r.headers["HX-Reswap"] == "innerHTML"
    body = r.get_data(as_text=True)
    assert "Terjadi kesalahan pada server" in body and "<html" not in body


def test_boosted_request_error_gets_the_full_page(boom_app):
    r = boom_app.test_client().get("/_uji/galat", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in r.get_data(as_text=True)
    assert "HX-Retarget" not in r.headers


def test_htmx_forbidden_error_lands_in_the_flash_area(app, org_chart):
    r = app.test_client(user=org_chart.u_staff).get("/admin/pengguna", headers={"HX-Request": "true"})
    assert r.status_code == 403
    assert r.headers["HX-Retarget"] == "#pesan"
    assert "Akses ditolak" in r.get_data(as_text=True)


def test_too_large_upload_gets_an_indonesian_413_page(boom_app):
    r = boom_app.test_client().post("/_uji/unggah", data={"berkas": "x" * 4096})
    assert r.status_code == 413
    assert "Berkas terlalu besar" in r.get_data(as_text=True)


def test_server_error_page_survives_a_broken_database(caplog):
    """When the header's own queries fail (database down), a self-contained 500 page still answers."""
    from sqlalchemy.exc import OperationalError

    app = make_test_app()

    @app.context_processor
    def header_needs_the_database():
        raise OperationalError("SELECT 1", {}, Exception("basis data mati"))

    @app.get("/_uji/galat-db")
    def boom():
        raise RuntimeError("uji galat server")

    with caplog.at_level("ERROR", logger="kinerja_web.errors"):
        r = app.test_client().get("/_uji/galat-db")
    body = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Terjadi kesalahan pada server" in body and "basis data mati" not in body
    assert any("standalone" in rec.getMessage() for rec in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "/skp/99999999999999999999999",
        "/skp/9223372036854775808",
        "/skp/2147483648",  # past PostgreSQL's INTEGER
        "/pegawai/99999999999999999999999/ubah",
        "/gaji/run/99999999999999999999999",
    ],
)
def test_an_oversized_id_in_the_url_is_not_found(app, org_chart, url):
    r = app.test_client(user=org_chart.u_hr).get(url)
    assert r.status_code == 404
    assert "Halaman tidak ditemukan" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/pegawai/?page=999999999999999999999",
        "/pegawai/?page=-5",
        "/admin/audit?page=999999999999999999999",
        "/admin/pengguna?page=999999999999999999999",
        "/notifikasi/?page=999999999999999999999",
        "/dokumen/?page=999999999999999999999",
        "/pegawai/?opd=99999999999999999999999",
        "/admin/audit?id=99999999999999999999999",
    ],
)
def test_an_oversized_number_in_the_query_is_not_a_server_error(app, org_chart, url):
    r = app.test_client(user=org_chart.u_admin).get(url)
    assert r.status_code == 200


def test_the_error_log_never_holds_the_session_token(app, org_chart, caplog, monkeypatch):
    """The log names the user by id; `get_id()` carries the session token, which signs a session in."""

    def boom():
        raise RuntimeError("uji galat server")

    org_chart.u_staff.session_token = "rahasia-token-sesi"
    monkeypatch.setitem(app.view_functions, "dashboard.index", boom)
    with caplog.at_level("ERROR", logger="kinerja_web.errors"):
        r = app.test_client(user=org_chart.u_staff).get("/")
    assert r.status_code == 500
    logged = "\n".join(rec.getMessage() + (rec.exc_text or "") for rec in caplog.records)
    assert f"(user {org_chart.u_staff.id})" in logged
    assert "rahasia-token-sesi" not in logged


@pytest.mark.parametrize("value", ["99999999999999999999999", "²"])
def test_an_unreadable_id_in_a_checked_list_is_skipped(app, org_chart, value):
    r = app.test_client(user=org_chart.u_kasi).post("/skp/persetujuan/massal", data={"skp_id": [value]})
    assert r.status_code == 303
