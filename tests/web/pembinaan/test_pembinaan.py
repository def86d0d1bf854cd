"""Pembinaan kinerja: HR starts a 6-month plan, the atasan coaches and checks in, the review gives the next step."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from kinerja_web.domain.pembinaan import PlanStatus, ReviewOutcome, add_months
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, CoachingSession, ImprovementPlan, Notification
from kinerja_web.services.pembinaan import plans
from kinerja_web.todos import todos_for

from ..pembinaan_fixtures import *  # noqa: F403
from ..pembinaan_fixtures import SIX_MONTHS_AGO, TODAY, final_rating, start_data


def start(app, org_chart, rating, **kw):
    return app.test_client(user=org_chart.u_hr).post(
        f"/pembinaan/mulai/{rating.id}", data=start_data(org_chart.kasi, **kw)
    )


def the_plan():
    return db.session.scalars(select(ImprovementPlan)).one()


def test_hr_sees_low_rating_waiting_for_a_plan(app, org_chart, low_rating):
    text = app.test_client(user=org_chart.u_hr).get("/pembinaan/").get_data(as_text=True)
    assert "Perlu rencana pembinaan (1)" in text and "Staf Satu" in text and "Butuh Perbaikan" in text


def test_start_form_offers_the_atasan_as_coach(app, org_chart, low_rating):
    text = app.test_client(user=org_chart.u_hr).get(f"/pembinaan/mulai/{low_rating.id}").get_data(as_text=True)
    assert f'<option value="{org_chart.kasi.id}">Kasi Uji' in text
    assert "PP 30/2019 Pasal 57" in text


def test_hr_starts_a_six_month_plan_with_check_ins(app, org_chart, low_rating):
    r = start(app, org_chart, low_rating)
    assert r.status_code == 303
    plan = the_plan()
    assert plan.review_date == add_months(SIX_MONTHS_AGO, 6)
    assert [c.scheduled_on for c in plan.check_ins] == [add_months(SIX_MONTHS_AGO, n) for n in range(1, 6)]
    assert [a.description for a in plan.actions] == ["Menyusun jadwal kerja mingguan"]
    assert plan.coach_id == org_chart.kasi.id and plan.status == PlanStatus.RUNNING


def test_double_submit_starts_one_plan(app, org_chart, low_rating):
    assert start(app, org_chart, low_rating).status_code == 303
    again = start(app, org_chart, low_rating)
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/pembinaan/{the_plan().id}")
    assert db.session.scalar(select(func.count(ImprovementPlan.id))) == 1


def test_plan_without_actions_is_refused_with_the_input_kept(app, org_chart, low_rating):
    r = start(app, org_chart, low_rating, **{"actions-0-summary": ""})
    text = r.get_data(as_text=True)
    assert r.status_code == 422 and "Isi minimal satu tindakan yang disepakati." in text
    assert "Laporan bulanan selesai tepat waktu" in text
    assert db.session.scalar(select(func.count(ImprovementPlan.id))) == 0


def test_action_target_outside_the_period_is_refused(app, org_chart, low_rating):
    late = add_months(SIX_MONTHS_AGO, 7).isoformat()
    r = start(app, org_chart, low_rating, **{"actions-0-target_date": late})
    assert r.status_code == 422 and "harus di dalam masa pembinaan" in r.get_data(as_text=True)


def test_bad_date_gets_an_indonesian_message(app, org_chart, low_rating):
    r = start(app, org_chart, low_rating, start_date="kemarin")
    assert r.status_code == 422 and "Tanggal tidak sah" in r.get_data(as_text=True)


def test_good_predikat_cannot_get_a_plan(app, org_chart, period):
    from kinerja_web.domain.predikat import Ekspektasi, Predikat

    good = final_rating(org_chart.staff2, period, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Predikat.BAIK)
    r = app.test_client(user=org_chart.u_hr).post(f"/pembinaan/mulai/{good.id}", data=start_data(org_chart.kasi))
    assert r.status_code == 422 and "tidak memerlukan pembinaan kinerja" in r.get_data(as_text=True)


def test_coach_by_nip_overrides_the_choice(app, org_chart, low_rating):
    r = start(app, org_chart, low_rating, coach_id="0", coach_nip=org_chart.kabid.nip)
    assert r.status_code == 303 and the_plan().coach_id == org_chart.kabid.id


def test_unknown_coach_nip_is_refused(app, org_chart, low_rating):
    r = start(app, org_chart, low_rating, coach_id="0", coach_nip="199001012020011999")
    assert r.status_code == 422 and "tidak ditemukan" in r.get_data(as_text=True)


def test_start_notifies_the_employee_and_the_coach(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    users = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "pembinaan")))
    assert users == {org_chart.u_staff.id, org_chart.u_kasi.id}


def test_start_is_audited(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.entity == "improvement_plan")))
    assert "start_pembinaan" in actions


def test_start_service_records_the_referral_source(app, org_chart, low_rating):
    plan = plans.start_improvement_plan(
        org_chart.staff1,
        low_rating,
        org_chart.kasi,
        start_date=TODAY,
        goal="Sasaran",
        actions=[plans.AgreedAction("Tindakan", TODAY + timedelta(days=30))],
        actor=org_chart.u_hr,
        source_ref="referral:7",
    )
    assert plan.source_ref == "referral:7" and plan.review_date == add_months(TODAY, 6)


def log(app, user, plan, **kw):
    data = {
        "held_on": TODAY.isoformat(),
        "check_in_id": str(plan.check_ins[0].id),
        "notes": "Membahas hambatan laporan bulanan.",
        "actions-0-summary": "Mengirim draf laporan tiap Jumat",
        "actions-0-target_date": (TODAY + timedelta(days=1)).isoformat()
        if add_months(SIX_MONTHS_AGO, 6) > TODAY
        else TODAY.isoformat(),
        "actions-1-summary": "",
        "actions-1-target_date": "",
        "form_token": "tok-1",
        **kw,
    }
    return app.test_client(user=user).post(f"/pembinaan/{plan.id}/sesi", data=data)


def test_atasan_logs_a_session_that_ticks_the_check_in(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    r = log(app, org_chart.u_kasi, plan)
    assert r.status_code == 303
    db.session.expire_all()
    plan = the_plan()
    assert plan.check_ins[0].held_on == TODAY
    assert [s.notes for s in plan.sessions] == ["Membahas hambatan laporan bulanan."]
    assert "Mengirim draf laporan tiap Jumat" in [a.description for a in plan.actions]


def test_double_submitted_session_is_logged_once(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    log(app, org_chart.u_kasi, plan)
    again = log(app, org_chart.u_kasi, plan)
    assert again.status_code == 303
    assert db.session.scalar(select(func.count(CoachingSession.id))) == 1


def test_session_in_the_future_is_refused(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    r = log(app, org_chart.u_kasi, the_plan(), held_on=(TODAY + timedelta(days=2)).isoformat())
    assert r.status_code == 422 and "tidak boleh di masa depan" in r.get_data(as_text=True)


def test_employee_sees_sessions_but_cannot_log(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    log(app, org_chart.u_kasi, plan)
    page = app.test_client(user=org_chart.u_staff).get(f"/pembinaan/{plan.id}").get_data(as_text=True)
    assert "Membahas hambatan laporan bulanan." in page and "Catat sesi pembinaan" not in page
    assert log(app, org_chart.u_staff, plan, form_token="tok-2").status_code == 403


def test_peer_gets_404_for_the_plan(app, org_chart, low_rating, u_staff2):
    start(app, org_chart, low_rating)
    assert app.test_client(user=u_staff2).get(f"/pembinaan/{the_plan().id}").status_code == 404


def test_overdue_check_ins_are_highlighted_for_hr(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    text = app.test_client(user=org_chart.u_hr).get("/pembinaan/").get_data(as_text=True)
    assert 'class="overdue"' in text and "terlewat" in text


def test_list_filters_by_status_as_a_fragment(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    client = app.test_client(user=org_chart.u_hr)
    frag = client.get("/pembinaan/?status=membaik", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in frag and 'id="rows"' in frag and "Staf Satu" not in frag
    full = client.get("/pembinaan/?status=berjalan").get_data(as_text=True)
    assert "<html" in full and "Staf Satu" in full
    boosted = client.get("/pembinaan/?status=berjalan", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True) and "HX-Request" in boosted.headers["Vary"]


def review(app, user, plan, outcome="tidak_membaik"):
    return app.test_client(user=user).post(
        f"/pembinaan/{plan.id}/tinjauan", data={"outcome": outcome, "notes": "Target laporan tetap tidak tercapai."}
    )


def test_review_not_improved_gives_hr_the_next_step_with_legal_basis(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    assert review(app, org_chart.u_kasi, plan).status_code == 303
    db.session.expire_all()
    plan = the_plan()
    assert plan.status == PlanStatus.NOT_IMPROVED and plan.outcome == ReviewOutcome.NOT_IMPROVED
    assert plan.next_step.startswith("Pindah ke jabatan yang sesuai atau lebih rendah")
    assert plan.next_step_basis == "PP 30/2019 Pasal 58"
    page = app.test_client(user=org_chart.u_hr).get(f"/pembinaan/{plan.id}").get_data(as_text=True)
    assert "Langkah berikutnya yang direkomendasikan" in page and "Catat tindak lanjut" in page


def test_employee_sees_the_outcome_but_not_the_recommended_sanction(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    review(app, org_chart.u_kasi, plan)
    page = app.test_client(user=org_chart.u_staff).get(f"/pembinaan/{plan.id}").get_data(as_text=True)
    assert "Tidak membaik" in page and "Target laporan tetap tidak tercapai." in page
    assert "Langkah berikutnya yang direkomendasikan" not in page and "Pasal 58" not in page


def test_review_improved_closes_the_plan(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    review(app, org_chart.u_kasi, the_plan(), "membaik")
    db.session.expire_all()
    assert the_plan().status == PlanStatus.IMPROVED


def test_review_before_six_months_is_refused(app, org_chart, low_rating):
    start(app, org_chart, low_rating, start_date=TODAY.isoformat(), **{"actions-0-target_date": TODAY.isoformat()})
    assert review(app, org_chart.u_kasi, the_plan()).status_code == 403
    assert the_plan().status == PlanStatus.RUNNING


def test_double_submitted_review_records_once(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    review(app, org_chart.u_kasi, plan)
    again = review(app, org_chart.u_kasi, plan, "membaik")
    assert again.status_code == 303
    db.session.expire_all()
    assert the_plan().outcome == ReviewOutcome.NOT_IMPROVED


def test_hr_records_follow_up_and_the_plan_closes(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    review(app, org_chart.u_kasi, plan)
    r = app.test_client(user=org_chart.u_hr).post(
        f"/pembinaan/{plan.id}/tindak-lanjut", data={"notes": "Dipindahkan ke jabatan pelaksana lain, SK 800/1."}
    )
    assert r.status_code == 303
    db.session.expire_all()
    assert the_plan().status == PlanStatus.FOLLOWED_UP


def test_todos_remind_the_coach_of_due_check_ins_and_review(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    messages = [t.message for t in todos_for(org_chart.u_kasi)]
    assert any("pertemuan pemantauan pembinaan kinerja jatuh tempo" in m for m in messages)
    assert any("tinjauan 6 bulan" in m for m in messages)


def test_todos_tell_hr_about_plans_waiting_for_follow_up(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    review(app, org_chart.u_kasi, the_plan())
    assert any("menunggu tindak lanjut" in t.message for t in todos_for(org_chart.u_hr))


def test_plan_page_query_count_does_not_grow_with_sessions(app, org_chart, low_rating, count_queries):
    start(app, org_chart, low_rating)
    plan = the_plan()
    client = app.test_client(user=org_chart.u_staff)
    log(app, org_chart.u_kasi, plan)
    client.get(f"/pembinaan/{plan.id}")  # the menu of this user is read once and cached (services/datacache.py)
    with count_queries() as few:
        client.get(f"/pembinaan/{plan.id}")
    for i in range(5):
        log(app, org_chart.u_kasi, plan, form_token=f"tok-x{i}", check_in_id="0")
    with count_queries() as many:
        client.get(f"/pembinaan/{plan.id}")
    assert len(many) == len(few)


def test_hr_list_query_count_does_not_grow_with_plans(
    app, org_chart, period, make_position, make_employee, count_queries
):
    def add_plans(n):
        for i in range(n):
            emp = make_employee(f"Staf Pembinaan {i}", make_position(f"Pelaksana {i}", org_chart.opd, org_chart.p_kasi))
            rating = final_rating(emp, period)
            plans.start_improvement_plan(
                emp,
                rating,
                org_chart.kasi,
                start_date=SIX_MONTHS_AGO,
                goal="Sasaran",
                actions=[plans.AgreedAction("Tindakan", SIX_MONTHS_AGO + timedelta(days=20))],
                actor=org_chart.u_hr,
            )
        db.session.commit()

    client = app.test_client(user=org_chart.u_hr)
    add_plans(2)
    with count_queries() as few:
        assert client.get("/pembinaan/").status_code == 200
    add_plans(10)
    with count_queries() as many:
        text = client.get("/pembinaan/").get_data(as_text=True)
    assert text.count('class="overdue"') == 12
    assert len(many) == len(few)


def test_double_submitted_check_in_is_scheduled_once(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    on = (SIX_MONTHS_AGO + timedelta(days=10)).isoformat()
    client = app.test_client(user=org_chart.u_kasi)
    assert client.post(f"/pembinaan/{plan.id}/check-in", data={"scheduled_on": on}).status_code == 303
    assert client.post(f"/pembinaan/{plan.id}/check-in", data={"scheduled_on": on}).status_code == 303
    db.session.expire_all()
    assert [c.scheduled_on.isoformat() for c in the_plan().check_ins].count(on) == 1


def test_check_in_after_the_review_date_is_refused(app, org_chart, low_rating):
    start(app, org_chart, low_rating)
    plan = the_plan()
    late = add_months(SIX_MONTHS_AGO, 7).isoformat()
    r = app.test_client(user=org_chart.u_kasi).post(f"/pembinaan/{plan.id}/check-in", data={"scheduled_on": late})
    assert r.status_code == 422 and "Tanggal pertemuan pemantauan harus di antara" in r.get_data(as_text=True)
