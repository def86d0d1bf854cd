"""The seeded demo reaches the public-feedback pages: two SKM periods per service unit with an improving IKM,
complaints in every status, innovations; every page in Bahasa Indonesia."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kinerja_web.domain.public_feedback import ComplaintStatus, Verdict
from kinerja_web.models import Complaint, Innovation, SkmPeriod, Unit, User
from kinerja_web.services.seed import demo as demo_seed
from kinerja_web.services.skm import surveys
from kinerja_web.timeutil import today_wib
from tests.transactions import rolled_back

from ..ui.test_language import enum_values, findings, visible_text


@pytest.fixture(scope="module")
def demo(_app):
    with _app.app_context(), rolled_back() as session:
        demo_seed.demo(400, today_wib())
        session.flush()
        users = {u.username: u for u in session.scalars(select(User))}
        units = {u.code: u for u in session.scalars(select(Unit).where(Unit.code.in_(["DISDUKCAPIL-B1", "DINKES-B1"])))}
        yield SimpleNamespace(app=_app, users=users, units=units, session=session)


def test_demo_has_two_improving_survey_periods_per_unit(demo):
    for unit in demo.units.values():
        trend = surveys.trend(unit.id)
        assert len(trend) == 2
        assert trend[1].result.converted > trend[0].result.converted
        assert trend[0].period.document is not None  # the earlier period's Laporan Hasil SKM


def test_demo_has_complaints_in_every_status_and_innovations(demo):
    rows = demo.session.scalars(select(Complaint)).all()
    assert len(rows) >= 30
    assert {c.status for c in rows} == set(ComplaintStatus)
    assert any(c.verdict == Verdict.SUBSTANTIATED and c.responses for c in rows)
    assert len(demo.session.scalars(select(Innovation)).all()) >= 3


@pytest.mark.parametrize("username", ["layanan", "kepegawaian", "pegawai"])
def test_public_feedback_pages_speak_indonesian(demo, username):
    client = demo.app.test_client(user=demo.users[username])
    unit = demo.units["DISDUKCAPIL-B1"]
    period = demo.session.scalars(select(SkmPeriod).where(SkmPeriod.unit_id == unit.id, SkmPeriod.kiosk_open)).first()
    complaint = demo.session.scalars(select(Complaint).where(Complaint.unit_id == unit.id)).first()
    innovation = demo.session.scalars(select(Innovation).where(Innovation.unit_id == unit.id)).first()
    pages = ["/pengaduan/", "/inovasi/", f"/survei/{period.id}"]
    if username != "pegawai":
        pages += ["/skm/", f"/skm/periode/{period.id}", f"/skm/unit/{unit.id}/tren", f"/skm/dasbor/unit/{unit.id}",
                  f"/pengaduan/{complaint.id}", f"/inovasi/{innovation.id}", "/pengaduan/baru", "/inovasi/baru"]  # fmt: skip
    if username == "kepegawaian":
        pages += ["/skm/dasbor", "/pengaduan/tenggat"]
    raw = enum_values()
    problems = {}
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        found = findings(visible_text(resp.get_data(as_text=True)), raw)
        if found:
            problems[path] = sorted(found)
    assert not problems, problems


def test_the_operator_s_iki_shows_the_measured_ikm_in_the_realisasi_form(demo):
    from kinerja_web.domain.public_service import SignalKind
    from kinerja_web.models import IndikatorSignal, Skp

    link = demo.session.scalars(select(IndikatorSignal).where(IndikatorSignal.kind == SignalKind.UNIT_IKM)).first()
    skp = demo.session.get(Skp, link.indikator.rhk.skp_id)
    page = demo.app.test_client(user=demo.users["layanan"]).get(f"/skp/{skp.id}/realisasi").get_data(as_text=True)
    assert "Nilai IKM unit" in page and "Nilai terukur" in page
