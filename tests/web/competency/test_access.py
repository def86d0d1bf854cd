"""Authorization matrix of every competency route: assessee (staff), atasan (kasi), another employee, HR,
finance, admin; anonymous users go to /masuk. Ids changed in URLs: another employee's profile, a missing one."""

from __future__ import annotations

import pytest

from kinerja_web.extensions import db
from kinerja_web.services.competency import assessments

from ..helpers import Route
from .fixtures import assess

ACTORS = ["anon", "staff", "kasi", "other", "hr", "operator", "admin"]
LOGGED_IN = frozenset(ACTORS) - {"anon"}
HR = frozenset({"hr", "admin"})
WITH_EMPLOYEE = frozenset({"staff", "kasi", "other"})


def _standard_form(ns):
    return {"berlaku_mulai": "2026-01-01", "dasar_hukum": "Perbup 1/2026", "lv-INT": "2"}


def _rule_form(ns):
    return {
        "berlaku_mulai": "2026-01-01",
        "optimal_from": "90",
        "cukup_from": "78",
        "weight_kategori": "60",
        "weight_jpm": "40",
        "tinggi_from": "85",
        "menengah_from": "65",
    }


ROUTES = [
    Route("index", "GET", lambda ns: "/kompetensi/", 200, LOGGED_IN),
    Route("standard of a post", "GET", lambda ns: f"/kompetensi/jabatan/{ns.p_staff1.id}", 200, LOGGED_IN),
    Route("standard of a missing post", "GET", lambda ns: "/kompetensi/jabatan/999999", 404, LOGGED_IN, 404),
    Route("standard edit page", "GET", lambda ns: f"/kompetensi/jabatan/{ns.p_staff1.id}/ubah", 200, HR),
    Route(
        "standard edit save",
        "POST",
        lambda ns: f"/kompetensi/jabatan/{ns.p_staff1.id}/ubah",
        303,
        HR,
        data=_standard_form,
    ),
    Route("standards list", "GET", lambda ns: "/kompetensi/standar", 200, HR),
    Route("standards export", "GET", lambda ns: "/kompetensi/standar/ekspor.xlsx", 200, HR),
    Route("standards import without a file", "POST", lambda ns: "/kompetensi/standar/impor", 422, HR, data={}),
    Route(
        "add a teknis competency",
        "POST",
        lambda ns: "/kompetensi/standar/teknis",
        303,
        HR,
        data={"code": "TK-UJI", "name": "Kompetensi teknis uji"},
    ),
    Route("events", "GET", lambda ns: "/kompetensi/penilaian", 200, HR),
    Route(
        "create event",
        "POST",
        lambda ns: "/kompetensi/penilaian",
        303,
        HR,
        data={"name": "CAT 2026", "method": "cat", "held_on": "2026-05-01", "provider": "BKN"},
    ),
    Route("event", "GET", lambda ns: f"/kompetensi/penilaian/{ns.event.id}", 200, HR),
    Route("missing event", "GET", lambda ns: "/kompetensi/penilaian/999999", 404, HR),
    Route(
        "add participant",
        "POST",
        lambda ns: f"/kompetensi/penilaian/{ns.event.id}/peserta",
        303,
        HR,
        data=lambda ns: {"nip": ns.staff2.nip},
    ),
    Route(
        "add assessor",
        "POST",
        lambda ns: f"/kompetensi/penilaian/{ns.event.id}/asesor",
        303,
        HR,
        data={"assessor_name": "Asesor Baru"},
    ),
    Route("import template", "GET", lambda ns: f"/kompetensi/penilaian/{ns.event.id}/templat.xlsx", 200, HR),
    Route("import upload without a file", "POST", lambda ns: f"/kompetensi/penilaian/{ns.event.id}/impor", 422, HR),
    Route(
        "import preview of an unknown upload",
        "GET",
        lambda ns: f"/kompetensi/penilaian/{ns.event.id}/impor/{'x' * 40}",
        303,
        HR,
    ),
    Route(
        "import confirm of an unknown upload",
        "POST",
        lambda ns: f"/kompetensi/penilaian/{ns.event.id}/impor/{'x' * 40}",
        303,
        HR,
        data={},
    ),
    Route("assessor meeting", "GET", lambda ns: f"/kompetensi/peserta/{ns.participant.id}/rapat", 200, HR),
    Route("missing participant", "GET", lambda ns: "/kompetensi/peserta/999999/rapat", 404, HR),
    Route(
        "assessor meeting save",
        "POST",
        lambda ns: f"/kompetensi/peserta/{ns.participant.id}/rapat",
        303,
        HR,
        data=lambda ns: {"version": str(ns.participant.version_id), "c-INT": "2"},
    ),
    Route(
        "share summary",
        "POST",
        lambda ns: f"/kompetensi/peserta/{ns.participant.id}/bagikan",
        303,
        HR,
        data={"shared": "y"},
    ),
    Route("own profile", "GET", lambda ns: "/kompetensi/saya", 200, WITH_EMPLOYEE),
    Route("assessee's profile", "GET", lambda ns: f"/kompetensi/pegawai/{ns.staff1.id}", 200, HR | {"staff"}),
    Route("another employee's profile", "GET", lambda ns: f"/kompetensi/pegawai/{ns.other.id}", 200, HR | {"other"}),
    Route("profile of a missing employee", "GET", lambda ns: "/kompetensi/pegawai/999999", 404, LOGGED_IN, 404),
    Route("issue report", "POST", lambda ns: f"/kompetensi/pegawai/{ns.staff1.id}/laporan", 303, HR, data={}),
    Route("OPD map", "GET", lambda ns: f"/kompetensi/opd?opd={ns.opd.id}", 200, HR),
    Route("OPD map export", "GET", lambda ns: f"/kompetensi/opd/ekspor.xlsx?opd={ns.opd.id}", 200, HR),
    Route("JPM rule", "GET", lambda ns: "/kompetensi/aturan", 200, HR),
    Route("JPM rule save", "POST", lambda ns: "/kompetensi/aturan", 303, HR, data=_rule_form),
    Route("training report", "GET", lambda ns: "/kompetensi/laporan/pelatihan", 200, HR),
]


