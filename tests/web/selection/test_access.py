"""Authorization matrix of every seleksi route: HR, the ketua and a member of the pansel, a candidate, another
employee, a finance officer and anonymous; ids of another selection (or missing ones) in the URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain.selection import MemberRole, Pendidikan, SelectionKind, StageKind
from kinerja_web.extensions import db
from kinerja_web.services.selection import documents, setup, stages

from .fixtures import MARKS, WEIGHTS

ACTORS = ["anon", "hr", "admin", "ketua", "member", "candidate", "other", "operator"]
LOGGED_IN = [a for a in ACTORS if a != "anon"]
HR = {"hr", "admin"}
PANSEL = {"ketua", "member"}
USERS = {
    "hr": "u_hr",
    "admin": "u_admin",
    "ketua": "u_kabid",
    "member": "u_kasi",
    "candidate": "u_staff",
    "other": "u_other",
    "operator": "u_operator",
}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: object  # callable(ns) -> str
    expect: dict  # actor -> status for logged-in actors not in `default`'s reach
    default: int = 403
    data: object = field(default=None)

    def __str__(self) -> str:
        return self.name

    def status_for(self, actor: str) -> int:
        return self.expect.get(actor, self.default)


def everyone(status: int) -> dict:
    return dict.fromkeys(LOGGED_IN, status)


def only(actors, status: int) -> dict:
    return dict.fromkeys(actors, status)


S = lambda ns, tail="": f"/seleksi/{ns.sel.id}{tail}"  # noqa: E731
S2 = lambda ns, tail="": f"/seleksi/{ns.sel2.id}{tail}"  # noqa: E731

ROUTES = [
    Route("index", "GET", lambda ns: "/seleksi/", everyone(200)),
    Route("new form", "GET", lambda ns: "/seleksi/baru", only(HR, 200)),
    Route("new save (empty)", "POST", lambda ns: "/seleksi/baru", only(HR, 422)),
    Route("announcement page", "GET", lambda ns: S(ns), everyone(200)),
    Route("missing selection", "GET", lambda ns: "/seleksi/999999", everyone(404)),
    Route(
        "apply to an open selection",
        "POST",
        lambda ns: S2(ns, "/daftar"),
        {"other": 303, "candidate": 303, "ketua": 303, "member": 422},
        data={"pendidikan": "s1"},
    ),
    Route("apply after registration closed", "POST", lambda ns: S(ns, "/daftar"), {}, data={"pendidikan": "s1"}),
    Route("pengumuman PDF", "GET", lambda ns: S(ns, f"/dokumen/{ns.doc_id}"), everyone(200)),
    Route("pengumuman under another selection", "GET", lambda ns: S2(ns, f"/dokumen/{ns.doc_id}"), everyone(404)),
    Route("manage", "GET", lambda ns: S(ns, "/kelola"), only(HR, 200)),
    Route("manage a missing selection", "GET", lambda ns: "/seleksi/999999/kelola", only(HR, 404)),
    Route(
        "add external pansel member",
        "POST",
        lambda ns: S2(ns, "/pansel"),
        only(HR, 303),
        data={"anggota-name": "Prof. Luar", "anggota-institution": "Universitas Lampung", "anggota-role": "anggota"},
    ),
    Route("remove pansel member", "POST", lambda ns: S2(ns, f"/pansel/{ns.sel2_member.id}/hapus"), only(HR, 303)),
    Route(
        "remove a member of another selection",
        "POST",
        lambda ns: S2(ns, f"/pansel/{ns.sel_member.id}/hapus"),
        only(HR, 404),
    ),
    Route(
        "register a candidate",
        "POST",
        lambda ns: S2(ns, "/peserta"),
        only(HR, 303),
        data=lambda ns: {"nip": ns.other.nip, "pendidikan": "s1"},
    ),
    Route("start with an even pansel", "POST", lambda ns: S2(ns, "/mulai"), only(HR, 422)),
    Route("compute a stage", "POST", lambda ns: S(ns, f"/tahap/{ns.uk.id}/hitung"), only(HR, 303)),
    Route(
        "compute a stage of another selection", "POST", lambda ns: S2(ns, f"/tahap/{ns.uk.id}/hitung"), only(HR, 404)
    ),
    Route(
        "stage score by hand",
        "POST",
        lambda ns: S(ns, f"/tahap/{ns.uk.id}/nilai/{ns.c1.id}"),
        {**only(HR, 303), "ketua": 303},
        data={"score": "80", "note": "Hasil CAT", "version": ""},
    ),
    Route(
        "stage score of another selection's candidate",
        "POST",
        lambda ns: S(ns, f"/tahap/{ns.uk.id}/nilai/{ns.sel2_cand.id}"),
        {**only(HR, 404), "ketua": 404},
        data={"score": "80", "note": "x"},
    ),
    Route("close an incomplete stage", "POST", lambda ns: S(ns, f"/tahap/{ns.uk.id}/tutup"), only(HR, 422)),
    Route("issue the pengumuman", "POST", lambda ns: S(ns, f"/tahap/{ns.adm.id}/pengumuman"), only(HR, 303)),
    Route("propose before the end", "POST", lambda ns: S(ns, "/usulan"), only(HR, 422)),
    Route(
        "record the PPK's choice too early",
        "POST",
        lambda ns: S(ns, "/keputusan"),
        only(HR, 422),
        data=lambda ns: {"candidate_id": ns.c1.id, "basis": "Disposisi"},
    ),
    Route("pansel page", "GET", lambda ns: S(ns, "/panitia"), only(PANSEL, 200)),
    Route(
        "declare no conflict",
        "POST",
        lambda ns: S(ns, f"/panitia/pernyataan/{ns.c1.id}"),
        only(PANSEL, 303),
        data={"conflict": "tidak"},
    ),
    Route(
        "declare about another selection's candidate",
        "POST",
        lambda ns: S(ns, f"/panitia/pernyataan/{ns.sel2_cand.id}"),
        only(PANSEL, 404),
        data={"conflict": "tidak"},
    ),
    Route(
        "member score outside wawancara",
        "POST",
        lambda ns: S(ns, f"/panitia/nilai/{ns.c1.id}"),
        only(PANSEL, 422),
        data={"score": "80"},
    ),
    Route("succession", "GET", lambda ns: "/seleksi/suksesi", only(HR, 200)),
    Route("posts falling vacant", "GET", lambda ns: "/seleksi/suksesi?kosong=1", only(HR, 200)),
    Route("selection report", "GET", lambda ns: "/seleksi/laporan", only(HR, 200)),
    Route("reload of a form target", "GET", lambda ns: S(ns, "/mulai"), everyone(303)),
]


@pytest.fixture
def world(sel_world):
    ns = sel_world
    setup.start(ns.sel, ns.u_hr)
    ns.adm, ns.uk = ns.stage[StageKind.ADMINISTRASI], ns.stage[StageKind.UJI_KOMPETENSI]
    stages.compute(ns.adm, ns.today, ns.u_hr)
    stages.close_stage(ns.adm, {ns.c1.id, ns.c2.id, ns.c3.id}, ns.u_hr)
    ns.doc_id = 999999  # issued only by the routes that need it (rendering a PDF is the slow part)
    ns.sel_member = ns.members[ns.kasi.id]
    ns.sel2 = setup.open_selection(
        setup.SelectionInput(
            position_id=ns.p_target.id,
            unit_id=ns.opd.id,
            kind=SelectionKind.INTERNAL,
            title="Seleksi Internal Kedua",
            registration_opens=date(ns.today.year, 1, 1),
            registration_closes=date(ns.today.year, 12, 31),
            weights=dict(WEIGHTS),
            pass_marks=dict(MARKS),
        ),
        ns.u_hr,
    )
    ns.sel2_member = setup.add_member(ns.sel2, nip=ns.kasi.nip, name=None, institution=None, role=MemberRole.KETUA)
    setup.add_member(ns.sel2, nip=ns.head.nip, name=None, institution=None, role=MemberRole.ANGGOTA)
    ns.sel2_cand = setup.register_employee(ns.sel2, ns.staff2, Pendidikan.S2, ns.u_hr)
    db.session.commit()
    assert WEIGHTS[StageKind.WAWANCARA] == Decimal(40)
    return ns


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_selection_routes_answer_each_actor_as_the_rules_say(app, world, route, actor):
    if "pengumuman" in route.name:
        world.doc_id = documents.issue_pengumuman(world.adm, world.today, world.u_hr, None).id
        db.session.commit()
    user = getattr(world, USERS[actor]) if actor != "anon" else None
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(world) if callable(route.data) else route.data
    r = client.open(route.path(world), method=route.method, data=data if route.method == "POST" else None)
    if actor == "anon":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == route.status_for(actor), r.get_data(as_text=True)[:500]


def test_every_selection_route_is_in_the_matrix(app):
    class One:
        id, nip = 1, "1"

        def __format__(self, spec):
            return "1"

    class Dummy:
        def __getattr__(self, name):
            return One()

    adapter = app.url_map.bind("kinerja.test")
    covered = {adapter.match(r.path(Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES}
    registered = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("selection.") and not rule.endpoint.endswith("__page")
    }
    assert registered <= covered | {"selection.start__page"}, registered - covered
