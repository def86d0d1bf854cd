"""Authorization matrix of the penilaian kinerja routes: (who × route) → status, ids changed in the URL."""

from __future__ import annotations

import pytest

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import PerformanceRating, Role

from ..helpers import Route
from ..skp_fixtures import *  # noqa: F403

ACTORS = ["anon", "staff", "kasi", "kabid", "other", "hr", "operator", "admin"]
LOGGED_IN = frozenset(ACTORS) - {"anon"}
HR = frozenset({"hr", "admin"})
VIEWERS = HR | {"staff", "kasi", "kabid"}  # self, appraiser, superior, HR
LEADERS = HR | {"kasi", "kabid"}  # in the fixture both lead posts of the OPD unit
REASON = {"hasil_kerja": "di_bawah", "perilaku_kerja": "sesuai", "alasan": "Alasan kalibrasi yang cukup panjang."}
RATE = {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", "aksi": "simpan"}


def base(ns):
    return f"/penilaian-kinerja/{ns.period.id}"


NOT_VIEWERS = LOGGED_IN - VIEWERS
ROUTES = [
    Route("index", "GET", lambda ns: "/penilaian-kinerja/", 200, LOGGED_IN),
    Route("preview", "GET", lambda ns: "/penilaian-kinerja/pratinjau?hasil_kerja=sesuai", 200, LOGGED_IN),
    # Rating rules as versioned data: HR reads the tables and adds versions; a refused version answers 422.
    Route("rating rule tables", "GET", lambda ns: "/penilaian-kinerja/aturan", 200, frozenset(HR)),
    Route("rating rule form", "GET", lambda ns: "/penilaian-kinerja/aturan/predikat_matriks", 200, frozenset(HR)),
    Route(
        "rating rule version refused",
        "POST",
        lambda ns: "/penilaian-kinerja/aturan/batas_keberatan",
        422,
        frozenset(HR),
        data={"hari": "0", "jenis": "kalender", "citation": "", "berlaku_mulai": "2021-01-01"},
    ),
    Route("unknown rating rule table", "GET", lambda ns: "/penilaian-kinerja/aturan/tidak_ada", 404, frozenset(HR)),
    Route("rating page", "GET", lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}", 200, VIEWERS, outsider=NOT_VIEWERS),
    Route("rating page of a missing employee", "GET", lambda ns: f"{base(ns)}/pegawai/999999", 404, frozenset(), 404),
    Route(
        "rating page of a missing period",
        "GET",
        lambda ns: f"/penilaian-kinerja/999999/pegawai/{ns.staff1.id}",
        404,
        frozenset(),
        404,
    ),
    Route(
        "rating page of an unknown window",
        "GET",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}?jendela=13",
        404,
        frozenset(),
        404,
    ),
    Route(
        "save rating",
        "POST",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}",
        303,
        frozenset({"kasi"}),
        outsider=NOT_VIEWERS,
        data=RATE,
    ),
    Route(
        "save rating of the appraiser himself",
        "POST",
        lambda ns: f"{base(ns)}/pegawai/{ns.kasi.id}",
        303,
        frozenset({"kabid"}),
        outsider=LOGGED_IN - VIEWERS - {"staff"} | {"staff"},
        data=RATE,
    ),
    Route(
        "finalise",
        "POST",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}/final",
        303,
        frozenset({"kasi"}),
        outsider=NOT_VIEWERS,
    ),
    Route("calibration view", "GET", lambda ns: f"{base(ns)}/unit/{ns.opd.id}", 200, LEADERS),
    Route("calibration view of another OPD", "GET", lambda ns: f"{base(ns)}/unit/{ns.other_opd.id}", 200, HR),
    Route("calibration view of a missing unit", "GET", lambda ns: f"{base(ns)}/unit/999999", 404, frozenset(), 404),
    Route(
        "set organisation predikat",
        "POST",
        lambda ns: f"{base(ns)}/unit/{ns.opd.id}/predikat",
        303,
        HR,
        data={"predikat": "baik"},
    ),
    Route("mark calibrated", "POST", lambda ns: f"{base(ns)}/unit/{ns.opd.id}/selesai", 303, LEADERS),
    Route(
        "calibrate a rating",
        "POST",
        lambda ns: f"{base(ns)}/unit/{ns.opd.id}/kalibrasi/{ns.rating.id}",
        303,
        LEADERS,
        data=REASON,
    ),
    # F5 on a form's URL left in the address bar by a boosted answer: a redirect to the page, which authorizes
    Route(
        "GET on the finalise form's URL", "GET", lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}/final", 303, LOGGED_IN
    ),
    Route(
        "GET on the keberatan form's URL",
        "GET",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}/keberatan",
        303,
        LOGGED_IN,
    ),
    Route(
        "GET on the unit predikat form's URL", "GET", lambda ns: f"{base(ns)}/unit/{ns.opd.id}/predikat", 303, LOGGED_IN
    ),
    Route("GET on the 'selesai' form's URL", "GET", lambda ns: f"{base(ns)}/unit/{ns.opd.id}/selesai", 303, LOGGED_IN),
    Route(
        "GET on a calibration form's URL",
        "GET",
        lambda ns: f"{base(ns)}/unit/{ns.opd.id}/kalibrasi/{ns.rating.id}",
        303,
        LOGGED_IN,
    ),
    Route(
        "calibrate a rating through another unit",
        "POST",
        lambda ns: f"{base(ns)}/unit/{ns.other_opd.id}/kalibrasi/{ns.rating.id}",
        404,
        HR,
        data=REASON,
    ),
]


@pytest.fixture
def world(org_chart, make_user, period):
    ns = org_chart
    ns.u_kabid = make_user("kabid1", {Role.PEGAWAI}, ns.kabid)
    ns.period = period
    ns.rating = PerformanceRating(
        employee_id=ns.staff1.id,
        period_id=period.id,
        hasil_kerja=Ekspektasi.SESUAI,
        perilaku_kerja=Ekspektasi.SESUAI,
        predikat=Predikat.BAIK,
    )
    db.session.add(ns.rating)
    db.session.commit()
    return ns


def _expected(route: Route, actor: str):
    if actor == "anon":
        return "login"
    if actor in route.allowed:
        return route.ok
    return 404 if actor in route.outsider else route.denied


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_rating_route_answers_each_actor_as_the_rules_say(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    r = client.open(route.path(world), method=route.method, data=route.data if route.method == "POST" else None)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:300]


def test_every_rating_route_is_in_the_matrix(app):
    class Dummy:
        def __getattr__(self, name):
            return type("X", (), {"id": 1})()

    adapter = app.url_map.bind("kinerja.test")
    from .test_keberatan_access import ROUTES as EVALUATION_ROUTES  # locking, documents, keberatan

    covered = {adapter.match(r.path(Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES + EVALUATION_ROUTES}
    registered = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("rating.")}
    assert registered <= covered, registered - covered
