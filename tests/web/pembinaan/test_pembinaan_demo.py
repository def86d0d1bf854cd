"""`flask seed demo` shows the follow-up areas: one running pembinaan plan and one penghargaan proposal."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kinerja_web.domain.pembinaan import PlanStatus
from kinerja_web.extensions import db
from kinerja_web.models import AwardProposal, ImprovementPlan, User
from kinerja_web.services.pembinaan import plans as pembinaan
from kinerja_web.services.seed.accounts import create_demo_accounts
from kinerja_web.services.seed.demo import seed_followup_demo
from kinerja_web.services.seed.org import build_regency
from kinerja_web.timeutil import today_wib
from tests.transactions import rolled_back


@pytest.fixture(scope="module")
def demo(_app):
    today = today_wib()
    with _app.app_context(), rolled_back() as session:
        build_regency(400, today=today)
        create_demo_accounts(today)
        made = seed_followup_demo(today)
        session.flush()
        users = {u.username: u for u in session.scalars(select(User))}
        yield SimpleNamespace(app=_app, today=today, made=made, users=users)


def test_demo_has_one_running_plan_with_a_logged_session(demo):
    (plan,) = db.session.scalars(select(ImprovementPlan)).all()
    assert plan.status == PlanStatus.RUNNING and len(plan.sessions) == 1
    assert plan.coach_id == demo.users["atasan"].employee_id


def test_demo_has_one_award_proposal_by_kabid(demo):
    (p,) = db.session.scalars(select(AwardProposal)).all()
    assert p.employee_id == demo.users["atasan"].employee_id and p.proposed_by_id == demo.users["kabid"].id


def test_demo_pegawai_waits_in_the_hr_queue(demo):
    waiting = [r.employee_id for r in pembinaan.eligible_ratings()]
    assert waiting == [demo.users["pegawai"].employee_id]


def test_demo_follow_up_seed_runs_once(demo):
    assert demo.made == {"plans": 1, "proposals": 1}
    assert seed_followup_demo(demo.today) == {"plans": 0, "proposals": 0}


def test_atasan_sees_the_demo_plan_in_his_list(demo):
    body = demo.app.test_client(user=demo.users["atasan"]).get("/pembinaan/").get_data(as_text=True)
    assert "Berjalan" in body
