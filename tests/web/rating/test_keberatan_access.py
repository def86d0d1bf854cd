"""Authorization matrix of the locking, evaluation document and keberatan routes (who × route → status),
including another person's ids in the URL."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import Job
from kinerja_web.services.rating import keberatan as keberatan_services
from kinerja_web.services.rating import locking

from ..evaluation_fixtures import *  # noqa: F403
from ..evaluation_fixtures import GIVEN_ON
from .test_rating_access import Route

ACTORS = ["anon", "staff", "kasi", "kabid", "other", "hr", "operator", "admin"]
LOGGED_IN = frozenset(ACTORS) - {"anon"}
HR = frozenset({"hr", "admin"})
PARTIES = HR | {"staff", "kasi", "kabid"}  # the employee, the pejabat penilai, the atasan, HR
OUTSIDERS = LOGGED_IN - PARTIES
DECIDE = {"putusan": "ditolak", "pertimbangan": "Pertimbangan yang cukup panjang untuk keputusan ini."}
ALASAN = {"alasan": "Alasan keberatan yang cukup panjang untuk diterima formulir."}


def base(ns):
    return f"/penilaian-kinerja/{ns.period.id}"


def kb(ns, suffix=""):
    return f"/penilaian-kinerja/keberatan/{ns.keb.id}{suffix}"


ROUTES = [
    Route("lock page", "GET", lambda ns: f"{base(ns)}/kunci", 200, HR),
    Route("lock (already locked: issues nothing)", "POST", lambda ns: f"{base(ns)}/kunci", 303, HR),
    Route("lock of a missing period", "POST", lambda ns: "/penilaian-kinerja/999999/kunci", 404, HR, 403),
    Route("lock progress", "GET", lambda ns: f"/penilaian-kinerja/kunci/{ns.job.id}", 200, HR),
    Route("re-run the lock's job", "POST", lambda ns: f"/penilaian-kinerja/kunci/{ns.job.id}/ulang", 303, HR),
    Route(
        "GET on the re-run form's URL", "GET", lambda ns: f"/penilaian-kinerja/kunci/{ns.job.id}/ulang", 303, LOGGED_IN
    ),
    Route("GET on a keberatan form's URL", "GET", lambda ns: kb(ns, "/putusan"), 303, LOGGED_IN),
    Route("GET on the 'minta penjelasan' form's URL", "GET", lambda ns: kb(ns, "/minta-penjelasan"), 303, LOGGED_IN),
    Route("GET on the 'penjelasan' form's URL", "GET", lambda ns: kb(ns, "/penjelasan"), 303, LOGGED_IN),
    Route("lock job's merged PDF", "GET", lambda ns: f"/penilaian-kinerja/kunci/{ns.job.id}/pdf", 200, HR),
    Route("lock job's ZIP of single files", "GET", lambda ns: f"/penilaian-kinerja/kunci/{ns.job.id}/zip", 200, HR),
    Route(
        "part 2 of a one-part merged PDF", "GET", lambda ns: f"/penilaian-kinerja/kunci/{ns.job.id}/pdf/2", 404, HR, 403
    ),
    Route("lock progress of a missing job", "GET", lambda ns: "/penilaian-kinerja/kunci/999999", 404, HR, 403),
    Route(
        "evaluation document",
        "GET",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}/dokumen-evaluasi",
        200,
        PARTIES,
        outsider=OUTSIDERS,
    ),
    Route(
        "evaluation document of another employee (none issued)",
        "GET",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff2.id}/dokumen-evaluasi",
        404,
        frozenset(),
        404,
    ),
    Route(
        "file keberatan (already filed: refused with a message)",
        "POST",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff1.id}/keberatan",
        422,
        frozenset({"staff"}),
        outsider=OUTSIDERS,
        data=ALASAN,
    ),
    Route(
        "file keberatan on another employee's unrated record",
        "POST",
        lambda ns: f"{base(ns)}/pegawai/{ns.staff2.id}/keberatan",
        404,
        frozenset(),
        404,
        data=ALASAN,
    ),
    Route("keberatan page", "GET", lambda ns: kb(ns), 200, PARTIES, outsider=OUTSIDERS),
    Route("missing keberatan", "GET", lambda ns: "/penilaian-kinerja/keberatan/999999", 404, frozenset(), 404),
    Route("keberatan attachment", "GET", lambda ns: kb(ns, "/lampiran"), 200, PARTIES, outsider=OUTSIDERS),
    Route(
        "ask for explanations",
        "POST",
        lambda ns: kb(ns, "/minta-penjelasan"),
        303,
        frozenset({"kabid"}),
        outsider=OUTSIDERS,
    ),
    Route(
        "explain (not asked yet: refused with a message)",
        "POST",
        lambda ns: kb(ns, "/penjelasan"),
        422,
        frozenset({"staff", "kasi"}),
        outsider=OUTSIDERS,
        data={"penjelasan": "Penjelasan yang cukup."},
    ),
    Route(
        "decide (not examined yet: refused with a message)",
        "POST",
        lambda ns: kb(ns, "/putusan"),
        422,
        frozenset({"kabid"}),
        outsider=OUTSIDERS,
        data=DECIDE,
    ),
]


@pytest.fixture
def world(locked):
    ns = locked
    ns.job = db.session.scalars(select(Job).where(Job.kind == locking.JOB_KIND)).one()
    ns.keb = keberatan_services.file(
        ns.rating,
        ns.u_staff,
        ALASAN["alasan"],
        GIVEN_ON + timedelta(days=1),
        (io.BytesIO(b"%PDF-1.4 bukti").read(), "bukti.pdf"),
    )
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
def test_evaluation_route_answers_each_actor_as_the_rules_say(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    r = client.open(route.path(world), method=route.method, data=route.data if route.method == "POST" else None)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:300]
