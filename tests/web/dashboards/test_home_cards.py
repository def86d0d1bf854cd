"""Beranda answers "where am I this year?": per role, cards that link to where the work is done."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

import pytest
from flask import url_for as flask_url_for

from kinerja_web.domain.pembinaan import PlanStatus
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.jinja import rupiah, tanggal
from kinerja_web.models import (
    CheckIn,
    ImprovementPlan,
    PayrollLine,
    PayrollPredikat,
    PayrollRunEmployee,
    Role,
)
from kinerja_web.services.development import jp
from kinerja_web.services.payroll import compute, rules, runs
from kinerja_web.timeutil import today_wib

from ..pembinaan_fixtures import final_rating
from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def _home(app, user) -> str:
    r = app.test_client(user=user).get("/")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _card(body: str, card_id: str) -> str:
    """The card's HTML, up to the next card or the end of its section."""
    start = body.index(f'id="{card_id}"')
    ends = [i for i in (body.find('class="card"', start), body.find("</section>", start)) if i != -1]
    return body[start : min(ends)]


def url_for(endpoint: str, **values) -> str:
    return flask_url_for(endpoint, _external=False, **values)


# --- pegawai -------------------------------------------------------------------------------------------------


def test_pegawai_without_skp_is_told_to_draft_one(app, org_chart, period):
    card = _card(_home(app, org_chart.u_staff), "kartu-skp")
    assert "Belum ada SKP 2026" in card and url_for("skp.index") in card


def test_pegawai_sees_skp_status_and_this_quarters_realisasi_deadline(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, appraiser=org_chart.kasi)
    card = _card(_home(app, org_chart.u_staff), "kartu-skp")
    assert "Disetujui" in card and url_for("skp.show", skp_id=skp.id) in card
    window = next(w for w in period.windows if w.start <= today_wib() <= w.end)
    assert f"Realisasi {window.label}" in card and tanggal(window.end) in card


def test_pegawai_sees_the_latest_final_predikat_and_why(app, org_chart, period):
    final_rating(org_chart.staff1, period, Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Predikat.BAIK)
    card = _card(_home(app, org_chart.u_staff), "kartu-predikat")
    assert "Baik" in card and "Tahunan 2026" in card
    why = url_for("rating.rate", period_id=period.id, employee_id=org_chart.staff1.id)
    assert why in card
    assert app.test_client(user=org_chart.u_staff).get(why).status_code == 200


def test_pegawai_sees_jp_progress_of_twenty(app, org_chart):
    jp.record_jp(org_chart.staff1, jp=6, title="Seminar", on_date=today_wib(), provider=None, actor=None)
    db.session.commit()
    card = _card(_home(app, org_chart.u_staff), "kartu-jp")
    assert "6 <small>dari 20 JP" in card and 'value="30"' in card


def test_pegawai_sees_open_360_forms(app, open360):
    from kinerja_web.services.evaluation360.assignments import inbox_items

    waiting = [a for a in inbox_items(open360.oc.staff1.id) if a.status.value == "approved"]
    assert waiting
    card = _card(_home(app, open360.oc.u_staff), "kartu-360")
    assert f'<div class="num">{len(waiting)}</div>' in card
    assert url_for("evaluation360.inbox") in card


def test_pegawai_sees_the_next_coaching_meeting(app, org_chart, period):
    rating = final_rating(org_chart.staff1, period)
    today = today_wib()
    plan = ImprovementPlan(
        employee_id=org_chart.staff1.id,
        rating_id=rating.id,
        coach_id=org_chart.kasi.id,
        goal="Laporan tepat waktu",
        start_date=today - timedelta(days=20),
        review_date=today + timedelta(days=160),
        status=PlanStatus.RUNNING,
    )
    plan.check_ins = [CheckIn(scheduled_on=today + timedelta(days=3))]
    db.session.add(plan)
    db.session.commit()
    card = _card(_home(app, org_chart.u_staff), "kartu-pembinaan")
    assert tanggal(today + timedelta(days=3), with_day=True) in card
    assert url_for("pembinaan.show", plan_id=plan.id) in card


def test_no_coaching_card_without_a_plan(app, org_chart):
    assert "kartu-pembinaan" not in _home(app, org_chart.u_staff)


