"""Authorization matrix of the job pages (who × job → status): a job is seen by whoever started it and by those
who may see its subject (payroll roles: payroll jobs; HR: HR jobs), never through another area's page."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web import access
from kinerja_web.extensions import db
from kinerja_web.jobs import registry
from kinerja_web.models import Job, JobStatus
from kinerja_web.services.payroll import runs

from .helpers import Route
from .skp_fixtures import period  # noqa: F401

ACTORS = ["anon", "staff", "hr", "admin", "operator", "verifikator", "pejabat"]
HR = frozenset({"hr", "admin"})
PAYROLL = HR | {"operator", "verifikator", "pejabat"}
NOBODY = frozenset()
STAFF = frozenset({"staff"})
FAILED_BECAUSE = "Berkas impor sudah tidak tersedia (kedaluwarsa atau sudah diimpor). Unggah ulang."


@pytest.fixture
def world(org_chart, period):  # noqa: F811
    ns = org_chart
    ns.run = runs.create_run(date(2026, 10, 1), None, ns.u_operator)
    db.session.commit()

    def job(name: str, kind: str, starter, **params) -> None:
        row = Job(
            kind=kind,
            title=f"Pekerjaan {name}",
            params=params,
            created_by_id=starter.id,
            status=JobStatus.FAILED,
            message=FAILED_BECAUSE,
        )
        db.session.add(row)
        db.session.flush()
        setattr(ns, name, row)

    job("import_hr", "import_pegawai", ns.u_hr, token="hilang", skip_invalid=False)
    job("import_admin", "import_pegawai", ns.u_admin, token="hilang", skip_invalid=False)
    job("referral", "rujukan_usulan", ns.u_hr, period_id=period.id, today="2026-10-01")
    job("lock", "penilaian_kunci", ns.u_hr, period_id=period.id, window_no=0, lock_id=0)
    job("unit_batch", "dokumen_batch", ns.u_hr, unit_id=ns.opd.id)
    job("compute", "payroll_compute", ns.u_operator, run_id=ns.run.id)
    job("slip_batch", "dokumen_batch", ns.u_operator, payroll_run_id=ns.run.id)
    # started while its user still worked the referral queue: the starter always sees their own job
    job("staff_own", "rujukan_usulan", ns.u_staff, period_id=period.id, today="2026-10-01")
    db.session.commit()
    return ns


ROUTES = [
    Route("import job (HR's own)", "GET", lambda ns: f"/pegawai/impor/pekerjaan/{ns.import_hr.id}", 200, HR),
    Route("import job (another's)", "GET", lambda ns: f"/pegawai/impor/pekerjaan/{ns.import_admin.id}", 200, HR),
    Route("retry an import", "POST", lambda ns: f"/pegawai/impor/pekerjaan/{ns.import_hr.id}/ulangi", 303, HR),
    Route("referral job", "GET", lambda ns: f"/pengembangan/antrean/pekerjaan/{ns.referral.id}", 200, HR),
    Route(
        "referral job of a former HR user",
        "GET",
        lambda ns: f"/pengembangan/antrean/pekerjaan/{ns.staff_own.id}",
        200,
        HR,
    ),
    Route("lock job", "GET", lambda ns: f"/penilaian-kinerja/kunci/{ns.lock.id}", 200, HR),
    Route("unit documents batch", "GET", lambda ns: f"/dokumen/batch/{ns.unit_batch.id}", 200, HR),
    Route("slip batch on the documents page", "GET", lambda ns: f"/dokumen/batch/{ns.slip_batch.id}", 200, HR),
    Route("payroll computation", "GET", lambda ns: f"/gaji/pekerjaan/{ns.compute.id}", 200, PAYROLL),
    Route("slip batch", "GET", lambda ns: f"/gaji/pekerjaan/{ns.slip_batch.id}", 200, PAYROLL),
    # another area's job through the payroll page: as if it did not exist
    Route("import job via payroll", "GET", lambda ns: f"/gaji/pekerjaan/{ns.import_hr.id}", 404, PAYROLL),
    Route("unit batch via payroll", "GET", lambda ns: f"/gaji/pekerjaan/{ns.unit_batch.id}", 404, PAYROLL),
    Route("referral job via payroll", "GET", lambda ns: f"/gaji/pekerjaan/{ns.referral.id}", 404, PAYROLL),
    Route("missing job via payroll", "GET", lambda ns: "/gaji/pekerjaan/999999", 404, PAYROLL),
    # only the finance operator prepares (computes) a run; slips only of a final run
    Route(
        "retry a computation",
        "POST",
        lambda ns: f"/gaji/pekerjaan/{ns.compute.id}/ulangi",
        303,
        frozenset({"operator"}),
    ),
    Route(
        "retry a slip batch of a draft run",
        "POST",
        lambda ns: f"/gaji/pekerjaan/{ns.slip_batch.id}/ulangi",
        303,
        NOBODY,
    ),
    Route(
        "retry an import via payroll",
        "POST",
        lambda ns: f"/gaji/pekerjaan/{ns.import_hr.id}/ulangi",
        404,
        PAYROLL,
    ),
]


def _expected(route: Route, actor: str):
    if actor == "anon":
        return "login"
    return route.ok if actor in route.allowed else route.denied


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_job_page_answers_each_actor_as_the_rules_say(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    r = client.open(route.path(world), method=route.method)
    expected = _expected(route, actor)
    if expected == "login":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
    else:
        assert r.status_code == expected, r.get_data(as_text=True)[:300]


# role × own/other: which jobs each user may open at all (the list and every job page ask visible_jobs)
HR_SEES = {"import_hr", "import_admin", "referral", "lock", "unit_batch", "compute", "slip_batch", "staff_own"}
VISIBLE = {
    "staff": {"staff_own"},
    "other": set(),
    "hr": HR_SEES,
    "admin": HR_SEES,
    "operator": {"compute", "slip_batch"},
    "verifikator": {"compute", "slip_batch"},
    "pejabat": {"compute", "slip_batch"},
}


@pytest.mark.parametrize("actor", sorted(VISIBLE))
def test_each_role_sees_its_own_jobs_and_the_jobs_of_subjects_it_may_see(app, world, actor):
    names = HR_SEES
    by_id = {getattr(world, n).id: n for n in names}
    seen = db.session.scalars(access.visible_jobs(getattr(world, f"u_{actor}")).with_only_columns(Job.id))
    assert {by_id[i] for i in seen} == VISIBLE[actor]


def test_every_kind_of_job_has_someone_who_may_see_it(app, world):
    for kind in registry.handlers():
        row = Job(kind=kind, title="Tanpa pemula", params={})
        db.session.add(row)
        db.session.flush()
        assert any(
            db.session.scalar(access.visible_jobs(u).where(Job.id == row.id).with_only_columns(Job.id))
            for u in (world.u_admin, world.u_operator)
        ), kind


def test_the_run_page_shows_only_that_runs_jobs(app, world):
    client = app.test_client(user=world.u_operator)
    page = client.get(f"/gaji/run/{world.run.id}?job={world.compute.id}").get_data(as_text=True)
    assert "Pekerjaan compute" in page
    for name in ("import_hr", "unit_batch", "referral"):
        r = client.get(f"/gaji/run/{world.run.id}?job={getattr(world, name).id}")
        assert r.status_code == 200 and f"Pekerjaan {name}" not in r.get_data(as_text=True)


def test_retry_button_only_for_who_may_start_the_work(app, world):
    assert "Ulangi" in app.test_client(user=world.u_operator).get(f"/gaji/pekerjaan/{world.compute.id}").text
    assert "Ulangi" not in app.test_client(user=world.u_verifikator).get(f"/gaji/pekerjaan/{world.compute.id}").text
    assert "Ulangi" not in app.test_client(user=world.u_hr).get(f"/gaji/pekerjaan/{world.compute.id}").text


@pytest.mark.parametrize(
    ("page", "retry"),
    [
        ("/pegawai/impor/pekerjaan/{ns.import_hr.id}", "/pegawai/impor/pekerjaan/{ns.import_hr.id}/ulangi"),
        ("/pengembangan/antrean/pekerjaan/{ns.referral.id}", "/pengembangan/antrean/pekerjaan/{ns.referral.id}/ulangi"),
        ("/pengembangan/antrean?pekerjaan={ns.referral.id}", "/pengembangan/antrean/pekerjaan/{ns.referral.id}/ulangi"),
        ("/penilaian-kinerja/kunci/{ns.lock.id}", "/penilaian-kinerja/kunci/{ns.lock.id}/ulang"),
        ("/dokumen/batch/{ns.unit_batch.id}", "/dokumen/batch/{ns.unit_batch.id}/ulang"),
    ],
)
def test_a_failed_hr_job_page_offers_a_retry_with_its_message(app, world, page, retry):
    body = app.test_client(user=world.u_hr).get(page.format(ns=world)).get_data(as_text=True)
    assert f'action="{retry.format(ns=world)}"' in body and ">Ulangi</button>" in body
    assert FAILED_BECAUSE in body


def test_a_raw_render_error_stored_in_a_batch_result_before_is_not_shown(app, world):
    raw = "OperationalError: (sqlite3.OperationalError) database is locked\n[SQL: UPDATE issued_document SET context=?]"
    world.slip_batch.status = JobStatus.DONE
    world.slip_batch.result = {
        "issued": 1,
        "failures": [
            {"name": "Staf Satu", "nip": world.staff1.nip, "reason": raw + "\n[parameters: ('{\"netto\": 4250000}',)]"},
            {"name": "Staf Dua", "nip": world.staff2.nip, "reason": "Golongan Staf Dua belum diisi."},
        ],
    }
    db.session.commit()
    pages = [
        app.test_client(user=world.u_operator).get(f"/gaji/run/{world.run.id}?job={world.slip_batch.id}"),
        app.test_client(user=world.u_hr).get(f"/dokumen/batch/{world.slip_batch.id}"),
    ]
    for r in pages:
        body = r.get_data(as_text=True)
        assert r.status_code == 200 and "4250000" not in body and "SQL" not in body
        assert f"Gagal karena kesalahan sistem. Rincian dicatat di log server (kode: {world.slip_batch.id})." in body
        assert "Golongan Staf Dua belum diisi." in body
