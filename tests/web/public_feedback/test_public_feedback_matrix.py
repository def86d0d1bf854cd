"""Authorization matrix of the SKM, complaint and innovation routes: public kiosk, unit operator, named employee,
atasan, HR, other employee; ids changed in the URL."""

from __future__ import annotations

import pytest

from ..helpers import Route

ACTORS = ["anon", "op", "staff", "kasi", "hr", "other"]
HANDLERS = frozenset({"op", "hr"})
EVERYONE = frozenset(ACTORS) - {"anon"}
PUBLIC = "public"


def _r(name, method, path, ok, allowed, denied=403, data=None):
    return Route(name, method, path, ok, frozenset(allowed), denied, data=data)


ROUTES = [
    # the kiosk: public, no login; a closed or missing period is not found for anybody
    _r("kiosk page", "GET", lambda ns: f"/survei/{ns.period.id}", 200, {PUBLIC, *EVERYONE}),
    _r(
        "kiosk submit",
        "POST",
        lambda ns: f"/survei/{ns.period.id}",
        303,
        {PUBLIC, *EVERYONE},
        data=lambda ns: {f"u{i}": "4" for i in range(1, 10)},
    ),
    _r("kiosk thanks", "GET", lambda ns: f"/survei/{ns.period.id}/terima-kasih", 200, {PUBLIC, *EVERYONE}),
    _r("kiosk of a closed period", "GET", lambda ns: f"/survei/{ns.closed_period.id}", 404, {PUBLIC}, 404),
    _r("kiosk of a missing period", "GET", lambda ns: "/survei/999999", 404, {PUBLIC}, 404),
    # SKM operator pages
    _r("skm index", "GET", lambda ns: "/skm/", 200, HANDLERS | {"kasi"}),
    _r("skm new period, incomplete", "POST", lambda ns: "/skm/periode/baru", 422, HANDLERS | {"kasi"}),
    _r("skm period", "GET", lambda ns: f"/skm/periode/{ns.period.id}", 200, HANDLERS | {"kasi"}, 404),
    _r("skm missing period", "GET", lambda ns: "/skm/periode/999999", 404, set(), 404),
    _r(
        "skm paper entry",
        "POST",
        lambda ns: f"/skm/periode/{ns.period.id}/kertas",
        303,
        HANDLERS | {"kasi"},
        404,
        data=lambda ns: {"lines": "443344334"},
    ),
    _r(
        "skm import without file",
        "POST",
        lambda ns: f"/skm/periode/{ns.period.id}/impor",
        422,
        HANDLERS | {"kasi"},
        404,
    ),
    _r("skm kiosk close", "POST", lambda ns: f"/skm/periode/{ns.period.id}/kios/tutup", 303, HANDLERS | {"kasi"}, 404),
    _r(
        "skm report without answers",
        "POST",
        lambda ns: f"/skm/periode/{ns.period.id}/laporan",
        422,
        HANDLERS | {"kasi"},
        404,
        data=lambda ns: {"issued_on": "2026-12-01"},
    ),
    _r("skm report pdf not issued", "GET", lambda ns: f"/skm/periode/{ns.period.id}/laporan.pdf", 404, set(), 404),
    _r("skm trend", "GET", lambda ns: f"/skm/unit/{ns.opd.id}/tren", 200, HANDLERS | {"kasi", "staff"}, 404),
    _r(
        "feedback dashboard of the unit",
        "GET",
        lambda ns: f"/skm/dasbor/unit/{ns.opd.id}",
        200,
        HANDLERS | {"kasi", "staff"},
        404,
    ),
    _r(
        "feedback dashboard export",
        "GET",
        lambda ns: f"/skm/dasbor/unit/{ns.opd.id}/ekspor.xlsx",
        200,
        HANDLERS | {"kasi", "staff"},
        404,
    ),
    _r("feedback dashboard of a missing unit", "GET", lambda ns: "/skm/dasbor/unit/999999", 404, set(), 404),
    _r("regency feedback dashboard", "GET", lambda ns: "/skm/dasbor", 200, {"hr"}),
    # complaints
    _r("complaints list", "GET", lambda ns: "/pengaduan/", 200, EVERYONE),
    _r("complaint form", "GET", lambda ns: "/pengaduan/baru", 200, HANDLERS | {"kasi"}),
    _r("registered complaint", "GET", lambda ns: f"/pengaduan/{ns.registered.id}", 200, HANDLERS | {"kasi"}, 404),
    _r("verified complaint", "GET", lambda ns: f"/pengaduan/{ns.verified.id}", 200, HANDLERS | {"kasi", "staff"}, 404),
    _r("missing complaint", "GET", lambda ns: "/pengaduan/999999", 404, set(), 404),
    _r(
        "edit registered complaint",
        "GET",
        lambda ns: f"/pengaduan/{ns.registered.id}/ubah",
        200,
        HANDLERS | {"kasi"},
        404,
    ),
    # the named employee (and anybody) may not edit a verified complaint
    _r("edit verified complaint", "GET", lambda ns: f"/pengaduan/{ns.verified.id}/ubah", 403, set(), 404),
    _r(
        "verify complaint",
        "POST",
        lambda ns: f"/pengaduan/{ns.registered.id}/verifikasi",
        303,
        HANDLERS | {"kasi"},
        404,
        data=lambda ns: {"verdict": "terbukti", "reason": "Saksi membenarkan."},
    ),
    _r(
        "follow up complaint",
        "POST",
        lambda ns: f"/pengaduan/{ns.verified.id}/tindak-lanjut",
        303,
        HANDLERS | {"kasi"},
        404,
        data=lambda ns: {"text": "Petugas dibina."},
    ),
    _r(
        "respond to verified complaint",
        "POST",
        lambda ns: f"/pengaduan/{ns.verified.id}/tanggapan",
        303,
        {"staff"},
        404,
        data=lambda ns: {"text": "Saat itu antrean sangat panjang."},
    ),
    _r("deadlines", "GET", lambda ns: "/pengaduan/tenggat", 200, {"hr"}),
    # innovations
    _r("innovations list", "GET", lambda ns: "/inovasi/", 200, EVERYONE - {"hr"} | {"hr"}),
    _r("innovation form", "GET", lambda ns: "/inovasi/baru", 200, EVERYONE),
    _r("innovation", "GET", lambda ns: f"/inovasi/{ns.innovation.id}", 200, HANDLERS | {"kasi", "staff"}, 404),
    _r("missing innovation", "GET", lambda ns: "/inovasi/999999", 404, set(), 404),
    _r(
        "edit innovation", "GET", lambda ns: f"/inovasi/{ns.innovation.id}/ubah", 200, HANDLERS | {"kasi", "staff"}, 404
    ),
    _r(
        "review innovation",
        "POST",
        lambda ns: f"/inovasi/{ns.innovation.id}/tinjau",
        303,
        {"hr"},
        404,
        data=lambda ns: {"decision": "terima"},
    ),
    _r(
        "upload without a file",
        "POST",
        lambda ns: f"/inovasi/{ns.innovation.id}/berkas",
        422,
        {"op", "hr", "staff", "kasi"},
        404,
    ),
    _r("missing innovation file", "GET", lambda ns: f"/inovasi/{ns.innovation.id}/berkas/999999", 404, set(), 404),
    _r(
        "award from a submitted innovation",
        "POST",
        lambda ns: f"/inovasi/{ns.innovation.id}/usul-penghargaan",
        403,
        set(),
        404,
    ),
]

