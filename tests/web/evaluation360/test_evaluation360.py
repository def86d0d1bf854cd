"""Penilaian 360 flows: cycles, suggested raters, nominations, rating form, deadline, reminders, results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kinerja_web.domain import berakhlak
from kinerja_web.extensions import db
from kinerja_web.models import (
    AssignmentStatus,
    AuditLog,
    CycleStatus,
    Evaluatee,
    EvaluationCycle,
    Notification,
    RaterAssignment,
    RaterGroup,
    Response,
    utcnow,
)
from kinerja_web.services.evaluation360 import cycles, reminders, results
from kinerja_web.timeutil import today_wib

CODES = berakhlak.value_codes()


def evaluatee_of(cycle, employee) -> Evaluatee:
    return db.session.scalars(
        select(Evaluatee).where(Evaluatee.cycle_id == cycle.id, Evaluatee.employee_id == employee.id)
    ).one()


def assignment(cycle, evaluatee_emp, rater) -> RaterAssignment:
    ev = evaluatee_of(cycle, evaluatee_emp)
    return db.session.scalars(
        select(RaterAssignment).where(RaterAssignment.evaluatee_id == ev.id, RaterAssignment.rater_id == rater.id)
    ).one()


def full_answers(score="4", comment=None) -> dict:
    data = {f"nilai_{c}": score for c in CODES}
    if comment:
        data[f"komentar_{CODES[0]}"] = comment
    return data


def submit_as(app, user, a, score="4", comment=None):
    return app.test_client(user=user).post(
        f"/penilaian-360/tugas/{a.id}", data={**full_answers(score, comment), "action": "kirim"}
    )


# --- cycles and suggestions -------------------------------------------------------------------------


def test_hr_creates_a_cycle_for_chosen_units(app, team360):
    c = app.test_client(user=team360.u_hr)
    today = today_wib()
    r = c.post(
        "/penilaian-360/siklus/baru",
        data={
            "name": "Penilaian 360 Tahunan",
            "year": today.year,
            "period_label": f"Tahunan {today.year}",
            "start_date": f"{today.year}-01-01",
            "end_date": f"{today.year}-12-31",
            "deadline": f"{today.year}-12-31",
            "unit_ids": [team360.opd.id],
            "use_atasan": "y",
            "use_rekan": "y",
            "use_diri": "y",
            "min_rekan": 3,
            "min_bawahan": 3,
            "threshold_rekan": 3,
            "threshold_bawahan": 3,
            "max_nominations": 2,
        },
    )
    assert r.status_code == 303
    cycle = db.session.scalars(select(EvaluationCycle)).one()
    assert cycle.units == [team360.opd] and cycle.use_bawahan is False and cycle.status == CycleStatus.DRAFT


def test_cycle_with_an_anonymity_threshold_below_three_is_refused(app, team360):
    c = app.test_client(user=team360.u_hr)
    r = c.post(
        "/penilaian-360/siklus/baru",
        data={
            "name": "X",
            "year": 2026,
            "period_label": "Tahunan 2026",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "deadline": "2026-12-31",
            "unit_ids": [team360.opd.id],
            "use_rekan": "y",
            "min_rekan": 3,
            "min_bawahan": 3,
            "threshold_rekan": 2,
            "threshold_bawahan": 3,
            "max_nominations": 2,
        },
    )
    assert r.status_code == 422
    assert "Minimal 3" in r.get_data(as_text=True)
    assert db.session.scalars(select(EvaluationCycle)).first() is None


def test_cycle_form_fragment_shows_the_errors_in_place(app, team360):
    """htmx posts the form and swaps the answer into #form: the fragment alone, with the messages."""
    r = app.test_client(user=team360.u_hr).post(
        "/penilaian-360/siklus/baru",
        data={"name": "", "year": 2026, "unit_ids": [team360.opd.id]},
        headers={"HX-Request": "true"},
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "<html" not in body and 'name="name"' in body and "Wajib diisi." in body


def test_units_are_picked_with_checkboxes_that_keep_the_choice_after_an_error(app, team360):
    """No Ctrl-click: each unit is a checkbox (plain form fields, usable without JavaScript)."""
    c = app.test_client(user=team360.u_hr)
    page = c.get("/penilaian-360/siklus/baru").get_data(as_text=True)
    assert "<select" not in page.split('id="field-unit_ids"')[1].split("</fieldset>")[0]
    assert f'type="checkbox" value="{team360.opd.id}"' in page.replace('name="unit_ids" ', "")
    assert "Ctrl" not in page
    r = c.post("/penilaian-360/siklus/baru", data={"name": "", "year": 2026, "unit_ids": [team360.opd.id]})
    assert r.status_code == 422
    (box,) = [
        t for t in r.get_data(as_text=True).split("<input") if f'value="{team360.opd.id}"' in t and "checkbox" in t
    ]
    assert "checked" in box


def test_the_cycle_page_names_the_rater_groups_by_their_labels(app, open360):
    page = app.test_client(user=open360.oc.u_hr).get(f"/penilaian-360/siklus/{open360.cycle.id}").get_data(as_text=True)
    groups = page.split("<dt>Kelompok penilai</dt>")[1].split("</dd>")[0]
    for group in RaterGroup:
        if open360.cycle.uses(group):
            assert f'<span class="tag">{group.label}</span>' in groups
    assert '<span class="tag">rekan</span>' not in groups and '<span class="tag">diri</span>' not in groups


def test_opening_suggests_self_atasan_peers_and_subordinates(app, open360):
    oc = open360.oc
    ev = evaluatee_of(open360.cycle, oc.staff1)
    got = {(a.rater_id, a.group) for a in ev.assignments}
    assert (oc.staff1.id, RaterGroup.DIRI) in got
    assert (oc.kasi.id, RaterGroup.ATASAN) in got
    assert {(p.id, RaterGroup.REKAN) for p in (oc.staff2, oc.staff3, oc.staff4)} <= got
    kasi = evaluatee_of(open360.cycle, oc.kasi)
    assert {a.rater_id for a in kasi.assignments if a.group == RaterGroup.BAWAHAN} == {
        oc.staff1.id,
        oc.staff2.id,
        oc.staff3.id,
        oc.staff4.id,
    }
    assert ev.appraiser_id == oc.kasi.id
    # employees of another OPD are not in the cycle
    assert db.session.scalar(select(Evaluatee.id).where(Evaluatee.employee_id == oc.other.id)) is None


# --- nominations, overrides and conflicts -----------------------------------------------------------


def test_employee_nominates_a_peer_and_the_atasan_approves(app, open360):
    oc = open360.oc
    ev = evaluatee_of(open360.cycle, oc.staff1)
    r = app.test_client(user=oc.u_staff).post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": oc.kabid.nip})
    # the kabid is in the same OPD: allowed as an extra peer, pending until the atasan approves
    assert r.status_code == 303
    a = assignment(open360.cycle, oc.staff1, oc.kabid)
    assert a.status == AssignmentStatus.PENDING
    r = app.test_client(user=oc.u_kasi).post(f"/penilaian-360/usulan/{a.id}/setujui")
    assert r.status_code == 303
    assert a.status == AssignmentStatus.APPROVED


@pytest.mark.parametrize(
    "back",
    ["/\t/evil.example", "/penilaian-360/persetujuan\r\nSet-Cookie: x=1", "//evil.example", "https://evil.example/"],
)
def test_a_decision_goes_back_to_a_page_of_this_site_only(app, open360, back):
    """The decision is committed before the redirect: a hostile `next` must neither fail it (500) nor leave the site."""
    oc = open360.oc
    ev = evaluatee_of(open360.cycle, oc.staff1)
    app.test_client(user=oc.u_staff).post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": oc.kabid.nip})
    a = assignment(open360.cycle, oc.staff1, oc.kabid)
    r = app.test_client(user=oc.u_kasi).post(f"/penilaian-360/usulan/{a.id}/setujui", data={"next": back})
    assert r.status_code == 303
    assert r.headers["Location"] in ("/penilaian-360/persetujuan", "http://kinerja.test/penilaian-360/persetujuan")
    assert a.status == AssignmentStatus.APPROVED


def test_nominating_oneself_is_refused(app, open360):
    oc = open360.oc
    ev = evaluatee_of(open360.cycle, oc.staff1)
    r = app.test_client(user=oc.u_staff).post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": oc.staff1.nip})
    assert r.status_code == 422
    assert "dirinya sendiri" in r.get_data(as_text=True)


def test_nominating_someone_outside_the_agency_is_refused(app, open360):
    oc = open360.oc
    ev = evaluatee_of(open360.cycle, oc.staff1)
    r = app.test_client(user=oc.u_staff).post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": oc.other.nip})
    assert r.status_code == 422
    assert "perangkat daerah yang sama" in r.get_data(as_text=True)


def test_nominating_an_inactive_employee_is_refused(app, open360, make_employee, make_position):
    oc = open360.oc
    gone = make_employee("Sudah Pensiun", make_position("Staf Lama", oc.opd, oc.p_kasi), active=False)
    ev = evaluatee_of(open360.cycle, oc.staff1)
    r = app.test_client(user=oc.u_staff).post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": gone.nip})
    assert r.status_code == 422 and "tidak aktif" in r.get_data(as_text=True)


def test_nominations_beyond_the_limit_are_refused(app, open360, make_employee, make_position):
    oc = open360.oc
    open360.cycle.max_nominations = 1
    db.session.commit()
    extra = make_employee("Staf Bidang Lain", make_position("Staf", oc.opd, oc.p_kabid))
    ev = evaluatee_of(open360.cycle, oc.staff1)
    c = app.test_client(user=oc.u_staff)
    assert c.post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": oc.kabid.nip}).status_code == 303
    r = c.post(f"/penilaian-360/peserta/{ev.id}/usulkan", data={"nip": extra.nip})
    assert r.status_code == 422 and "batas siklus" in r.get_data(as_text=True)


def test_hr_adds_and_removes_a_rater(app, open360, make_employee, make_position):
    oc = open360.oc
    extra = make_employee("Staf Bidang Lain", make_position("Staf", oc.opd, oc.p_kabid))
    ev = evaluatee_of(open360.cycle, oc.staff1)
    c = app.test_client(user=oc.u_hr)
    assert (
        c.post(f"/penilaian-360/peserta/{ev.id}/penilai", data={"nip": extra.nip, "group": "rekan"}).status_code == 303
    )
    a = assignment(open360.cycle, oc.staff1, extra)
    assert a.status == AssignmentStatus.APPROVED
    assert c.post(f"/penilaian-360/penugasan/{a.id}/hapus").status_code == 303
    assert db.session.get(RaterAssignment, a.id) is None


def test_hr_cannot_add_the_employee_as_their_own_peer(app, open360):
    oc = open360.oc
    ev = evaluatee_of(open360.cycle, oc.staff1)
    r = app.test_client(user=oc.u_hr).post(
        f"/penilaian-360/peserta/{ev.id}/penilai", data={"nip": oc.staff1.nip, "group": "rekan"}
    )
    assert r.status_code == 422


def test_rater_declines_with_a_reason(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    c = app.test_client(user=oc.u_staff2)
    assert c.post(f"/penilaian-360/tugas/{a.id}/tolak", data={"reason": "pendek"}).status_code == 422
    r = c.post(f"/penilaian-360/tugas/{a.id}/tolak", data={"reason": "Baru dua minggu satu tim, belum mengenal."})
    assert r.status_code == 303
    assert a.status == AssignmentStatus.DECLINED and a.decline_reason.startswith("Baru dua minggu")


# --- rating form --------------------------------------------------------------------------------------


def test_inbox_lists_what_the_rater_must_fill(app, open360):
    oc = open360.oc
    r = app.test_client(user=oc.u_staff2).get("/penilaian-360/")
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "Penilaian 360 yang harus Anda isi" in text
    assert "Staf Satu" in text and "Kasi Uji" in text  # a peer and the atasan


def test_form_shows_guides_and_anchored_scale(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    text = app.test_client(user=oc.u_staff2).get(f"/penilaian-360/tugas/{a.id}").get_data(as_text=True)
    assert "Memahami dan memenuhi kebutuhan masyarakat" in text
    assert "Sangat baik" in text and "Tidak dapat menilai" in text
    assert 'hx-post="/penilaian-360/tugas/' in text and 'value="simpan"' in text


def test_autosave_returns_the_saved_fragment(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}/simpan", data={f"nilai_{CODES[0]}": "5"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    assert 'id="saved-at"' in r.get_data(as_text=True) and "<html" not in r.get_data(as_text=True)
    assert a.responses[0].score == 5 and a.status == AssignmentStatus.APPROVED


def test_simpan_button_saves_a_draft_without_javascript(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}", data={f"nilai_{CODES[1]}": "tdm", "action": "simpan"}
    )
    assert r.status_code == 303
    assert [(x.value_code, x.score) for x in a.responses] == [(CODES[1], None)]


def test_submit_requires_every_value(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}", data={f"nilai_{CODES[0]}": "4", "action": "kirim"}
    )
    assert r.status_code == 422
    assert "Semua nilai harus diisi" in r.get_data(as_text=True)
    db.session.refresh(a)
    assert a.status == AssignmentStatus.APPROVED


def test_submit_with_all_values_finishes_the_assignment(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    assert submit_as(app, oc.u_staff2, a).status_code == 303
    assert a.status == AssignmentStatus.SUBMITTED and len(a.responses) == 7


def test_out_of_range_score_is_refused_with_a_message(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}", data={**full_answers(), f"nilai_{CODES[2]}": "6", "action": "kirim"}
    )
    assert r.status_code == 422
    assert "Nilai harus 1 sampai 5" in r.get_data(as_text=True)
    assert db.session.scalar(select(Response.id).where(Response.assignment_id == a.id)) is None


def test_out_of_range_score_on_autosave_is_422(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}/simpan", data={f"nilai_{CODES[0]}": "0"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422 and "Nilai harus 1 sampai 5" in r.get_data(as_text=True)


def test_submitting_after_the_deadline_is_refused_with_a_message(app, open360):
    oc = open360.oc
    open360.cycle.deadline = today_wib() - timedelta(days=1)
    db.session.commit()
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = submit_as(app, oc.u_staff2, a)
    assert r.status_code == 403
    assert "Batas waktu pengisian" in r.get_data(as_text=True)
    db.session.refresh(a)
    assert a.status == AssignmentStatus.APPROVED and not a.responses


def test_autosave_after_the_deadline_is_refused(app, open360):
    oc = open360.oc
    open360.cycle.deadline = today_wib() - timedelta(days=1)
    db.session.commit()
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}/simpan", data={f"nilai_{CODES[0]}": "4"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 403 and "telah lewat" in r.get_data(as_text=True)


