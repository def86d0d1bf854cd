"""Public-service signals in a real browser, with and without JavaScript: the Dukcapil operator imports a service
log with a bad row, sees the row's message and imports the fixed file; the officer's linked IKI shows the measured
completion share in the realisasi form; their pejabat penilai sees "Bukti pelayanan publik" while rating."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from playwright.sync_api import expect

from .helpers import browser_app, serving, session

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from kinerja_web.extensions import db
    from kinerja_web.models import IndikatorSignal, Skp, User
    from kinerja_web.services.seed import accounts, org
    from kinerja_web.services.seed import public_service as seed
    from kinerja_web.timeutil import today_wib

    app = browser_app(tmp_path_factory.mktemp("layanan-browser"))
    demo_hash = generate_password_hash(accounts.DEMO_PASSWORD)
    with (
        app.app_context(),
        mock.patch.object(User, "set_password", lambda u, _pw: setattr(u, "password_hash", demo_hash)),
    ):
        db.create_all()
        today = today_wib()
        org.build_regency(400, today=today)
        accounts.create_demo_accounts(today)
        seed.seed_public_service(today)
        db.session.commit()
        operator = db.session.scalar(select(User).where(User.username == "layanan"))
        skp = db.session.scalar(select(Skp).where(Skp.employee_id == operator.employee_id))
        assert db.session.scalar(
            select(IndikatorSignal.id).where(IndikatorSignal.indikator_id == skp.rhks[0].indikators[0].id)
        )
        unit_id = operator.employee.position.unit_id
        info = SimpleNamespace(skp_id=skp.id, period_id=skp.period_id, employee_id=operator.employee_id,
                               unit_id=unit_id, nip=operator.employee.nip, today=today)  # fmt: skip
    with serving(app) as srv:
        srv.info = info
        yield srv


def _csv(nip: str, today: date, bad: bool, tag: str) -> bytes:
    day = today - timedelta(days=3)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    lines = [
        "LAYANAN;NOMOR;DITERIMA;SELESAI;PETUGAS;KANAL;STATUS",
        f"KTP-EL;{tag}-1;{day:%d-%m-%Y} 08:00;{day:%d-%m-%Y} 11:00;{nip};loket;selesai",
    ]
    lines.append(f"KK;{tag}-2;{day:%d-%m-%Y} 09:00;{(day - timedelta(days=2)):%d-%m-%Y} 10:00;{nip};loket;" if bad else
                 f"KK;{tag}-2;{day:%d-%m-%Y} 09:00;{day:%d-%m-%Y} 10:00;{nip};loket;")  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_operator_import_realisasi_and_evidence_panel(browser, server, js):
    info = server.info
    context, page = session(browser, server, "layanan", js)
    page.goto("/layanan/")
    page.get_by_role("link", name="Impor catatan layanan").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impor catatan layanan")
    page.set_input_files(
        "#berkas", {"name": "log.csv", "mimeType": "text/csv", "buffer": _csv(info.nip, info.today, True, f"UJI{js}")}
    )
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator("#kesalahan")).to_be_visible()
    expect(page.locator("table")).to_contain_text("SELESAI sebelum DITERIMA")
    page.get_by_role("link", name="Unggah berkas lain").click()
    page.set_input_files(
        "#berkas", {"name": "log.csv", "mimeType": "text/csv", "buffer": _csv(info.nip, info.today, False, f"UJI{js}")}
    )
    page.get_by_role("button", name="Pratinjau").click()
    page.get_by_role("button", name=re.compile(r"Impor \d+ baris")).click()
    expect(page.locator("body")).to_contain_text("Impor selesai")
    expect(page.locator("svg.chart").first).to_be_visible()
    page.goto(f"/skp/{info.skp_id}/realisasi")
    measured = page.locator(".measured").first
    expect(measured).to_contain_text("Nilai terukur")
    expect(measured).to_contain_text("%")
    context.close()
    context, page = session(browser, server, "penilailayanan", js)
    page.goto(f"/penilaian-kinerja/{info.period_id}/pegawai/{info.employee_id}")
    panel = page.locator("#bukti-pelayanan-publik")
    expect(panel).to_contain_text("Bukti pelayanan publik")
    expect(panel).to_contain_text("Pegawai sebagai petugas")
    expect(panel).to_contain_text("bukan nilai otomatis")
    context.close()
