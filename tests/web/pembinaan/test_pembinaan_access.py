"""Authorization matrix of the pembinaan and penghargaan routes: (who × route) → status, other people's ids in the URL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kinerja_web.domain.awards import AwardStatus
from kinerja_web.domain.pembinaan import PlanStatus, ReviewOutcome
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import PerformanceRating, RatingStatus, Role
from kinerja_web.services.awards import proposals as awards
from kinerja_web.services.pembinaan import plans

from ..awards.test_awards import sk_setup  # noqa: F401
from ..helpers import Route
from ..pembinaan_fixtures import *  # noqa: F403
from ..pembinaan_fixtures import SIX_MONTHS_AGO, TODAY, final_rating, start_data

ACTORS = ["anon", "staff", "staff2", "kasi", "kabid", "other", "hr", "operator", "admin"]
LOGGED_IN = frozenset(ACTORS) - {"anon"}
HR = frozenset({"hr", "admin"})
PLAN_VIEWERS = HR | {"staff", "kasi", "kabid"}  # the employee, the coach (atasan), a superior, HR
NOT_PLAN_VIEWERS = LOGGED_IN - PLAN_VIEWERS  # a peer, another OPD, finance
PLAN2_VIEWERS = HR | {"staff2", "kasi", "kabid"}


def plan(ns, suffix=""):
    return f"/pembinaan/{ns.plan.id}{suffix}"


ROUTES = [
    Route("plan list", "GET", lambda ns: "/pembinaan/", 200, LOGGED_IN),
    Route("start form", "GET", lambda ns: f"/pembinaan/mulai/{ns.other_rating.id}", 200, HR),
    Route("start form of a missing rating", "GET", lambda ns: "/pembinaan/mulai/999999", 404, HR),
    Route(
        "start a plan",
        "POST",
        lambda ns: f"/pembinaan/mulai/{ns.other_rating.id}",
        303,
        HR,
        data=lambda ns: start_data(ns.kasi, coach_id="0", coach_nip=ns.head.nip),
    ),
    Route("plan page", "GET", lambda ns: plan(ns), 200, PLAN_VIEWERS, 404, NOT_PLAN_VIEWERS),
    Route("missing plan", "GET", lambda ns: "/pembinaan/999999", 404, frozenset(), 404),
    Route(
        "log a session",
        "POST",
        lambda ns: plan(ns, "/sesi"),
        303,
        frozenset({"kasi"}),
        outsider=NOT_PLAN_VIEWERS,
        data={"held_on": TODAY.isoformat(), "check_in_id": "0", "notes": "Sesi rutin."},
    ),
    Route(
        "update an action",
        "POST",
        lambda ns: plan(ns, f"/tindakan/{ns.plan.actions[0].id}"),
        303,
        HR | {"kasi"},
        outsider=NOT_PLAN_VIEWERS,
        data={"status": "berjalan"},
    ),
    Route(
        "update an action of another plan",
        "POST",
        lambda ns: plan(ns, f"/tindakan/{ns.plan2.actions[0].id}"),
        404,
        HR | {"kasi"},
        outsider=NOT_PLAN_VIEWERS,
        data={"status": "berjalan"},
    ),
    Route(
        "add a check-in",
        "POST",
        lambda ns: plan(ns, "/check-in"),
        303,
        HR | {"kasi"},
        outsider=NOT_PLAN_VIEWERS,
        data={"scheduled_on": (SIX_MONTHS_AGO + timedelta(days=10)).isoformat()},
    ),
    Route(
        "record the review",
        "POST",
        lambda ns: plan(ns, "/tinjauan"),
        303,
        HR | {"kasi"},
        outsider=NOT_PLAN_VIEWERS,
        data={"outcome": "membaik", "notes": "Target tercapai."},
    ),
    Route(
        "record the follow-up",
        "POST",
        lambda ns: f"/pembinaan/{ns.plan2.id}/tindak-lanjut",
        303,
        HR,
        outsider=LOGGED_IN - PLAN2_VIEWERS,
        data={"notes": "Dipindahkan ke jabatan lain."},
    ),
    Route(
        "cancel the plan",
        "POST",
        lambda ns: plan(ns, "/batal"),
        303,
        HR,
        outsider=NOT_PLAN_VIEWERS,
        data={"reason": "Pegawai pindah instansi."},
    ),
    Route("awards page", "GET", lambda ns: "/penghargaan/", 200, LOGGED_IN),
    Route(
        "propose a subordinate",
        "POST",
        lambda ns: f"/penghargaan/usul/{ns.period.id}/{ns.staff2.id}",
        303,
        frozenset({"kasi", "kabid"}),
        outsider=LOGGED_IN - {"kasi", "kabid"},
    ),
    Route(
        "download own SK",
        "GET",
        lambda ns: f"/penghargaan/{ns.issued.id}/sk",
        200,
        HR | {"staff2"},
        outsider=LOGGED_IN - HR - {"staff2"},
    ),
    Route("download a missing SK", "GET", lambda ns: "/penghargaan/999999/sk", 404, frozenset(), 404),
    Route("HR award page", "GET", lambda ns: "/penghargaan/kelola", 200, HR),
    Route("generate suggestions", "POST", lambda ns: f"/penghargaan/kelola/{ns.period.id}/saran", 303, HR),
    Route("select a proposal", "POST", lambda ns: f"/penghargaan/usulan/{ns.pending.id}/pilih", 303, HR),
    Route(
        "reject a proposal",
        "POST",
        lambda ns: f"/penghargaan/usulan/{ns.pending.id}/tolak",
        303,
        HR,
        data={"reason": "Kuota sudah penuh."},
    ),
    Route(
        "issue the SK",
        "POST",
        lambda ns: f"/penghargaan/kelola/{ns.period.id}/terbitkan",
        303,
        HR,
        data=lambda ns: {
            "proposal_id": [str(ns.pending.id)],
            "unit_id": str(ns.opd.id),
            "award_name": "Pegawai Berprestasi",
            "issued_on": TODAY.isoformat(),
            "mode": "lampiran",
        },
    ),
    # A form target reloaded (GET) leads to the page holding the form (303); that page applies its own rules.
    *(
        Route(f"reload: {path}", "GET", lambda ns, path=path: path.format(ns=ns), 303, LOGGED_IN)
        for path in (
            "/pembinaan/{ns.plan.id}/sesi",
            "/pembinaan/{ns.plan.id}/tindakan/{ns.plan.actions[0].id}",
            "/pembinaan/{ns.plan.id}/check-in",
            "/pembinaan/{ns.plan.id}/tinjauan",
            "/pembinaan/{ns.plan.id}/tindak-lanjut",
            "/pembinaan/{ns.plan.id}/batal",
            "/penghargaan/usul/{ns.period.id}/{ns.staff2.id}",
            "/penghargaan/kelola/{ns.period.id}/saran",
            "/penghargaan/usulan/1/pilih",
            "/penghargaan/kelola/{ns.period.id}/terbitkan",
        )
    ),
]


@pytest.fixture
def world(sk_setup, make_user, period):  # noqa: F811
    ns = sk_setup
    ns.period = period
    ns.u_kabid = make_user("kabid1", {Role.PEGAWAI}, ns.kabid)
    ns.u_staff2 = make_user("pegawai2", {Role.PEGAWAI}, ns.staff2)
    hr = ns.u_hr
    low = final_rating(ns.staff1, period)
    ns.other_rating = final_rating(ns.other, period)
    ns.plan = plans.start_improvement_plan(
        ns.staff1,
        low,
        ns.kasi,
        start_date=SIX_MONTHS_AGO,
        goal="Sasaran perbaikan",
        actions=[plans.AgreedAction("Tindakan awal", SIX_MONTHS_AGO + timedelta(days=30))],
        actor=hr,
    )
    periodic = PerformanceRating(
        employee_id=ns.staff2.id,
        period_id=period.id,
        window_no=1,
        hasil_kerja=Ekspektasi.DI_BAWAH,
        perilaku_kerja=Ekspektasi.DI_BAWAH,
        predikat=Predikat.SANGAT_KURANG,
        status=RatingStatus.FINAL,
    )
    db.session.add(periodic)
    db.session.flush()
    ns.plan2 = plans.start_improvement_plan(
        ns.staff2,
        periodic,
        ns.kasi,
        start_date=SIX_MONTHS_AGO,
        goal="Sasaran",
        actions=[plans.AgreedAction("Tindakan", SIX_MONTHS_AGO + timedelta(days=30))],
        actor=hr,
    )
    plans.record_review(ns.plan2, ReviewOutcome.NOT_IMPROVED, "Belum membaik.", hr, TODAY)
    final_rating(ns.staff2, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    final_rating(ns.kasi, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    awards.generate_suggestions(period, hr)
    ns.issued = awards.proposal_of(ns.staff2.id, period.id)
    ns.pending = awards.proposal_of(ns.kasi.id, period.id)
    awards.decide(ns.issued, AwardStatus.SELECTED, None, hr)
    awards.decide(ns.pending, AwardStatus.SELECTED, None, hr)
    awards.issue_sk(
        [ns.issued], unit_id=ns.opd.id, award_name="Pegawai Teladan", issued_on=TODAY, per_person=True, actor=hr
    )
    db.session.commit()
    assert ns.plan.status == PlanStatus.RUNNING and ns.plan2.status == PlanStatus.NOT_IMPROVED
    return ns


def _expected(route: Route, actor: str):
    if actor == "anon":
        return "login"
    if actor in route.allowed:
        return route.ok
    return 404 if actor in route.outsider else route.denied


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_answers_each_actor_as_the_rules_say(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(world) if callable(route.data) else route.data
    r = client.open(route.path(world), method=route.method, data=data if route.method == "POST" else None)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:400]


def test_every_route_is_in_the_matrix(app):
    class Dummy:
        def __getattr__(self, name):
            obj = type("X", (), {"id": 1})()
            obj.actions = [type("A", (), {"id": 1})()]
            return obj

    adapter = app.url_map.bind("kinerja.test")
    covered = {adapter.match(r.path(Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES}
    registered = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith(("pembinaan.", "awards."))
    }
    assert registered <= covered, registered - covered