def test_a_submitted_form_cannot_be_changed(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    submit_as(app, oc.u_staff2, a, "4")
    r = submit_as(app, oc.u_staff2, a, "1")
    assert r.status_code == 409
    assert {x.score for x in a.responses} == {4}


# --- reminders and to-dos -----------------------------------------------------------------------------


def test_reminders_go_to_raters_who_have_not_finished_once_a_day(app, open360):
    oc = open360.oc
    for a in db.session.scalars(select(RaterAssignment).where(RaterAssignment.rater_id == oc.staff2.id)):
        submit_as(app, oc.u_staff2, a)
    sent = reminders.send_reminders(open360.cycle, today_wib())
    notified = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == reminders.REMINDER_KIND)))
    assert oc.u_staff.id in notified and oc.u_kasi.id in notified
    assert oc.u_staff2.id not in notified
    assert sent == len(notified)
    assert reminders.send_reminders(open360.cycle, today_wib()) == 0


def test_reminder_cli_command(app, open360):
    result = app.test_cli_runner().invoke(args=["penilaian360", "pengingat"])
    assert result.exit_code == 0 and "Pengingat dikirim ke" in result.output


def test_todo_list_shows_pending_ratings(app, open360):
    from kinerja_web.todos import todos_for

    todos = todos_for(open360.oc.u_staff2)
    assert any("penilaian 360 menunggu Anda isi" in t.message for t in todos)


