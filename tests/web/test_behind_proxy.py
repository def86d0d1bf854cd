"""Behind nginx (KINERJA_BEHIND_PROXY=1) the app sees the client's address, which the audit log records."""

from __future__ import annotations

from flask import request

from kinerja_web import create_app


def _remote_addr_seen(behind_proxy: bool) -> str:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "BEHIND_PROXY": behind_proxy})
    app.add_url_rule("/_ip", "_ip", lambda: request.remote_addr or "")
    return app.test_client().get("/_ip", headers={"X-Forwarded-For": "10.1.2.3"}).get_data(as_text=True)


def test_forwarded_client_address_is_trusted_behind_the_proxy():
    assert _remote_addr_seen(True) == "10.1.2.3"


def test_forwarded_header_is_ignored_without_the_proxy_setting():
    assert _remote_addr_seen(False) == "127.0.0.1"
