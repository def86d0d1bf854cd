"""Who may see and do what on an SKP: a matrix over the new routes (owner, appraiser, others, HR, finance, admin)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_web import access
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Skp

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp

ROLES = ["owner", "appraiser", "other", "hr", "finance", "admin", "colleague"]


def _user(org_chart, u_staff2, who):
    return {
        "owner": org_chart.u_staff,
        "appraiser": org_chart.u_kasi,
        "other": org_chart.u_other,
        "hr": org_chart.u_hr,
        "finance": org_chart.u_operator,
        "admin": org_chart.u_admin,
        "colleague": u_staff2,
    }[who]


@pytest.fixture
def staff_skp(org_chart, period):
    return make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)


VIEW_EXPECTED = {
    "owner": 200,
    "appraiser": 200,
    "other": 404,
    "hr": 200,
    "finance": 404,
    "admin": 200,
    "colleague": 404,
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("path", ["/skp/{id}", "/skp/{id}/cetak", "/skp/{id}/riwayat", "/skp/{id}/umpan-balik"])
def test_viewing_an_skp(app, org_chart, u_staff2, staff_skp, who, path):
    r = app.test_client(user=_user(org_chart, u_staff2, who)).get(path.format(id=staff_skp.id))
    assert r.status_code == VIEW_EXPECTED[who]


APPROVE_EXPECTED = {
    "owner": 403,
    "appraiser": 303,
    "other": 404,
    "hr": 403,
    "finance": 404,
    "admin": 403,
    "colleague": 404,
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", ["setujui", "kembalikan"])
def test_approving_or_returning_an_skp(app, org_chart, u_staff2, staff_skp, who, action):
    data = {"note": "Perbaiki."}
    r = app.test_client(user=_user(org_chart, u_staff2, who)).post(f"/skp/{staff_skp.id}/{action}", data=data)
    assert r.status_code == APPROVE_EXPECTED[who]


EDIT_EXPECTED = {
    "owner": 303,
    "appraiser": 403,
    "other": 404,
    "hr": 403,
    "finance": 404,
    "admin": 403,
    "colleague": 404,
}


@pytest.mark.parametrize("who", ROLES)
def test_adding_an_rhk_to_a_draft(app, org_chart, u_staff2, period, who):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.DRAFT, rhks=())
    r = app.test_client(user=_user(org_chart, u_staff2, who)).post(
        f"/skp/{skp.id}/rhk", data={"kategori": "tambahan", "uraian": "Panitia kegiatan"}
    )
    assert r.status_code == EDIT_EXPECTED[who]


@pytest.mark.parametrize("who", ROLES)
def test_autosaving_an_rhk_of_a_draft(app, org_chart, u_staff2, period, who):
    from kinerja_web.services.skp.autosave import state_token

    skp = make_skp(org_chart.staff1, period, status=SkpStatus.DRAFT)
    slot = f"rhk-{skp.rhks[0].id}"
    data = {f"{slot}-uraian": "Diketik", "token": state_token({"uraian": "RHK uji"})}
    r = app.test_client(user=_user(org_chart, u_staff2, who)).post(f"/skp/{skp.id}/draf/{slot}", data=data)
    assert r.status_code == EDIT_EXPECTED[who]


def test_changing_the_id_in_the_url_to_a_colleagues_skp_gives_404(app, org_chart, period, staff_skp):
    colleague_skp = make_skp(org_chart.staff2, period)
    client = app.test_client(user=org_chart.u_staff)
    assert client.get(f"/skp/{staff_skp.id}").status_code == 200
    assert client.get(f"/skp/{colleague_skp.id}").status_code == 404
    assert client.post(f"/skp/{colleague_skp.id}/ajukan").status_code == 404
    assert client.get(f"/skp/{colleague_skp.id + 999}").status_code == 404


def test_superior_two_levels_up_may_view_but_not_approve(app, org_chart, u_kabid, staff_skp):
    client = app.test_client(user=u_kabid)
    assert client.get(f"/skp/{staff_skp.id}").status_code == 200
    assert client.post(f"/skp/{staff_skp.id}/setujui").status_code == 403


def test_appraiser_cannot_approve_own_skp(app, org_chart, period):
    own = make_skp(org_chart.kasi, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kabid)
    assert app.test_client(user=org_chart.u_kasi).post(f"/skp/{own.id}/setujui").status_code == 403


@pytest.mark.parametrize(("who", "expected"), [("hr", 200), ("admin", 200), ("owner", 403), ("finance", 403)])
def test_only_hr_manages_periods(app, org_chart, u_staff2, who, expected):
    assert app.test_client(user=_user(org_chart, u_staff2, who)).get("/skp/periode").status_code == expected


def test_evidence_download_is_404_for_people_who_cannot_see_the_skp(app, org_chart, period):
    from kinerja_web.models import Evidence, Realisasi

    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, appraiser=org_chart.kasi)
    real = Realisasi(indikator_id=skp.rhks[0].indikators[0].id, window_no=1, nilai="3")
    real.evidence = [Evidence(filename="a.pdf", content_type="application/pdf", size=5, sha256="0" * 64, data=b"%PDF-")]
    db.session.add(real)
    db.session.flush()
    ev_id = real.evidence[0].id
    assert app.test_client(user=org_chart.u_kasi).get(f"/skp/bukti/{ev_id}").status_code == 200
    assert app.test_client(user=org_chart.u_other).get(f"/skp/bukti/{ev_id}").status_code == 404
    assert app.test_client(user=org_chart.u_operator).get(f"/skp/bukti/{ev_id}").status_code == 404


def test_list_scope_matches_the_detail_rule(app, org_chart, period, staff_skp):
    other_skp = make_skp(org_chart.other, period)
    with app.test_request_context():
        mine = set(db.session.scalars(access.visible_skps(org_chart.u_kasi).with_only_columns(Skp.id)))
        hr = set(db.session.scalars(access.visible_skps(org_chart.u_hr).with_only_columns(Skp.id)))
    assert staff_skp.id in mine and other_skp.id not in mine
    assert {staff_skp.id, other_skp.id} <= hr


def test_approval_menu_is_shown_to_atasan_only(app, org_chart):
    with app.test_request_context():
        assert access.may_approve_skps(org_chart.u_kasi)
        assert not access.may_approve_skps(org_chart.u_staff)
        assert not access.may_approve_skps(org_chart.u_hr)


def test_todo_counts_skp_waiting_for_the_appraiser(app, org_chart, staff_skp):
    from kinerja_web.todos import todos_for

    with app.test_request_context():
        todos = todos_for(org_chart.u_kasi)
    assert [t.message for t in todos] == ["1 SKP menunggu persetujuan Anda"]
    assert db.session.scalar(select(Skp.status).where(Skp.id == staff_skp.id)) == SkpStatus.SUBMITTED