def test_periodic_reminder_task_is_registered(app):
    huey = app.extensions["huey"]
    assert any(t.__name__ == "penilaian360_pengingat" for t in huey._registry._periodic_tasks)


# --- results ------------------------------------------------------------------------------------------


def finish_team(app, open360, peer_score="3", self_score="5"):
    """Everyone rates staff1: self 5, atasan 4, three peers 3 (with comments)."""
    oc = open360.oc
    cycle = open360.cycle
    submit_as(app, oc.u_staff, assignment(cycle, oc.staff1, oc.staff1), self_score, "Saya selalu membantu")
    submit_as(app, oc.u_kasi, assignment(cycle, oc.staff1, oc.kasi), "4", "Tepat waktu")
    for user, emp, text in (
        (oc.u_staff2, oc.staff2, "Komentar rekan A"),
        (oc.u_staff3, oc.staff3, "Komentar rekan B"),
        (oc.u_staff4, oc.staff4, "Komentar rekan C"),
    ):
        submit_as(app, user, assignment(cycle, oc.staff1, emp), peer_score, text)
    cycles.close_cycle(cycle, utcnow())
    db.session.commit()


def test_results_show_group_averages_gap_and_blind_spots(app, open360):
    finish_team(app, open360)
    ev = evaluatee_of(open360.cycle, open360.oc.staff1)
    r = app.test_client(user=open360.oc.u_staff).get(f"/penilaian-360/peserta/{ev.id}/hasil")
    text = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Rekan kerja" in text and "3,00" in text and "3,25" in text  # peers 3; others (4+3+3+3)/4
    assert "titik buta" in text and "<svg" in text
    assert "Komentar rekan B" in text


