"""An SKP awaiting a decision follows today's pejabat penilai: a Plt/Plh appointed after submission takes it
over (inbox, approval, to-do, notification); an approved SKP keeps the pejabat penilai frozen at approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import AssignmentKind, Notification, PositionAssignment, Role, Skp, User
from kinerja_web.services.org import appraisers
from kinerja_web.timeutil import today_wib
from kinerja_web.todos import todos_for

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


@pytest.fixture
def acting(org_chart, make_employee):
    """An official of another post who may be appointed Plt of the kasi post, with an account."""
    emp = make_employee("Pejabat Pelaksana", org_chart.p_kabid, with_history=False)
    user = User(username="plt1", employee=emp, session_token="tok-plt", password_hash="x")
    user.set_roles({Role.PEGAWAI})
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def submitted(org_chart, period):
    """Staf Satu submitted the SKP to the kasi (A)."""
    return make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)


def _appoint_plt(app, org_chart, acting, kind="plt"):
    """HR appoints the acting official over the kasi post through the organisation page."""
    today = today_wib()
    r = app.test_client(user=org_chart.u_hr).post(
        f"/organisasi/jabatan/{org_chart.p_kasi.id}/penugasan",
        data={
            "nip": acting.employee.nip,
            "kind": kind,
            "start_date": (today - timedelta(days=1)).isoformat(),
            "end_date": (today + timedelta(days=60)).isoformat(),
        },
    )
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]


def _inbox_ids(app, user) -> str:
    return app.test_client(user=user).get("/skp/persetujuan").get_data(as_text=True)


def test_plt_appointed_after_submission_takes_over_the_inbox(app, org_chart, submitted, acting):
    assert f"/skp/{submitted.id}" in _inbox_ids(app, org_chart.u_kasi)
    _appoint_plt(app, org_chart, acting)
    assert f"/skp/{submitted.id}" not in _inbox_ids(app, org_chart.u_kasi)
    assert f"/skp/{submitted.id}" in _inbox_ids(app, acting)


def test_the_plt_may_approve_and_the_former_appraiser_may_not(app, org_chart, submitted, acting):
    _appoint_plt(app, org_chart, acting)
    assert app.test_client(user=org_chart.u_kasi).post(f"/skp/{submitted.id}/setujui").status_code == 403
    assert app.test_client(user=acting).post(f"/skp/{submitted.id}/setujui").status_code == 303
    db.session.refresh(submitted)
    assert submitted.status == SkpStatus.APPROVED and submitted.appraiser_id == acting.employee_id
    assert submitted.penilai_jabatan == "Plt. Kepala Seksi Uji"


def test_the_appointment_tells_the_plt_and_moves_the_to_do(app, org_chart, submitted, acting):
    _appoint_plt(app, org_chart, acting)
    db.session.refresh(submitted)
    assert submitted.appraiser_id == acting.employee_id
    note = db.session.scalars(select(Notification).where(Notification.user_id == acting.id)).one()
    assert note.kind == "skp_dialihkan" and note.link == f"/skp/{submitted.id}"
    with app.test_request_context():
        assert [t.message for t in todos_for(acting)] == ["1 SKP menunggu persetujuan Anda"]
        assert [t.message for t in todos_for(org_chart.u_kasi)] == []


def test_plh_over_the_definitive_holder_gets_the_skp_too(app, org_chart, submitted, acting):
    _appoint_plt(app, org_chart, acting, kind="plh")
    assert f"/skp/{submitted.id}" in _inbox_ids(app, acting)
    assert f"/skp/{submitted.id}" not in _inbox_ids(app, org_chart.u_kasi)


def test_when_the_acting_appointment_ends_the_skp_returns_to_the_definitive_holder(app, org_chart, submitted, acting):
    _appoint_plt(app, org_chart, acting)
    row = db.session.scalars(select(PositionAssignment).where(PositionAssignment.kind == AssignmentKind.PLT)).one()
    yesterday = today_wib() - timedelta(days=1)
    r = app.test_client(user=org_chart.u_hr).post(
        f"/organisasi/penugasan/{row.id}/akhiri", data={"end_date": yesterday.isoformat()}
    )
    assert r.status_code == 303
    assert f"/skp/{submitted.id}" in _inbox_ids(app, org_chart.u_kasi)
    assert f"/skp/{submitted.id}" not in _inbox_ids(app, acting)
    db.session.refresh(submitted)
    assert submitted.appraiser_id == org_chart.kasi.id


def test_an_approved_skp_keeps_its_frozen_pejabat_penilai(app, org_chart, period, acting):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    assert app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/setujui").status_code == 303
    _appoint_plt(app, org_chart, acting)
    db.session.refresh(skp)
    assert skp.appraiser_id == org_chart.kasi.id and skp.penilai_nama == "Kasi Uji"
    assert db.session.scalars(select(Notification).where(Notification.user_id == acting.id)).all() == []


def test_inbox_and_approval_right_agree_for_every_submitted_skp(app, org_chart, period, submitted, acting):
    other = make_skp(org_chart.staff2, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    _appoint_plt(app, org_chart, acting)
    from kinerja_web import access

    for user in (org_chart.u_kasi, acting, org_chart.u_staff):
        page = _inbox_ids(app, user) if user.employee_id else ""
        for skp in (submitted, other):
            with app.test_request_context():
                allowed = access.can_approve_skp(user, db.session.get(Skp, skp.id))
            assert (f'/skp/{skp.id}"' in page) == allowed, (user.username, skp.id)


def test_bulk_appraisers_match_the_one_by_one_rule(app, org_chart, make_employee, make_position):
    """`org.appraiser_ids_of` gives what `org.appraiser_of` gives: Plt, Plh, a vacant post passed over."""
    today = today_wib()
    acting = make_employee("Plh Kabid", org_chart.p_head, with_history=False)
    db.session.add(
        PositionAssignment(
            employee=acting,
            position=org_chart.p_kabid,
            kind=AssignmentKind.PLH,
            start_date=today - timedelta(days=3),
            end_date=today + timedelta(days=3),
        )
    )
    vacant = make_position("Kasubbag Kosong", org_chart.opd, org_chart.p_kasi)
    below_vacant = make_employee("Di Bawah Kosong", make_position("Staf X", org_chart.opd, vacant))
    people = [org_chart.head, org_chart.kabid, org_chart.kasi, org_chart.staff1, org_chart.other, below_vacant]
    db.session.flush()
    bulk = appraisers.appraiser_ids_of(people, today)
    for e in people:
        one = appraisers.appraiser_of(e, today)
        assert bulk[e.id] == (one.employee.id if one else None), e.name
    assert bulk[org_chart.kasi.id] == acting.id and bulk[below_vacant.id] == org_chart.kasi.id


def test_inbox_follows_an_appointment_that_began_without_rerouting(app, org_chart, submitted, acting):
    """An acting appointment entered ahead of time (or by an import) takes effect on its start date,
    before the nightly rerouting has updated the SKP row."""
    db.session.add(
        PositionAssignment(
            employee=acting.employee,
            position=org_chart.p_kasi,
            kind=AssignmentKind.PLT,
            start_date=today_wib(),
            end_date=today_wib() + timedelta(days=30),
        )
    )
    db.session.commit()
    assert db.session.get(Skp, submitted.id).appraiser_id == org_chart.kasi.id  # row not updated yet
    assert f"/skp/{submitted.id}" in _inbox_ids(app, acting)
    assert f"/skp/{submitted.id}" not in _inbox_ids(app, org_chart.u_kasi)
    with app.test_request_context():
        from kinerja_web.services.skp.rerouting import reroute_submitted

        assert reroute_submitted(today_wib()) == 1
        assert reroute_submitted(today_wib()) == 0  # idempotent: nobody is told twice


def test_an_skp_below_a_vacant_post_reaches_the_next_holder_up(app, org_chart, period, make_employee, make_position):
    vacant = make_position("Kasubbag Kosong", org_chart.opd, org_chart.p_kasi)
    emp = make_employee("Di Bawah Kosong", make_position("Staf X", org_chart.opd, vacant))
    skp = make_skp(emp, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    assert f"/skp/{skp.id}" in _inbox_ids(app, org_chart.u_kasi)
    assert app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/setujui").status_code == 303


def test_the_skp_page_names_who_decides_today(app, org_chart, submitted, acting):
    _appoint_plt(app, org_chart, acting)
    page = app.test_client(user=org_chart.u_staff).get(f"/skp/{submitted.id}").get_data(as_text=True)
    assert "Pejabat Pelaksana" in page and "Plt. Kepala Seksi Uji" in page
