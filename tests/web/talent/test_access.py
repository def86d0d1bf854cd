"""Authorization matrix of the peta talenta and dasbor penilaian routes: HR only, for every actor and route.

Potensial and the 9-box are HR data: the employee, their atasan and the finance roles get 403 on every
route, with their own or another person's id in the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.talent import Potensial
from kinerja_web.extensions import db
from kinerja_web.models import PerformanceRating, RatingStatus, TalentPotensial

from ..skp_fixtures import *  # noqa: F403

ACTORS = ["anon", "staff", "kasi", "kabid", "other", "hr", "operator", "admin"]
HR = frozenset({"hr", "admin"})


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: object  # callable(ns) -> str
    ok: int
    data: dict | None = None
    missing: bool = False  # a missing record: 404 for HR, still 403 for the others (they may not probe)

    def __str__(self) -> str:
        return self.name


ROUTES = [
    Route("talent grid", "GET", lambda ns: f"/talenta/?periode={ns.period.id}", 200),
    Route("talent grid of one OPD and box", "GET", lambda ns: f"/talenta/?opd={ns.opd.id}&kotak=9", 200),
    Route("talent grid of an unknown OPD", "GET", lambda ns: "/talenta/?opd=999999", 404, missing=True),
    Route("own potensial", "GET", lambda ns: f"/talenta/{ns.period.id}/pegawai/{ns.staff1.id}", 200),
    Route("subordinate's potensial", "GET", lambda ns: f"/talenta/{ns.period.id}/pegawai/{ns.kasi.id}", 200),
    Route(
        "potensial of a missing employee",
        "GET",
        lambda ns: f"/talenta/{ns.period.id}/pegawai/999999",
        404,
        missing=True,
    ),
    Route(
        "potensial of a missing period", "GET", lambda ns: f"/talenta/999999/pegawai/{ns.staff1.id}", 404, missing=True
    ),
    Route(
        "set own potensial",
        "POST",
        lambda ns: f"/talenta/{ns.period.id}/pegawai/{ns.staff1.id}",
        303,
        data={"potensial": "tinggi", "dasar": "Keputusan tim penilai kinerja"},
    ),
    Route(
        "set another's potensial",
        "POST",
        lambda ns: f"/talenta/{ns.period.id}/pegawai/{ns.other.id}",
        303,
        data={"potensial": "rendah", "dasar": "Keputusan tim penilai kinerja"},
    ),
    Route("bulk table", "GET", lambda ns: f"/talenta/{ns.period.id}/potensial?opd={ns.opd.id}", 200),
    Route(
        "bulk save",
        "POST",
        lambda ns: f"/talenta/{ns.period.id}/potensial?opd={ns.opd.id}",
        303,
        data=lambda ns: {f"p-{ns.staff1.id}": "menengah", "dasar": "Rapat tim penilai kinerja"},
    ),
    Route("import page", "GET", lambda ns: f"/talenta/{ns.period.id}/impor", 200),
    Route(
        "import upload without a file",
        "POST",
        lambda ns: f"/talenta/{ns.period.id}/impor",
        422,
    ),
    Route("predikat dashboard", "GET", lambda ns: f"/penilaian-kinerja/dasbor/?periode={ns.period.id}", 200),
    Route(
        "predikat dashboard of a missing period",
        "GET",
        lambda ns: "/penilaian-kinerja/dasbor/?periode=999999",
        404,
        missing=True,
    ),
    Route("predikat XLSX", "GET", lambda ns: f"/penilaian-kinerja/dasbor/predikat.xlsx?periode={ns.period.id}", 200),
    Route("360 progress", "GET", lambda ns: "/penilaian-kinerja/dasbor/360", 200),
    Route(
        "360 progress of a missing cycle",
        "GET",
        lambda ns: "/penilaian-kinerja/dasbor/360?siklus=999999",
        404,
        missing=True,
    ),
    Route("360 progress XLSX", "GET", lambda ns: f"/penilaian-kinerja/dasbor/360.xlsx?siklus={ns.cycle.id}", 200),
]


@pytest.fixture
def world(open360, make_user, period):
    ns = open360.oc
    ns.cycle = open360.cycle
    ns.period = period
    db.session.add(
        PerformanceRating(
            employee_id=ns.staff1.id,
            period_id=period.id,
            hasil_kerja=Ekspektasi.DI_ATAS,
            perilaku_kerja=Ekspektasi.DI_ATAS,
            predikat=Predikat.SANGAT_BAIK,
            status=RatingStatus.FINAL,
        )
    )
    db.session.add(TalentPotensial(employee_id=ns.staff1.id, period_id=period.id, potensial=Potensial.TINGGI))
    db.session.commit()
    return ns


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_talent_and_dashboard_routes_answer_each_actor_as_the_rules_say(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(world) if callable(route.data) else route.data
    r = client.open(route.path(world), method=route.method, data=data if route.method == "POST" else None)
    if actor == "anon":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    elif actor in HR:
        assert r.status_code == route.ok, r.get_data(as_text=True)[:300]
    else:
        assert r.status_code == 403


def test_an_employee_sees_no_potensial_or_box_anywhere_they_may_go(app, world):
    """The own rating page (reachable by the employee) does not leak HR's potensial or the 9-box."""
    c = app.test_client(user=world.u_staff)
    body = c.get(f"/penilaian-kinerja/{world.period.id}/pegawai/{world.staff1.id}").get_data(as_text=True)
    assert "Potensial" not in body and "Kotak 9" not in body
    assert "Peta Talenta" not in c.get("/").get_data(as_text=True)


def test_every_talent_and_dashboard_route_is_in_the_matrix(app):
    class Dummy:
        def __getattr__(self, name):
            return type("X", (), {"id": 1})()

    adapter = app.url_map.bind("kinerja.test")
    covered = {adapter.match(r.path(Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES}
    registered = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith(("talent.", "hr_dashboards."))
    }
    assert registered == covered, registered ^ covered