def test_results_are_not_shown_while_the_cycle_is_open(app, open360):
    ev = evaluatee_of(open360.cycle, open360.oc.staff1)
    r = app.test_client(user=open360.oc.u_hr).get(f"/penilaian-360/peserta/{ev.id}/hasil")
    assert r.status_code == 200 and "setelah siklus ditutup" in r.get_data(as_text=True)
    assert "<svg" not in r.get_data(as_text=True)


def test_results_show_trend_against_the_previous_cycle(app, open360, make_cycle):
    finish_team(app, open360, peer_score="3")
    oc = open360.oc
    year = today_wib().year
    later = make_cycle(
        [oc.opd],
        name="Siklus Berikutnya",
        start_date=open360.cycle.end_date + timedelta(days=1),
        end_date=open360.cycle.end_date + timedelta(days=90),
        deadline=open360.cycle.end_date + timedelta(days=90),
    )
    cycles.open_cycle(later, today_wib(), utcnow())
    db.session.commit()
    submit_as(app, oc.u_kasi, assignment(later, oc.staff1, oc.kasi), "5")
    cycles.close_cycle(later, utcnow())
    db.session.commit()
    ev = evaluatee_of(later, oc.staff1)
    res = results.results_for(ev)
    assert res.previous.cycle_id == open360.cycle.id
    assert str(res.trend[CODES[0]]) == "1.75"  # 5.00 now vs 3.25 before
    assert year  # same calendar year is fine: ordering is by dates


