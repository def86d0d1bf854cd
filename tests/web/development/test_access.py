"""Authorization matrix of the pengembangan routes: (who × route) → status, other people's ids in the URL."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import ReferralCertificate
from kinerja_web.services.development import documents as devdocs
from kinerja_web.services.development import lifecycle
from kinerja_web.services.development import suggestions as generation

from ..helpers import Route
from ..referral_fixtures import *  # noqa: F403
from ..referral_fixtures import PDF_BYTES, suggestions

ACTORS = ["anon", "staff", "kasi", "kabid", "other", "hr", "operator", "admin"]
LOGGED_IN = frozenset(ACTORS) - {"anon"}
HR = frozenset({"hr", "admin"})
WITH_EMPLOYEE = frozenset({"staff", "kasi", "kabid", "other"})
# staff1's record: self, superiors up the chain (kasi, kabid) and HR; others get 404.
VIEWERS = HR | {"staff", "kasi", "kabid"}
NOT_VIEWERS = LOGGED_IN - VIEWERS
NOT_HR = LOGGED_IN - HR


def R(ns):
    return f"/pengembangan/rujukan/{ns.running.id}"


ROUTES = [
    Route("pengembangan saya", "GET", lambda ns: "/pengembangan/", 200, LOGGED_IN),
    Route(
        "employee record", "GET", lambda ns: f"/pengembangan/pegawai/{ns.staff1.id}", 200, VIEWERS, outsider=NOT_VIEWERS
    ),
    Route("missing employee", "GET", lambda ns: "/pengembangan/pegawai/999999", 404, frozenset(), 404),
    Route(
        "record jp",
        "POST",
        lambda ns: f"/pengembangan/pegawai/{ns.staff1.id}",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data={"title": "Webinar", "jp": "2", "on_date": "2026-05-02"},
    ),
    Route("catalogue", "GET", lambda ns: "/pengembangan/katalog", 200, LOGGED_IN),
    Route("programme", "GET", lambda ns: f"/pengembangan/katalog/{ns.bimtek.id}", 200, LOGGED_IN),
    Route("missing programme", "GET", lambda ns: "/pengembangan/katalog/999999", 404, frozenset(), 404),
    Route("new programme form", "GET", lambda ns: "/pengembangan/katalog/baru", 200, HR),
    Route(
        "create programme",
        "POST",
        lambda ns: "/pengembangan/katalog/baru",
        303,
        HR,
        data={"code": "N-1", "name": "Baru", "bentuk": "seminar", "jp": "4", "provider": "BKPSDM", "active": "y"},
    ),
    Route("edit programme form", "GET", lambda ns: f"/pengembangan/katalog/{ns.bimtek.id}/ubah", 200, HR),
    Route(
        "issue daftar peserta",
        "POST",
        lambda ns: f"/pengembangan/katalog/{ns.bimtek.id}/daftar-peserta",
        303,
        HR,
        data=lambda ns: {"unit_id": ns.opd.id},
    ),
    Route("rules", "GET", lambda ns: "/pengembangan/aturan", 200, HR),
    Route(
        "save rule",
        "POST",
        lambda ns: "/pengembangan/aturan",
        303,
        HR,
        data={
            "kind": "jp_kurang",
            "jp_kurang-bentuk": "e_learning",
            "jp_kurang-month": "10",
            "jp_kurang-berlaku_mulai": "2026-06-01",
        },
    ),
    Route("queue", "GET", lambda ns: "/pengembangan/antrean", 200, HR),
    Route(
        "generate",
        "POST",
        lambda ns: "/pengembangan/antrean/buat",
        303,
        HR,
        data=lambda ns: {"period_id": ns.period.id},
    ),
    Route("job status", "GET", lambda ns: f"/pengembangan/antrean/pekerjaan/{ns.job.id}", 200, HR),
    # a finished job is not run again: back to its page with a message
    Route("retry a job", "POST", lambda ns: f"/pengembangan/antrean/pekerjaan/{ns.job.id}/ulangi", 303, HR),
    Route(
        "bulk assign",
        "POST",
        lambda ns: "/pengembangan/antrean/tugaskan",
        303,
        HR,
        data=lambda ns: {"ids": [ns.suggested.id], "programme_id": ns.elearning.id},
    ),
    Route(
        "bulk dismiss",
        "POST",
        lambda ns: "/pengembangan/antrean/tolak",
        303,
        HR,
        data=lambda ns: {"ids": [ns.suggested.id], "reason": "Alasan yang cukup."},
    ),
    Route("referral (running)", "GET", R, 200, VIEWERS, outsider=NOT_VIEWERS),
    # a suggestion is HR's working state: even the employee gets 404 until it is assigned
    Route(
        "referral (suggestion)",
        "GET",
        lambda ns: f"/pengembangan/rujukan/{ns.suggested.id}",
        200,
        HR,
        outsider=NOT_HR,
    ),
    Route(
        "assign one",
        "POST",
        lambda ns: f"/pengembangan/rujukan/{ns.suggested.id}/tugaskan",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data=lambda ns: {"programme_id": ns.elearning.id},
    ),
    Route(
        "dismiss one",
        "POST",
        lambda ns: f"/pengembangan/rujukan/{ns.suggested.id}/tolak",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data={"reason": "Alasan yang cukup."},
    ),
    # staff2's referral: staff1 cannot know it exists
    Route(
        "start",
        "POST",
        lambda ns: f"/pengembangan/rujukan/{ns.assigned.id}/mulai",
        303,
        HR,
        outsider=NOT_VIEWERS | {"staff"},
    ),
    Route(
        "complete",
        "POST",
        lambda ns: f"{R(ns)}/selesai",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data={"attendance_percent": "100", "jp": "8"},
    ),
    Route(
        "not completed",
        "POST",
        lambda ns: f"{R(ns)}/tidak-selesai",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data={"reason": "Alasan yang cukup."},
    ),
    Route(
        "upload certificate",
        "POST",
        lambda ns: f"/pengembangan/rujukan/{ns.done.id}/sertifikat",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data={"certificate": (PDF_BYTES, "s.pdf")},
    ),
    Route("certificate", "GET", lambda ns: f"/pengembangan/sertifikat/{ns.cert.id}", 200, VIEWERS, 404, NOT_VIEWERS),
    Route(
        "issue surat tugas",
        "POST",
        lambda ns: f"{R(ns)}/surat-tugas",
        303,
        HR,
        outsider=NOT_VIEWERS,
        data=lambda ns: {"unit_id": ns.opd.id},
    ),
    Route(
        "surat tugas pdf", "GET", lambda ns: f"/pengembangan/dokumen/{ns.st.id}.pdf", 200, VIEWERS, outsider=NOT_VIEWERS
    ),
    Route("dashboard", "GET", lambda ns: "/pengembangan/dasbor", 200, HR),
    Route("dashboard xlsx", "GET", lambda ns: "/pengembangan/dasbor.xlsx", 200, HR),
    Route("effectiveness", "GET", lambda ns: "/pengembangan/efektivitas?tahun=2026", 200, HR),
    Route(
        "effectiveness filtered",
        "GET",
        lambda ns: f"/pengembangan/efektivitas?tahun=2026&opd={ns.opd.id}",
        200,
        HR,
    ),
    Route("effectiveness xlsx", "GET", lambda ns: "/pengembangan/efektivitas.xlsx?tahun=2026", 200, HR),
    Route("daftar peserta pdf", "GET", lambda ns: f"/pengembangan/dokumen/{ns.dp.id}.pdf", 200, HR, outsider=NOT_HR),
    # A form target reloaded (GET) leads to the page holding the form (303); that page applies its own rules.
    *(
        Route(f"reload: {path}", "GET", lambda ns, path=path: path.format(ns=ns, R=R(ns)), 303, LOGGED_IN)
        for path in (
            "/pengembangan/antrean/buat",
            "/pengembangan/antrean/tugaskan",
            "/pengembangan/antrean/tolak",
            "/pengembangan/antrean/pekerjaan/{ns.job.id}/ulangi",
            "/pengembangan/katalog/{ns.bimtek.id}/daftar-peserta",
            "/pengembangan/rujukan/{ns.suggested.id}/tugaskan",
            "/pengembangan/rujukan/{ns.suggested.id}/tolak",
            "/pengembangan/rujukan/{ns.assigned.id}/mulai",
            "{R}/selesai",
            "{R}/tidak-selesai",
            "{R}/surat-tugas",
            "/pengembangan/rujukan/{ns.done.id}/sertifikat",
        )
    ),
]


@pytest.fixture
def world(docs_setup):
    from kinerja_web.services.jobs import enqueue

    ns = docs_setup
    s = suggestions(ns)
    ns.suggested = s.by_key[f"rating:{ns.r_low.id}:predikat_rendah"]
    ns.running = s.by_key[f"jp:2026:{ns.staff1.id}"]
    lifecycle.assign([ns.running], ns.bimtek, ns.u_hr, date(2026, 10, 1))
    lifecycle.start(ns.running, ns.u_hr, date(2026, 10, 2))
    ns.assigned = s.by_key[f"rating:{ns.r_high.id}:predikat_tinggi"]
    lifecycle.assign([ns.assigned], ns.elearning, ns.u_hr, date(2026, 10, 1))
    # a completed referral of staff1 with a certificate
    done = s.by_key[f"jp:2026:{ns.kasi.id}"]
    done.employee_id = ns.staff1.id
    done.source_key = "uji:selesai"
    lifecycle.assign([done], ns.pembinaan, ns.u_hr, date(2026, 10, 1))
    lifecycle.start(done, ns.u_hr, date(2026, 10, 2))
    lifecycle.complete(
        done,
        attendance_percent=100,
        result=None,
        jp=None,
        certificate=lifecycle.Upload("s.pdf", PDF_BYTES),
        actor=ns.u_hr,
        today=date(2026, 10, 9),
    )
    ns.done = done
    ns.cert = db.session.query(ReferralCertificate).first()
    ns.st = devdocs.issue_surat_tugas(ns.running, ns.opd.id, ns.u_hr.id, date(2026, 10, 2))[0]
    ns.dp = devdocs.issue_daftar_peserta(ns.bimtek, ns.opd.id, ns.u_hr.id, date(2026, 10, 2))
    # The running programme has begun: a referral is completed only on or after the programme's first day.
    ns.bimtek.start_date, ns.bimtek.end_date = date(2026, 10, 2), date(2026, 10, 3)
    db.session.commit()
    ns.job = enqueue(generation.GENERATE_JOB, "Uji", {"period_id": ns.period.id, "today": "2026-10-01"}, ns.u_hr.id)
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
def test_referral_route_answers_each_actor_as_the_rules_say(app, world, route, actor):
    import io

    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(world) if callable(route.data) else route.data
    kwargs = {}
    if data and route.method == "POST":
        data = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
        kwargs = {"data": data, "content_type": "multipart/form-data"}
    r = client.open(route.path(world), method=route.method, **kwargs)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:300]


def test_every_referral_route_is_in_the_matrix(app):
    class Dummy:
        def __getattr__(self, name):
            return type("X", (), {"id": 1})()

    adapter = app.url_map.bind("kinerja.test")
    covered = {adapter.match(r.path(Dummy()).split("?")[0], method=r.method)[0] for r in ROUTES}
    registered = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("development.")}
    assert registered <= covered, registered - covered


def test_menu_shows_the_queue_to_hr_only(app, dev_world):
    hr = app.test_client(user=dev_world.u_hr).get("/").get_data(as_text=True)
    staff = app.test_client(user=dev_world.u_staff).get("/").get_data(as_text=True)
    assert "Antrean Rujukan" in hr and "Antrean Rujukan" not in staff
    assert "Pengembangan Saya" in staff
