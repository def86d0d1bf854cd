"""The Content-Security-Policy in a real browser: the pages and their htmx behaviour work with no violation
reported, and a same-site page that frames a payroll run gets nothing (frame-ancestors 'none')."""

from __future__ import annotations

import threading
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from kinerja_web.extensions import db
from kinerja_web.models import User

from ..web.skp_fixtures import make_period
from .helpers import session, settled
from .test_payroll_browser import payroll_app

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
OCT = date(2026, 10, 1)

# Reported by the page itself, whatever Chromium writes to the console; runs before any page script.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def csp_server(tmp_path_factory):
    """The payroll demo (150 employees) with a run waiting for the pejabat's approval, and an open SKP period
    with a draft SKP for the demo "atasan" (the 150-employee regency leaves "pegawai" without a post)."""
    from kinerja_web.services.payroll import compute, runs
    from kinerja_web.services.skp import planning

    app = payroll_app(tmp_path_factory.mktemp("csp"), 150)
    with app.app_context(), app.test_request_context():
        users = {n: db.session.scalar(select(User).where(User.username == n)) for n in ("operator", "verifikator")}
        run = runs.create_run(OCT, None, users["operator"])
        compute.compute_run(run, users["operator"])
        runs.transition(run, "verify", users["verifikator"])
        period = make_period()
        atasan = db.session.scalar(select(User).where(User.username == "atasan")).employee
        skp = planning.create_skp(atasan, period, planning.default_jenis(atasan), "kosong")
        db.session.commit()
        ids = SimpleNamespace(run=run.id, skp=skp.id)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", **vars(ids))
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def watched_session(browser, server, username: str):
    """A signed-in page whose console errors are collected (CSP violations among them)."""
    context, page = session(browser, server, username, js=True)
    errors: list[str] = []
    context.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/")  # once more, now with the reporter installed
    return context, page, errors


def csp_reports(errors: list[str]) -> list[str]:
    return [e for e in errors if "CSP-VIOLATION" in e or "Content Security Policy" in e]


def test_pages_and_htmx_work_under_the_csp_without_a_violation(browser, csp_server):
    from playwright.sync_api import expect

    context, page, errors = watched_session(browser, csp_server, "atasan")
    expect(page.locator("aside.sidenav")).to_be_visible()

    # An htmx swap: the directory's live search replaces #results and shows its indicator from app.css.
    page.locator("aside.sidenav").get_by_role("link", name="Direktori Pegawai").click()
    expect(page.get_by_role("heading", name="Direktori Pegawai")).to_be_visible()
    settled(page)
    page.evaluate("window.__noReload = true")  # a boosted/htmx page keeps its window; a reload would lose it
    page.get_by_role("searchbox", name="Cari nama atau NIP").press_sequentially("zzzz-tidak-ada")
    expect(page.locator("#results")).to_contain_text("Tidak ada", timeout=8000)
    assert page.evaluate("window.__noReload") is True
    assert page.locator("#cari-spinner").evaluate("e => getComputedStyle(e).visibility") == "hidden"

    # SKP editor autosave: a typed RHK not yet added is kept as a draft by an htmx request.
    page.goto(f"/skp/{csp_server.skp}")
    settled(page)
    page.locator("#tambah-rhk textarea[name=uraian]").fill("Tersusunnya laporan bulanan")
    expect(page.locator("#autosave-rhk-baru")).to_contain_text("Draf tersimpan", timeout=8000)

    # The print view takes its layout from a stylesheet now.
    page.goto(f"/skp/{csp_server.skp}/cetak")
    assert page.locator("h1").evaluate("e => getComputedStyle(e).textAlign") == "center"
    assert csp_reports(errors) == [], errors
    context.close()


def test_the_payroll_run_works_but_cannot_be_framed_by_another_page(browser, csp_server):
    from playwright.sync_api import expect

    context, page, errors = watched_session(browser, csp_server, "pejabat")
    run_url = f"{csp_server.url}/gaji/run/{csp_server.run}"
    page.goto(run_url)
    expect(page.get_by_role("button", name="Setujui")).to_be_visible()  # the button a framing page would aim at
    assert csp_reports(errors) == [], errors

    # A same-site page (another port of the same host, a real server: Chromium's local-network checks refuse a
    # frame of 127.0.0.1 inside a page it cannot place) frames the run with the pejabat's session cookie.
    trap = Response(f'<h1>Hadiah</h1><iframe src="{run_url}" width="900" height="600"></iframe>', mimetype="text/html")
    server = make_server("127.0.0.1", 0, trap, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/jebakan.html")
    finally:
        server.shutdown()
    page.wait_for_load_state("load")
    frame = next(f for f in page.frames if f is not page.main_frame)
    assert "Setujui" not in frame.content()
    assert page.frame_locator("iframe").get_by_role("button").count() == 0
    assert frame.url.startswith("chrome-error://"), frame.url  # Chromium refused the document, not just hid it
    context.close()