def test_sheets_of_a_province_sized_cycle_are_read_in_parts(app, open360, monkeypatch):
    """Referral suggestions read the sheets of every evaluatee of a cycle: 100,000 ids must not go as one IN
    list (PostgreSQL takes at most 65,535 bound parameters); parts give the same sheets."""
    finish_team(app, open360)
    ev = evaluatee_of(open360.cycle, open360.oc.staff1)
    whole = results.sheets_for([ev.id])
    assert len(whole[ev.id]) == 5
    many = results.sheets_for([*range(10**6, 10**6 + 70_000), ev.id])
    monkeypatch.setattr(results, "SHEETS_CHUNK", 1)
    parts = results.sheets_for([10**6, ev.id, 10**6 + 1])
    assert whole == many == parts


def test_perilaku_summary_gives_plain_data_for_the_final_rating(app, open360):
    ev = evaluatee_of(open360.cycle, open360.oc.staff1)
    assert results.perilaku_summary_for(ev) is None  # not before the cycle closes
    finish_team(app, open360)
    summary = results.perilaku_summary_for(ev)
    assert summary.rater_count == 4 and len(summary.rows) == 7
    row = summary.rows[0]
    assert row.name == "Berorientasi Pelayanan" and str(row.others_mean) == "3.25" and row.self_score == 5
    assert row.blind_spot
    assert "pejabat penilai" in summary.note


def test_submission_audit_records_counts_but_never_answers(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{a.id}",
        data={**full_answers("2", "Kalimat rahasia"), "komentar_umum": "Umum rahasia", "action": "kirim"},
    )
    rows = db.session.scalars(select(AuditLog).where(AuditLog.entity.in_(["rater_assignment", "response_360"]))).all()
    dumped = repr([(r.action, r.summary, r.before, r.after) for r in rows])
    assert "submit_360" in dumped
    assert "rahasia" not in dumped and "'score'" not in dumped
    assert not any(r.entity == "response_360" for r in rows)


def test_saving_after_the_cycle_is_closed_is_refused_with_a_message(app, open360):
    oc = open360.oc
    cycles.close_cycle(open360.cycle, utcnow())
    db.session.commit()
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = submit_as(app, oc.u_staff2, a)
    assert r.status_code == 403 and "sudah ditutup" in r.get_data(as_text=True)


def test_autosave_without_htmx_redirects_back_to_the_form(app, open360):
    oc = open360.oc
    a = assignment(open360.cycle, oc.staff1, oc.staff2)
    r = app.test_client(user=oc.u_staff2).post(f"/penilaian-360/tugas/{a.id}/simpan", data={"nilai_loyal": "3"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/penilaian-360/tugas/{a.id}")


def test_progress_page_answers_page_fragment_and_boosted_page(app, open360):
    c = app.test_client(user=open360.oc.u_hr)
    url = f"/penilaian-360/siklus/{open360.cycle.id}"
    plain = c.get(url)
    fragment = c.get(url, headers={"HX-Request": "true"})
    boosted = c.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in plain.get_data(as_text=True) and "<html" in boosted.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "penilaian selesai" in body
    assert "HX-Request" in fragment.headers["Vary"]