def _computed_run(ns, month: date, low=None):
    """A computed run of the month: everyone Baik except `low` (Sangat Kurang: less TPP)."""
    for e in (ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other):
        e.ptkp_status = "K/1"
        predikat = "sangat_kurang" if e is low else "baik"
        db.session.add(PayrollPredikat(employee_id=e.id, month=month, predikat=predikat, source="uji"))
    db.session.commit()
    run = runs.create_run(month, None, ns.u_operator)
    compute.compute_run(run, ns.u_operator)
    return run


def _final_run(ns, month: date, low=None):
    run = _computed_run(ns, month, low)
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(run, step, who)
    db.session.commit()
    return run


def test_pegawai_sees_last_months_pay_and_tpp_with_the_change_and_why(app, org_chart):
    rules.seed_rules()
    ns = org_chart
    _final_run(ns, date(2026, 9, 1))
    october = _final_run(ns, date(2026, 10, 1), low=ns.staff1)  # a lower predikat in October: less TPP
    nets = {
        r.run_id: r.netto
        for r in db.session.query(PayrollRunEmployee).filter(PayrollRunEmployee.employee_id == ns.staff1.id)
    }
    sep_net, oct_net = (nets[k] for k in sorted(nets))
    assert oct_net < sep_net
    tpp = {
        run_id: sum(amount for _, amount in rows)
        for run_id, rows in groupby(
            db.session.query(PayrollLine.run_id, PayrollLine.amount)
            .filter(
                PayrollLine.employee_id == ns.staff1.id,
                PayrollLine.bagian == "tpp",
                PayrollLine.kind == "penghasilan",
            )
            .order_by(PayrollLine.run_id),
            key=lambda r: r[0],
        )
    }
    sep_tpp, oct_tpp = (tpp[k] for k in sorted(tpp))
    assert 0 < oct_tpp < sep_tpp
    card = _card(_home(app, ns.u_staff), "kartu-gaji")
    assert "Oktober 2026" in card and rupiah(oct_net) in card
    assert f"TPP: <strong>{rupiah(oct_tpp)}</strong>" in card and rupiah(oct_tpp - sep_tpp) in card
    assert rupiah(oct_net - sep_net) in card and "September 2026" in card
    why = url_for("payroll.slip", run_id=october.id, employee_id=ns.staff1.id)
    assert why in card
    assert app.test_client(user=ns.u_staff).get(why).status_code == 200


def test_pegawai_without_pay_is_told_so(app, org_chart):
    assert "Belum ada gaji final" in _card(_home(app, org_chart.u_staff), "kartu-gaji")


# --- atasan -------------------------------------------------------------------------------------------------


@pytest.fixture
def big_team(org_chart, make_position, make_employee, period):
    """Eight direct reports under the kasi, with SKP in several states."""
    oc = org_chart
    for i in range(6):
        pos = make_position(f"Pelaksana {i}", oc.opd, oc.p_kasi)
        make_employee(f"Anggota {i}", pos)
    make_skp(oc.staff1, period, status=SkpStatus.APPROVED, appraiser=oc.kasi)
    make_skp(oc.staff2, period, status=SkpStatus.SUBMITTED, appraiser=oc.kasi)
    return oc


def test_atasan_with_a_big_team_gets_a_see_all_link(app, big_team):
    card = _card(_home(app, big_team.u_kasi), "kartu-tim")
    assert '<div class="num">8</div>' in card
    assert card.count("<li>") == 5
    assert "Lihat semua 8 bawahan" in card and url_for("rating.index") in card


def test_atasan_with_a_small_team_sees_everyone_and_no_see_all_link(app, org_chart):
    card = _card(_home(app, org_chart.u_kasi), "kartu-tim")
    assert card.count("<li>") == 2 and "Lihat semua" not in card


def test_atasan_sees_the_teams_skp_states_and_what_waits_for_them(app, big_team):
    body = _home(app, big_team.u_kasi)
    skp = _card(body, "kartu-skp-tim")
    assert "Belum ada SKP: <strong>6</strong>" in skp
    assert "Disetujui: <strong>1</strong>" in skp and "Diajukan: <strong>1</strong>" in skp
    assert "1 SKP menunggu persetujuan Anda" in skp and url_for("skp.inbox") in skp
    ratings = _card(body, "kartu-penilaian-tim")
    assert '<div class="num">1</div>' in ratings  # the approved SKP can be rated


