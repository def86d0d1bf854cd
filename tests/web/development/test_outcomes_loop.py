"""The follow-up stage wired together: accepted pembinaan referrals open their plan, the 9-box feeds referral and
award suggestions, and the next cycle's results show whether a referral or plan helped (the effectiveness report)."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from kinerja_web.domain.development import OutcomeStatus, ProgrammeBentuk, ReferralStatus
from kinerja_web.domain.pembinaan import PlanStatus, ReviewOutcome
from kinerja_web.domain.predikat import Predikat
from kinerja_web.domain.skp import Frequency, PeriodStatus
from kinerja_web.domain.talent import Potensial
from kinerja_web.extensions import db
from kinerja_web.models import (
    AssignmentStatus,
    AwardProposal,
    CycleStatus,
    Evaluatee,
    EvaluationCycle,
    ImprovementPlan,
    Notification,
    Period,
    RaterAssignment,
    RaterGroup,
    RaterSource,
    Referral,
    Response,
    Role,
    RuleKind,
    TalentPotensial,
)
from kinerja_web.services.development import jp as jp_ledger
from kinerja_web.services.development import lifecycle
from kinerja_web.services.development import outcomes as loop
from kinerja_web.services.development import rules as referral_rules
from kinerja_web.services.development import suggestions as generation
from kinerja_web.services.pembinaan import plans
from kinerja_web.services.talent import boxes as talent
from kinerja_web.timeutil import today_wib

from ..referral_fixtures import *  # noqa: F403
from ..referral_fixtures import rate, suggestions


def _reads(calls):
    return [q for q in calls if q.lstrip().upper().startswith("SELECT")]


def _hr(app, ns):
    return app.test_client(user=ns.u_hr)


def _low(ns) -> Referral:
    return suggestions(ns).by_key[f"rating:{ns.r_low.id}:predikat_rendah"]


def _plans() -> int:
    return db.session.scalar(select(func.count(ImprovementPlan.id)))


def _next_period(year: int = 2027) -> Period:
    p = Period(
        year=year,
        frequency=Frequency.TRIWULAN,
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        status=PeriodStatus.OPEN,
    )
    db.session.add(p)
    db.session.flush()
    return p


def _finish(ref: Referral, ns, programme=None) -> Referral:
    lifecycle.assign([ref], programme or ns.pembinaan, ns.u_hr, date(2026, 10, 1))
    lifecycle.start(ref, ns.u_hr, date(2026, 10, 2))
    lifecycle.complete(
        ref, attendance_percent=100, result=None, jp=None, certificate=None, actor=ns.u_hr, today=date(2026, 10, 9)
    )
    db.session.commit()
    return ref


# --- 1. an accepted pembinaan kinerja referral opens its improvement plan ----------------------------------


def test_accepting_a_pembinaan_referral_starts_the_plan_with_the_pejabat_penilai_as_coach(app, dev_world):
    ns = dev_world
    ref = _low(ns)
    r = _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/tugaskan", data={"programme_id": ns.pembinaan.id})
    assert r.status_code == 303
    plan = plans.plan_of_rating(ns.r_low.id)
    assert plan is not None and plan.coach_id == ns.kasi.id and plan.employee_id == ns.staff1.id
    assert plan.start_date == today_wib() and plan.source_ref == f"referral:{ref.id}"
    assert "Kurang/Misconduct" in plan.goal and "Baik" in plan.goal and len(plan.actions) == 1
    page = _hr(app, ns).get(f"/pengembangan/rujukan/{ref.id}").get_data(as_text=True)
    assert f"/pembinaan/{plan.id}" in page
    back = _hr(app, ns).get(f"/pembinaan/{plan.id}").get_data(as_text=True)
    assert f"/pengembangan/rujukan/{ref.id}" in back


def test_the_coach_sees_the_plan_link_on_the_referral_page(app, dev_world):
    ns = dev_world
    ref = _low(ns)
    lifecycle.assign([ref], ns.pembinaan, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    plan = plans.plan_of_rating(ns.r_low.id)
    page = app.test_client(user=ns.u_kasi).get(f"/pengembangan/rujukan/{ref.id}").get_data(as_text=True)
    assert f"/pembinaan/{plan.id}" in page


def test_accepting_twice_or_generating_again_never_opens_a_second_plan(app, dev_world):
    ns = dev_world
    ref = _low(ns)
    client = _hr(app, ns)
    assert (
        client.post(f"/pengembangan/rujukan/{ref.id}/tugaskan", data={"programme_id": ns.pembinaan.id}).status_code
        == 303
    )
    again = client.post(f"/pengembangan/rujukan/{ref.id}/tugaskan", data={"programme_id": ns.pembinaan.id})
    assert again.status_code == 422
    generation.generate_suggestions(ns.period, date(2026, 10, 1))
    db.session.commit()
    assert _plans() == 1
    assert db.session.scalar(select(func.count(Referral.id)).where(Referral.rating_id == ns.r_low.id)) == 1


def test_a_plan_opened_from_the_pembinaan_queue_is_linked_not_duplicated(app, dev_world):
    ns = dev_world
    rating = ns.r_low
    existing = plans.start_improvement_plan(
        ns.staff1,
        rating,
        ns.kasi,
        start_date=date(2026, 9, 1),
        goal="Sasaran dari atasan.",
        actions=[plans.AgreedAction("Jadwal mingguan", date(2026, 10, 1))],
        actor=ns.u_hr,
    )
    db.session.commit()
    ref = _low(ns)
    lifecycle.assign([ref], ns.pembinaan, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    assert _plans() == 1
    db.session.refresh(existing)
    assert existing.source_ref == f"referral:{ref.id}" and existing.goal == "Sasaran dari atasan."


def test_without_a_pejabat_penilai_the_assignment_is_refused_and_nothing_is_saved(app, dev_world):
    ns = dev_world
    r_other = rate(ns.other, ns.period, Predikat.SANGAT_KURANG)  # p_other has no post above it
    db.session.commit()
    ref = suggestions(ns).by_key[f"rating:{r_other.id}:predikat_rendah"]
    before = db.session.scalar(select(func.count(Notification.id)))
    r = _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/tugaskan", data={"programme_id": ns.pembinaan.id})
    assert r.status_code == 422
    assert "pejabat penilai" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Referral, ref.id).status == ReferralStatus.DIUSULKAN
    assert _plans() == 0 and db.session.scalar(select(func.count(Notification.id))) == before


def test_bulk_assignment_without_a_coach_names_the_row_and_saves_nothing(app, dev_world):
    ns = dev_world
    r_other = rate(ns.other, ns.period, Predikat.SANGAT_KURANG)
    db.session.commit()
    s = suggestions(ns)
    ids = [s.by_key[f"rating:{ns.r_low.id}:predikat_rendah"].id, s.by_key[f"rating:{r_other.id}:predikat_rendah"].id]
    r = _hr(app, ns).post("/pengembangan/antrean/tugaskan", data={"ids": ids, "programme_id": ns.pembinaan.id})
    assert r.status_code == 422 and "pejabat penilai" in r.get_data(as_text=True)
    db.session.expire_all()
    assert _plans() == 0
    assert {db.session.get(Referral, i).status for i in ids} == {ReferralStatus.DIUSULKAN}


# --- 2. the 9-box in referral and award suggestions --------------------------------------------------------


def _potensial(employee, period, level: Potensial) -> None:
    db.session.add(TalentPotensial(employee_id=employee.id, period_id=period.id, potensial=level))
    db.session.flush()


def test_talent_pool_is_suggested_for_management_training_with_the_box_as_the_reason(app, dev_world, make_employee):
    ns = dev_world
    _potensial(ns.staff2, ns.period, Potensial.TINGGI)  # Sangat Baik × tinggi: box 9
    baik_tinggi = make_employee("Baik Tinggi")
    r8 = rate(baik_tinggi, ns.period, Predikat.BAIK)
    _potensial(baik_tinggi, ns.period, Potensial.TINGGI)  # box 8: talent pool though Baik alone triggers nothing
    baik_menengah = make_employee("Baik Menengah")
    r5 = rate(baik_menengah, ns.period, Predikat.BAIK)
    _potensial(baik_menengah, ns.period, Potensial.MENENGAH)  # box 5: not the talent pool
    db.session.commit()
    by_key = suggestions(ns).by_key
    top = by_key[f"rating:{ns.r_high.id}:predikat_tinggi"]
    assert top.nine_box == 9 and "Kotak 9" in top.reason_text
    pool = by_key[f"rating:{r8.id}:predikat_tinggi"]
    assert pool.nine_box == 8 and "Kotak 8" in pool.reason_text and "talent pool" in pool.reason_text
    assert pool.suggested_bentuk.value == "pelatihan_manajerial"
    assert f"rating:{r5.id}:predikat_tinggi" not in by_key


def test_sangat_baik_without_potensial_is_still_suggested_without_a_box(app, dev_world):
    top = suggestions(dev_world).by_key[f"rating:{dev_world.r_high.id}:predikat_tinggi"]
    assert top.nine_box is None and "Kotak" not in top.reason_text


def test_talent_boxes_match_talent_box_and_read_a_population_in_a_fixed_number_of_queries(
    app, dev_world, make_employee, count_queries
):
    ns = dev_world
    _potensial(ns.staff2, ns.period, Potensial.TINGGI)
    _potensial(ns.staff1, ns.period, Potensial.RENDAH)
    db.session.commit()
    period_id = ns.period.id
    with count_queries() as few:
        boxes = talent.talent_boxes(period_id)
    assert {eid: b.nomor for eid, b in boxes.items()} == {
        ns.staff2.id: talent.talent_box(ns.staff2.id, ns.period.id).nomor,
        ns.staff1.id: talent.talent_box(ns.staff1.id, ns.period.id).nomor,
    }
    for i in range(5):
        e = make_employee(f"Tambahan {i}")
        rate(e, ns.period, Predikat.BAIK)
        _potensial(e, ns.period, Potensial.MENENGAH)
    db.session.commit()
    period_id = ns.period.id
    with count_queries() as many:
        assert len(talent.talent_boxes(period_id)) == 7
    # manual potensial, the JPM rule, the latest assessments, the ratings (and the period when not cached)
    assert len(_reads(few)) == len(_reads(many)) <= 5


def test_award_suggestions_record_the_box_from_the_talent_map(app, dev_world):
    ns = dev_world
    _potensial(ns.staff2, ns.period, Potensial.TINGGI)
    db.session.commit()
    r = _hr(app, ns).post(f"/penghargaan/kelola/{ns.period.id}/saran")
    assert r.status_code == 303
    proposal = db.session.scalar(select(AwardProposal).where(AwardProposal.employee_id == ns.staff2.id))
    assert proposal is not None and proposal.kotak == 9


# --- 3. closing the loop: the next cycle's result per referral ---------------------------------------------


def test_finished_pembinaan_referral_shows_membaik_when_the_next_predikat_is_higher(app, dev_world):
    ns = dev_world
    ref = _finish(_low(ns), ns)
    assert loop.outcome_of_referral(ref).status == OutcomeStatus.BELUM_ADA_DATA
    rate(ns.staff1, _next_period(), Predikat.BAIK)
    db.session.commit()
    o = loop.outcome_of_referral(ref)
    assert o.status == OutcomeStatus.MEMBAIK and o.change == 2
    page = _hr(app, ns).get(f"/pengembangan/rujukan/{ref.id}").get_data(as_text=True)
    assert "Membaik" in page and "Kurang/Misconduct → Baik" in page
    mine = app.test_client(user=ns.u_staff).get("/pengembangan/").get_data(as_text=True)
    assert "Membaik" in mine and "penilaian kinerja tahunan 2027" in mine


def test_a_lower_next_predikat_is_menurun_and_a_draft_is_no_data(app, dev_world):
    ns = dev_world
    ref = _finish(_low(ns), ns)
    nxt = _next_period()
    from kinerja_web.models import RatingStatus

    draft = rate(ns.staff1, nxt, Predikat.SANGAT_KURANG, RatingStatus.DRAFT)
    db.session.commit()
    assert loop.outcome_of_referral(ref).status == OutcomeStatus.BELUM_ADA_DATA
    draft.status = RatingStatus.FINAL
    db.session.commit()
    o = loop.outcome_of_referral(ref)
    assert o.status == OutcomeStatus.MENURUN and o.change == -1


def test_unfinished_referrals_have_no_outcome(app, dev_world):
    ns = dev_world
    ref = _low(ns)
    lifecycle.assign([ref], ns.pembinaan, ns.u_hr, date(2026, 10, 1))
    rate(ns.staff1, _next_period(), Predikat.BAIK)
    db.session.commit()
    assert loop.outcome_of_referral(ref) is None


def _cycle(ns, year: int, scores: dict, raters) -> Evaluatee:
    cycle = EvaluationCycle(
        name=f"Penilaian 360 Tahunan {year}",
        year=year,
        period_label=f"Tahunan {year}",
        start_date=date(year, 1, 1),
        end_date=date(year, 11, 30),
        deadline=date(year, 11, 30),
        status=CycleStatus.CLOSED,
    )
    ev = Evaluatee(cycle=cycle, employee_id=ns.staff1.id, unit_id=ns.opd.id, appraiser_id=ns.kasi.id)
    db.session.add_all([cycle, ev])
    for emp, group in raters:
        a = RaterAssignment(
            evaluatee=ev, rater_id=emp.id, group=group, source=RaterSource.HR, status=AssignmentStatus.SUBMITTED
        )
        for code, score in scores.items():
            a.responses.append(Response(value_code=code, score=score))
        db.session.add(a)
    db.session.commit()
    return ev


def _enough(ns):
    return [
        (ns.kasi, RaterGroup.ATASAN),
        (ns.staff2, RaterGroup.REKAN),
        (ns.kabid, RaterGroup.REKAN),
        (ns.head, RaterGroup.REKAN),
    ]


def test_berakhlak_referral_compares_the_targeted_value_in_the_next_closed_360(app, dev_world):
    ns = dev_world
    ev = _cycle(ns, 2026, {"akuntabel": 2, "kolaboratif": 4}, _enough(ns))
    ref = _finish(suggestions(ns).by_key[f"360:{ev.id}:akuntabel"], ns, ns.elearning)
    _cycle(ns, 2027, {"akuntabel": 4, "kolaboratif": 2}, _enough(ns))
    o = loop.outcome_of_referral(ref)
    assert o.status == OutcomeStatus.MEMBAIK and o.change == 2  # akuntabel 2,00 → 4,00 (kolaboratif is not targeted)
    assert "Akuntabel 2,00 → Akuntabel 4,00" in o.detail and "Tahunan 2027" in o.detail


def test_berakhlak_value_hidden_for_too_few_raters_stays_without_data(app, dev_world):
    ns = dev_world
    ev = _cycle(ns, 2026, {"akuntabel": 2}, _enough(ns))
    ref = _finish(suggestions(ns).by_key[f"360:{ev.id}:akuntabel"], ns, ns.elearning)
    _cycle(ns, 2027, {"akuntabel": 5}, [(ns.staff2, RaterGroup.REKAN), (ns.kabid, RaterGroup.REKAN)])
    o = loop.outcome_of_referral(ref)
    assert o.status == OutcomeStatus.BELUM_ADA_DATA and o.after is None and "5" not in o.detail


def _reviewed_plan(ns, outcome=ReviewOutcome.IMPROVED) -> ImprovementPlan:
    plan = plans.start_improvement_plan(
        ns.staff1,
        ns.r_low,
        ns.kasi,
        start_date=date(2026, 1, 5),
        goal="Sasaran.",
        actions=[plans.AgreedAction("Jadwal mingguan", date(2026, 2, 1))],
        actor=ns.u_hr,
    )
    plans.record_review(plan, outcome, "Tinjauan enam bulan.", ns.u_hr, date(2026, 7, 6))
    db.session.commit()
    return plan


def test_reviewed_plan_is_compared_with_the_next_final_predikat(app, dev_world):
    ns = dev_world
    plan = _reviewed_plan(ns)
    rate(ns.staff1, _next_period(), Predikat.BUTUH_PERBAIKAN)
    db.session.commit()
    o = loop.outcome_of_plan(plan)
    assert o.status == OutcomeStatus.MEMBAIK and o.change == 1
    page = _hr(app, ns).get(f"/pembinaan/{plan.id}").get_data(as_text=True)
    assert "Hasil periode berikutnya" in page and "Butuh Perbaikan" in page


# --- the HR report -------------------------------------------------------------------------------------------


def _report_world(ns):
    ref = _finish(_low(ns), ns)
    rate(ns.staff1, _next_period(), Predikat.BAIK)
    jp_ref = suggestions(ns).by_key[f"jp:2026:{ns.staff2.id}"]
    _finish(jp_ref, ns, ns.elearning)
    db.session.commit()
    return ref


def test_effectiveness_report_shows_per_programme_improvement_and_average_change(app, dev_world):
    ns = dev_world
    _report_world(ns)
    rows = {(r.programme, r.measure): r for r in loop.effectiveness(2026, None)}
    pk = rows[("Pembinaan Kinerja", "predikat")]
    assert (pk.finished, pk.with_data, pk.improved, pk.percent_improved, pk.average_change) == (1, 1, 1, 100, 2)
    el = rows[("MOOC Literasi Digital", None)]
    assert el.finished == 1 and el.with_data == 0 and el.percent_improved is None
    r = _hr(app, ns).get("/pengembangan/efektivitas?tahun=2026")
    html = r.get_data(as_text=True)
    assert (
        r.status_code == 200 and "<svg" in html and "Pembinaan Kinerja" in html and "100,0%" in html and "+2,00" in html
    )


def test_effectiveness_report_filters_by_year_and_opd(app, dev_world):
    ns = dev_world
    _report_world(ns)
    assert loop.effectiveness(2025, None) == []
    other = _hr(app, ns).get(f"/pengembangan/efektivitas?tahun=2026&opd={ns.other_opd.id}").get_data(as_text=True)
    assert "Belum ada rujukan yang selesai" in other
    same = _hr(app, ns).get(f"/pengembangan/efektivitas?tahun=2026&opd={ns.opd.id}").get_data(as_text=True)
    assert "Pembinaan Kinerja" in same


def test_effectiveness_report_counts_reviewed_plans_in_their_own_row(app, dev_world):
    ns = dev_world
    _reviewed_plan(ns, ReviewOutcome.NOT_IMPROVED)
    rate(ns.staff1, _next_period(), Predikat.KURANG_MISCONDUCT)
    db.session.commit()
    row = next(r for r in loop.effectiveness(2026, None) if r.programme == loop.PLAN_PROGRAMME)
    assert (row.finished, row.with_data, row.same, row.improved) == (1, 1, 1, 0)


def test_effectiveness_xlsx_holds_the_same_rows(app, dev_world):
    from openpyxl import load_workbook

    ns = dev_world
    _report_world(ns)
    r = _hr(app, ns).get("/pengembangan/efektivitas.xlsx?tahun=2026")
    assert r.status_code == 200 and "efektivitas-pengembangan-2026.xlsx" in r.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    pk = next(row for row in rows if row[0] == "Pembinaan Kinerja")
    assert pk[2:5] == (1, 1, 1) and pk[7] == 1.0 and pk[8] == 2.0


def test_effectiveness_queries_do_not_grow_with_the_number_of_referrals(
    app, dev_world, make_employee, make_position, count_queries
):
    ns = dev_world
    _report_world(ns)
    with count_queries() as few:
        loop.effectiveness(2026, None)
    for i in range(4):
        e = make_employee(f"Tambahan {i}", make_position(f"Pelaksana {i}", unit=ns.opd, parent=ns.p_kasi))
        rate(e, ns.period, Predikat.BUTUH_PERBAIKAN)
    db.session.commit()
    for ref in suggestions(ns).all:
        if ref.reason_kind.value == "predikat_rendah" and ref.status == ReferralStatus.DIUSULKAN:
            _finish(ref, ns)
    assert sum(r.finished for r in loop.effectiveness(2026, None)) == 6
    with count_queries() as many:
        loop.effectiveness(2026, None)
    assert len(_reads(many)) == len(_reads(few)), (_reads(few), _reads(many))


# --- 4. the dashboard's pembinaan outcomes include the plans' reviews --------------------------------------


def test_dashboard_counts_improvement_plans_by_review_outcome(app, dev_world):
    ns = dev_world
    _reviewed_plan(ns, ReviewOutcome.IMPROVED)
    html = _hr(app, ns).get("/pengembangan/dasbor?tahun=2026").get_data(as_text=True)
    table = html.split('id="hasil-rencana"')[1].split("</table>")[0]
    assert "<td>1</td><td>0</td><td>0</td><td>0</td>" in table
    plan = db.session.scalar(select(ImprovementPlan))
    assert plan.status == PlanStatus.IMPROVED


# --- 5. the scheduled 20 JP reminder ----------------------------------------------------------------------


def _jp_month_now(ns, month: int | None = None) -> date:
    """A JP rule version whose reminder month is this month (or `month`), so the reminder is due today."""
    today = today_wib()
    referral_rules.save_rule(
        RuleKind.JP_KURANG,
        bentuk=ProgrammeBentuk.E_LEARNING,
        programme_id=None,
        params={"month": month or today.month},
        berlaku_mulai=date(today.year, 1, 1),
        active=True,
        note=None,
        actor=ns.u_hr,
    )
    db.session.commit()
    return today


def _reminders(user) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.kind == jp_ledger.REMINDER_KIND
        )
    )


def test_jp_reminder_waits_for_the_configured_month(app, dev_world):
    ns = dev_world
    today = _jp_month_now(ns, month=12)
    assert jp_ledger.send_due_jp_reminders(date(today.year, 11, 30)) == 0
    assert _reminders(ns.u_staff) == 0
    assert jp_ledger.send_due_jp_reminders(date(today.year, 12, 1)) >= 1


def test_jp_reminder_reaches_employees_below_20_jp_once_a_year(app, dev_world):
    ns = dev_world
    today = _jp_month_now(ns)
    jp_ledger.record_jp(ns.staff2, jp=20, title="Pelatihan mandiri", on_date=today, provider=None, actor=ns.u_hr)
    db.session.commit()
    assert jp_ledger.send_due_jp_reminders(today) >= 1
    db.session.commit()
    assert _reminders(ns.u_staff) == 1 and _reminders(ns.u_staff2) == 0
    assert jp_ledger.send_due_jp_reminders(today) == 0  # the next day's run sends nothing new
    generation.generate_suggestions(ns.period, today)  # nor does generating the JP suggestions
    db.session.commit()
    assert _reminders(ns.u_staff) == 1


def test_jp_reminder_command_and_daily_task(app, dev_world):
    ns = dev_world
    today = _jp_month_now(ns)
    out = app.test_cli_runner().invoke(args=["pengembangan", "pengingat-jp", "--tanggal", today.isoformat()])
    assert out.exit_code == 0 and "Pengingat 20 JP dikirim" in out.output
    assert _reminders(ns.u_staff) == 1
    huey = app.extensions["huey"]
    assert any(t.__name__ == "pengembangan_pengingat_jp" for t in huey._registry._periodic_tasks)


def test_jp_reminder_reads_do_not_grow_with_the_number_of_employees(
    app, dev_world, make_employee, make_user, count_queries
):
    ns = dev_world
    today = _jp_month_now(ns)
    with count_queries() as few:
        jp_ledger.send_due_jp_reminders(today)
    db.session.rollback()
    for i in range(5):
        make_user(f"tambahan{i}", {Role.PEGAWAI}, make_employee(f"Tambahan {i}"))
    db.session.commit()
    with count_queries() as many:
        assert jp_ledger.send_due_jp_reminders(today) >= 5
    assert len(_reads(many)) == len(_reads(few)), (_reads(few), _reads(many))