# who gets the "denied" status for a record they may see but not change (403 instead of 404)
SEES = {
    "follow up complaint": {"staff"},
    "respond to verified complaint": {"op", "hr", "kasi"},
    "review innovation": {"op", "kasi", "staff"},
    "award from a submitted innovation": {"op", "hr", "kasi", "staff"},
    "edit verified complaint": {"op", "hr", "kasi", "staff"},
}


def _user(world, actor):
    return {
        "op": world.u_op,
        "staff": world.u_staff,
        "kasi": world.u_kasi,
        "hr": world.u_hr,
        "other": world.u_other,
    }.get(actor)


def _expected(route, actor):
    if actor in route.allowed or (actor != "anon" and PUBLIC in route.allowed):
        return route.ok
    if actor == "anon":
        return route.ok if PUBLIC in route.allowed else "login"
    if actor in SEES.get(route.name, set()):
        return 403
    return route.denied


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_answers_each_actor_as_the_rules_say(app, feedback_world, route, actor):
    user = _user(feedback_world, actor)
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(feedback_world) if route.data else {}
    r = client.open(route.path(feedback_world), method=route.method, data=data if route.method == "POST" else None)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
        assert r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:800]


def test_every_route_of_the_area_is_in_the_matrix(app):
    covered = set()
    adapter = app.url_map.bind("kinerja.test")
    for route in ROUTES:
        path = route.path(_Ids())
        covered.add(adapter.match(path, method=route.method)[0])
    registered = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"skm", "skm_kiosk", "complaints", "innovations"}
    }
    # GET answers of POST-only targets and the edit/new POSTs share their GET rows
    missing = {e for e in registered - covered if not e.endswith("__page")}
    assert not missing, missing


class _Ids:
    def __getattr__(self, name):
        from types import SimpleNamespace

        return SimpleNamespace(id=1)