def test_atasan_sees_the_teams_360_progress(app, open360):
    card = _card(_home(app, open360.oc.u_kasi), "kartu-360-tim")
    assert "0 dari" in card and "untuk 4 anggota tim" in card


def test_the_teams_360_progress_counts_open_cycles_only(app, open360):
    from kinerja_web.services.dashboards import evaluation

    oc = open360.oc
    team = [oc.staff1.id, oc.staff2.id, oc.staff3.id, oc.staff4.id]
    progress = evaluation.progress_of_employees(team)
    assert progress.evaluatees == 4 and progress.expected > 0 and progress.done == 0
    evaluatees = [e for e in open360.cycle.evaluatees if e.employee_id in team]
    assert progress.expected == sum(1 for e in evaluatees for a in e.assignments if a.status in evaluation.COUNTED)
    assert evaluation.progress_of_employees([]).evaluatees == 0
    open360.cycle.status = open360.cycle.status.CLOSED
    db.session.flush()
    assert evaluation.progress_of_employees(team).evaluatees == 0


def _statements(app, user, count_queries) -> int:
    client = app.test_client(user=user)
    client.get("/")
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    return len(statements)


def test_the_home_page_costs_the_same_for_a_team_of_two_and_of_twelve(
    app, org_chart, make_position, make_employee, period, count_queries
):
    """Every card runs a fixed number of statements: adding ten team members with SKP adds none."""
    make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, appraiser=org_chart.kasi)
    make_skp(org_chart.staff2, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    small = _statements(app, org_chart.u_kasi, count_queries)
    for i in range(10):
        emp = make_employee(f"Anggota {i}", make_position(f"Pelaksana {i}", org_chart.opd, org_chart.p_kasi))
        make_skp(emp, period, status=SkpStatus.SUBMITTED if i % 2 else SkpStatus.APPROVED, appraiser=org_chart.kasi)
    assert "Lihat semua 12 bawahan" in _home(app, org_chart.u_kasi)
    assert _statements(app, org_chart.u_kasi, count_queries) == small


# --- HR and finance -----------------------------------------------------------------------------------------


def test_hr_sees_cycle_progress_per_opd_and_the_data_quality_count(app, org_chart, period):
    from kinerja_web.services.org.data_quality import data_quality_issues

    make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, appraiser=org_chart.kasi)
    body = _home(app, org_chart.u_hr)
    table = body[body.index('id="kemajuan-opd"') : body.index("</table>", body.index('id="kemajuan-opd"'))]
    row = table[table.index("Dinas Uji") :].split("</tr>")[0]
    assert '<td class="num">5</td>' in row and '<td class="num">1</td>' in row and "20%" in row
    quality = _card(body, "kartu-kualitas-data")
    assert f'<div class="num">{len(data_quality_issues(today_wib()))}</div>' in quality
    assert url_for("org.data_quality") in quality


def test_pegawai_sees_no_cycle_progress(app, org_chart, period):
    assert "kemajuan-opd" not in _home(app, org_chart.u_staff)


def test_finance_sees_the_current_run_and_what_it_waits_for(app, org_chart):
    rules.seed_rules()
    run = _computed_run(org_chart, date(2026, 11, 1))
    db.session.commit()
    card = _card(_home(app, org_chart.u_verifikator), "kartu-run")
    assert "Dihitung" in card and "Menunggu verifikasi oleh Verifikator Keuangan" in card
    assert url_for("payroll.show", run_id=run.id) in card
    # the operator who computed it is told why they cannot take the next step
    mine = _card(_home(app, org_chart.u_operator), "kartu-run")
    assert "verifikasi harus oleh orang lain" in mine


def test_finance_without_a_run(app, org_chart):
    assert "Belum ada proses penggajian" in _card(_home(app, org_chart.u_pejabat), "kartu-run")


def test_hr_sees_no_payroll_run_card(app, org_chart, make_user):
    assert "kartu-run" not in _home(app, make_user("hr9", {Role.ADMIN_KEPEGAWAIAN}))