@pytest.fixture
def world(org_chart):
    ns = org_chart
    ns.participant = assess(ns.staff1, "1")
    ns.event = ns.participant.event
    assessments.add_assessor(ns.event, "Asesor Dua")
    db.session.commit()
    return ns


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_competency_routes_answer_each_actor_as_the_rules_say(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(world) if callable(route.data) else route.data
    r = client.open(route.path(world), method=route.method, data=data if route.method == "POST" else None)
    if actor == "anon":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    elif actor in route.allowed:
        assert r.status_code == route.ok, r.get_data(as_text=True)[:400]
    else:
        assert r.status_code == route.denied


def test_the_atasan_sees_the_summary_only_after_hr_shares_it(app, world):
    c = app.test_client(user=world.u_kasi)
    assert c.get(f"/kompetensi/pegawai/{world.staff1.id}").status_code == 403
    app.test_client(user=world.u_hr).post(f"/kompetensi/peserta/{world.participant.id}/bagikan", data={"shared": "y"})
    r = c.get(f"/kompetensi/pegawai/{world.staff1.id}")
    assert r.status_code == 200 and "Ringkasan" in r.get_data(as_text=True)
    # another employee never does
    assert app.test_client(user=world.u_other).get(f"/kompetensi/pegawai/{world.staff1.id}").status_code == 403


def test_every_competency_route_is_in_the_matrix(app):
    class Dummy:
        def __getattr__(self, name):
            return type("X", (), {"id": 1, "nip": "1", "version_id": 1})()

    adapter = app.url_map.bind("kinerja.test")
    covered = {adapter.match(r.path(Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES}
    registered = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("competency.") and not rule.endpoint.endswith("__page")
    }
    assert registered == covered, registered ^ covered
