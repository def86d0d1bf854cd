"""A refused pembinaan form shows again with every value the user sent (issue 19 item 8)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import ImprovementPlan

from ..helpers import assert_form_kept
from ..pembinaan_fixtures import *  # noqa: F403
from ..pembinaan_fixtures import TODAY, start_data


def test_a_refused_plan_keeps_goal_coach_dates_and_every_action(app, org_chart, low_rating):
    url = f"/pembinaan/mulai/{low_rating.id}"
    sent = start_data(
        org_chart.kasi,
        start_date=TODAY.isoformat(),
        check_in_every="2",
        goal="Sasaran yang diketik panjang lebar.",
        **{
            "actions-0-summary": "Tindakan pertama",
            "actions-0-target_date": (TODAY + timedelta(days=400)).isoformat(),  # outside the six months
            "actions-1-summary": "Tindakan kedua",
            "actions-1-target_date": (TODAY + timedelta(days=30)).isoformat(),
        },
    )
    r = app.test_client(user=org_chart.u_hr).post(url, data=sent)
    assert r.status_code == 422 and "harus di dalam masa pembinaan" in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)


def _plan(app, org_chart, low_rating):
    sent = start_data(org_chart.kasi, start_date=TODAY.isoformat())
    sent["actions-0-target_date"] = (TODAY + timedelta(days=30)).isoformat()
    assert app.test_client(user=org_chart.u_hr).post(f"/pembinaan/mulai/{low_rating.id}", data=sent).status_code == 303
    return db.session.scalars(select(ImprovementPlan)).one()


def test_a_refused_session_keeps_its_notes_and_new_actions(app, org_chart, low_rating):
    plan = _plan(app, org_chart, low_rating)
    url = f"/pembinaan/{plan.id}/sesi"
    sent = {
        "held_on": (TODAY + timedelta(days=3)).isoformat(),  # in the future: refused
        "check_in_id": str(plan.check_ins[0].id),
        "notes": "Catatan sesi yang panjang.",
        "actions-0-summary": "Tindakan baru",
        "actions-0-target_date": (TODAY + timedelta(days=20)).isoformat(),
    }
    r = app.test_client(user=org_chart.u_kasi).post(url, data=sent)
    assert r.status_code == 422 and "tidak boleh di masa depan" in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_review_keeps_the_chosen_outcome_and_notes(app, org_chart, low_rating):
    sent = start_data(org_chart.kasi)  # started six months ago: the review is due
    assert app.test_client(user=org_chart.u_hr).post(f"/pembinaan/mulai/{low_rating.id}", data=sent).status_code == 303
    plan = db.session.scalars(select(ImprovementPlan)).one()
    url = f"/pembinaan/{plan.id}/tinjauan"
    sent = {"outcome": "", "notes": "Catatan tinjauan yang diketik."}  # no outcome chosen
    r = app.test_client(user=org_chart.u_kasi).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)
