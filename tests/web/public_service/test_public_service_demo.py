"""The seeded demo reaches the public-service pages: Dukcapil and the RSUD-like unit with 12 months of logs and a
visible improvement after the change date, linked IKIs, the evidence panel; every page in Bahasa Indonesia."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kinerja_web.models import IndikatorSignal, Period, Skp, Unit, User
from kinerja_web.services.public_service import dashboards
from kinerja_web.services.seed import demo as demo_seed
from kinerja_web.timeutil import today_wib
from tests.transactions import rolled_back

from ..ui.test_language import enum_values, findings, visible_text


@pytest.fixture(scope="module")
def demo(_app):
    today = today_wib()
    with _app.app_context(), rolled_back() as session:
        done = demo_seed.demo(400, today)
        session.flush()
        users = {u.username: u for u in session.scalars(select(User))}
        units = {
            u.code: u
            for u in session.scalars(select(Unit).where(Unit.code.like("DISDUKCAPIL%") | Unit.code.like("DINKES%")))
        }
        yield SimpleNamespace(app=_app, users=users, units=units, done=done.public_service, session=session)


def test_demo_shows_an_improvement_after_the_change_date(demo):
    for code in ("DISDUKCAPIL-B1", "DINKES-B1"):
        result = dashboards.before_after(demo.units[code], demo.done.change_date, 5)
        assert result.before.completed > 300 and result.after.completed > 300
        assert result.after.within_share > result.before.within_share + 20, code


def test_demo_officers_have_linked_ikis_and_the_penilai_sees_the_panel(demo):
    link = demo.session.scalars(select(IndikatorSignal)).first()
    skp = demo.session.get(Skp, link.indikator.rhk.skp_id)
    owner = next(u for u in demo.users.values() if u.employee_id == skp.employee_id) if any(
        u.employee_id == skp.employee_id for u in demo.users.values()) else None  # fmt: skip
    period = demo.session.get(Period, skp.period_id)
    appraiser_user = demo.users["kepegawaian"]  # HR reads the rating page of anyone
    r = demo.app.test_client(user=appraiser_user).get(f"/penilaian-kinerja/{period.id}/pegawai/{skp.employee_id}")
    assert r.status_code == 200 and "Bukti pelayanan publik" in r.get_data(as_text=True)
    if owner is not None:
        page = demo.app.test_client(user=owner).get(f"/skp/{skp.id}/realisasi").get_data(as_text=True)
        assert "Nilai terukur" in page


@pytest.mark.parametrize("username", ["layanan", "rsud", "kepegawaian", "pimpinan"])
def test_public_service_pages_speak_indonesian(demo, username):
    user = demo.users[username]
    client = demo.app.test_client(user=user)
    unit = demo.units["DISDUKCAPIL-B1" if username != "rsud" else "DINKES-B1"]
    pages = ["/layanan/", f"/layanan/unit/{unit.id}", f"/layanan/unit/{unit.id}/katalog",
             f"/layanan/unit/{unit.id}/sebelum-sesudah?tanggal={demo.done.change_date.isoformat()}"]  # fmt: skip
    if username in ("layanan", "rsud", "kepegawaian"):
        pages.append(f"/layanan/unit/{unit.id}/impor")
    if username in ("kepegawaian", "pimpinan"):
        pages.append("/layanan/dasbor")
    if username == "kepegawaian":
        pages.append("/layanan/hari-libur")
    raw = enum_values()
    problems = {}
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        found = findings(visible_text(resp.get_data(as_text=True)), raw)
        if found:
            problems[path] = sorted(found)
    assert not problems, problems
