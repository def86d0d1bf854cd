"""Authorization matrix of every public-service route: (actor × route) → status, with ids changed in URLs.

Actors: anon; `svcop` the unit's service operator (staff2's account); `staff` the named employee (officer in the
log, owner of the SKP); `kasi` their atasan; `hr`; `other` an employee of another OPD; `pimpinan` (read-only,
scope = the unit's OPD).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import select

from kinerja_web.domain.public_service import HolidayKind
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Holiday, Job, PublicService, ServiceOperator, Unit, UnitKind
from kinerja_web.services.employees.import_files import upload_dir
from kinerja_web.services.public_service import files

from ..helpers import Route
from ..skp_fixtures import fresh_g_per_request, make_period, make_skp  # noqa: F401
from .conftest import csv_bytes

ACTORS = ["anon", "svcop", "staff", "kasi", "hr", "other", "pimpinan"]
HR = {"hr"}
MANAGERS = {"hr", "svcop"}
OPD_READERS = {"hr", "svcop", "staff", "kasi", "pimpinan"}  # the OPD's staff, the pimpinan over it
REGENCY = {"hr", "pimpinan"}


def _upload(ns) -> str:
    return files.save_upload(
        upload_dir(current_app), "log.csv", csv_bytes(ns.rows), user_id=ns.u_svcop.id, unit_id=ns.unit.id
    )


ROUTES = [
    Route("index", "GET", lambda ns: "/layanan/", 200, frozenset(OPD_READERS | {"other"})),
    Route("regency dashboard", "GET", lambda ns: "/layanan/dasbor", 200, frozenset(REGENCY)),
    Route("unit dashboard", "GET", lambda ns: f"/layanan/unit/{ns.unit.id}", 200, frozenset(OPD_READERS)),
    Route(
        "dashboard of another OPD's unit",
        "GET",
        lambda ns: f"/layanan/unit/{ns.other_unit.id}",
        200,
        frozenset({"hr", "other"}),
    ),
    Route("missing unit", "GET", lambda ns: "/layanan/unit/999999", 404, frozenset(), 404),
    Route("unit export", "GET", lambda ns: f"/layanan/unit/{ns.unit.id}/ekspor.xlsx", 200, frozenset(OPD_READERS)),
    Route(
        "before/after",
        "GET",
        lambda ns: f"/layanan/unit/{ns.unit.id}/sebelum-sesudah?tanggal=2026-03-01",
        200,
        frozenset(OPD_READERS),
    ),
    Route("catalogue", "GET", lambda ns: f"/layanan/unit/{ns.unit.id}/katalog", 200, frozenset(OPD_READERS)),
    Route(
        "catalogue add",
        "POST",
        lambda ns: f"/layanan/unit/{ns.unit.id}/katalog",
        303,
        frozenset(MANAGERS),
        data=lambda ns: {"code": "BARU", "name": "Layanan Baru"},
    ),
    Route(
        "catalogue add in another unit (operator of this one)",
        "POST",
        lambda ns: f"/layanan/unit/{ns.other_unit.id}/katalog",
        303,
        frozenset(HR),
        data=lambda ns: {"code": "BARU", "name": "Layanan Baru"},
    ),
    Route(
        "standard add",
        "POST",
        lambda ns: f"/layanan/layanan/{ns.ktp.id}/standar",
        303,
        frozenset(MANAGERS),
        data=lambda ns: {
            f"s{ns.ktp.id}-valid_from": "2026-07-01",
            f"s{ns.ktp.id}-completion_time": "4",
            f"s{ns.ktp.id}-completion_unit": "hari_kerja",
        },
    ),
    Route(
        "standard add to another unit's service",
        "POST",
        lambda ns: f"/layanan/layanan/{ns.other_svc.id}/standar",
        303,
        frozenset(HR),
        data=lambda ns: {
            f"s{ns.other_svc.id}-valid_from": "2026-07-01",
            f"s{ns.other_svc.id}-completion_time": "4",
            f"s{ns.other_svc.id}-completion_unit": "hari_kerja",
        },
    ),
    Route("standard of a missing service", "POST", lambda ns: "/layanan/layanan/999999/standar", 404, frozenset(), 404),
    Route(
        "operator add",
        "POST",
        lambda ns: f"/layanan/unit/{ns.unit.id}/operator",
        303,
        frozenset(HR),
        data=lambda ns: {"who": ns.u_kasi.username},
    ),
    Route("operator remove", "POST", lambda ns: f"/layanan/operator/{ns.svcop_row.id}/hapus", 303, frozenset(HR)),
    Route("holidays", "GET", lambda ns: "/layanan/hari-libur", 200, frozenset(HR)),
    Route(
        "holiday add",
        "POST",
        lambda ns: "/layanan/hari-libur",
        303,
        frozenset(HR),
        data=lambda ns: {"day": "2026-12-25", "name": "Natal", "kind": "libur_nasional"},
    ),
    Route(
        "holiday import",
        "POST",
        lambda ns: "/layanan/hari-libur/impor",
        303,
        frozenset(HR),
        data=lambda ns: {"berkas": (io.BytesIO(b"TANGGAL;KETERANGAN\n2026-12-24;Cuti bersama\n"), "l.csv")},
    ),
    Route("holiday remove", "POST", lambda ns: f"/layanan/hari-libur/{ns.holiday.id}/hapus", 303, frozenset(HR)),
    Route("import upload page", "GET", lambda ns: f"/layanan/unit/{ns.unit.id}/impor", 200, frozenset(MANAGERS)),
    Route(
        "import upload",
        "POST",
        lambda ns: f"/layanan/unit/{ns.unit.id}/impor",
        303,
        frozenset(MANAGERS),
        data=lambda ns: {"berkas": (io.BytesIO(csv_bytes(ns.rows)), "log.csv")},
    ),
    Route("import into another unit", "GET", lambda ns: f"/layanan/unit/{ns.other_unit.id}/impor", 200, frozenset(HR)),
    Route(
        "import template", "GET", lambda ns: f"/layanan/unit/{ns.unit.id}/impor/templat.csv", 200, frozenset(MANAGERS)
    ),
    Route(
        "import preview", "GET", lambda ns: f"/layanan/unit/{ns.unit.id}/impor/{_upload(ns)}", 200, frozenset(MANAGERS)
    ),
    Route(
        "import preview under another unit's id",
        "GET",
        lambda ns: f"/layanan/unit/{ns.other_unit.id}/impor/{_upload(ns)}",
        303,
        frozenset(HR),
    ),
    Route(
        "import confirm", "POST", lambda ns: f"/layanan/unit/{ns.unit.id}/impor/{_upload(ns)}", 303, frozenset(MANAGERS)
    ),
    Route(
        "import job page",
        "GET",
        lambda ns: f"/layanan/unit/{ns.unit.id}/impor/pekerjaan/{ns.job.id}",
        200,
        frozenset(MANAGERS),
    ),
    Route(
        "import job under another unit's id",
        "GET",
        lambda ns: f"/layanan/unit/{ns.other_unit.id}/impor/pekerjaan/{ns.job.id}",
        404,
        frozenset(HR),
        403,
    ),
    Route(
        "import job retry",
        "POST",
        lambda ns: f"/layanan/unit/{ns.unit.id}/impor/pekerjaan/{ns.job.id}/ulangi",
        303,
        frozenset(MANAGERS),
    ),
    Route("IKI signal page", "GET", lambda ns: f"/layanan/iki/{ns.iki.id}/sinyal", 200, frozenset({"staff"})),
    Route(
        "IKI signal save",
        "POST",
        lambda ns: f"/layanan/iki/{ns.iki.id}/sinyal",
        303,
        frozenset({"staff"}),
        data=lambda ns: {"sinyal": f"layanan_sesuai_standar:{ns.ktp.id}"},
    ),
    Route("missing IKI", "GET", lambda ns: "/layanan/iki/999999/sinyal", 404, frozenset(), 404),
]


def _denied(route: Route, actor: str) -> int:
    # Another person's SKP is private (404) except to those who may read it (the atasan, HR: 403).
    if route.name.startswith("IKI signal") and actor in ("other", "svcop", "pimpinan"):
        return 404
    return route.denied


@pytest.fixture
def world(ps):
    ns = ps
    ns.other_unit = db.session.scalar(select(Unit).where(Unit.id == ps.other_opd.id))
    ns.other_svc = PublicService(unit_id=ns.other_unit.id, code="IZIN", name="Izin Usaha")
    ns.holiday = Holiday(day=date(2026, 8, 17), name="HUT RI", kind=HolidayKind.NATIONAL)
    db.session.add_all([ns.other_svc, ns.holiday])
    ns.svcop_row = db.session.scalar(select(ServiceOperator).where(ServiceOperator.user_id == ps.u_svcop.id))
    ns.job = Job(kind="impor_layanan", title="uji", params={"unit_id": ps.unit.id, "token": "x" * 43},
                 created_by_id=ps.u_svcop.id, total=100, status="failed")  # fmt: skip
    db.session.add(ns.job)
    ns.period = make_period()
    skp = make_skp(ps.staff1, ns.period, status=SkpStatus.APPROVED, appraiser=ps.kasi)
    ns.iki = skp.rhks[0].indikators[0]
    db.session.commit()
    assert ns.other_unit.kind == UnitKind.OPD
    return ns


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_public_service_route_answers_each_actor(app, world, route, actor):
    user = None if actor == "anon" else getattr(world, f"u_{actor}")
    client = app.test_client(user=user) if user else app.test_client()
    data = route.data(world) if route.data else None
    r = client.open(route.path(world), method=route.method, data=data if route.method == "POST" else None)
    if actor == "anon":
        assert r.status_code == 302 and r.headers["Location"].split("?")[0].endswith("/masuk")
        return
    expected = route.ok if actor in route.allowed else _denied(route, actor)
    assert r.status_code == expected, r.get_data(as_text=True)[:400]


def test_every_public_service_route_is_in_the_matrix(app):
    class Dummy:
        def __getattr__(self, name):
            from types import SimpleNamespace

            return SimpleNamespace(id=1, username="x", unit_id=1)

    covered = set()
    for r in ROUTES:
        path = r.path(Dummy()) if "_upload" not in r.path.__code__.co_names else "/layanan/unit/1/impor/" + "t" * 43
        covered.add(app.url_map.bind("kinerja.test").match(path.split("?")[0], method=r.method)[0])
    registered = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("public_service.") and not rule.endpoint.endswith("__page")
    }
    assert registered <= covered, registered - covered
