"""Real-browser fixtures: the real app on a temp SQLite file with demo data, served by werkzeug in a thread,
driven by Debian's Chromium through Playwright (never a downloaded browser).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app with the demo regency and the demo accounts: `url`, and `target` (an employee to search for)."""
    from werkzeug.serving import make_server

    from kinerja_web import create_app
    from kinerja_web.extensions import db
    from kinerja_web.services.seed import accounts, org
    from kinerja_web.timeutil import today_wib

    tmp = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'kinerja.sqlite3'}",
            "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
        }
    )
    from werkzeug.security import generate_password_hash

    from kinerja_web.models import User

    demo_hash = generate_password_hash(accounts.DEMO_PASSWORD)  # one real scrypt hash instead of eight

    with (
        app.app_context(),
        mock.patch.object(User, "set_password", lambda u, _pw: setattr(u, "password_hash", demo_hash)),
    ):
        db.create_all()
        today = today_wib()
        org.build_regency(400, today=today)  # the same regency as `flask seed demo`
        accounts.create_demo_accounts(today)
        db.session.commit()
        from sqlalchemy import select

        from kinerja_web.models import Employee

        emp = db.session.scalars(
            select(Employee).where(Employee.active.is_(True), Employee.position_id.is_not(None)).order_by(Employee.id)
        ).all()[57]
        target = SimpleNamespace(id=emp.id, name=emp.name, full_name=emp.full_name, nip=emp.nip)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", target=target)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def shot():
    """Save a full-page screenshot into test-artifacts/ (gitignored) for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = False) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    return take
