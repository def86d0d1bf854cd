"""Who may see and do what in penilaian 360, and proof that no screen tells who said what (issue #5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import Evaluatee, RaterAssignment, Role, utcnow
from kinerja_web.services.evaluation360 import cycles
from tests.web.evaluation360.test_evaluation360 import assignment, evaluatee_of, full_answers, submit_as

SECRET = "Jawaban-rahasia-{}"


@pytest.fixture
def world(app, open360, make_user):
    """Everybody rated staff1 with a traceable comment; staff2 also rated the kasi (draft only)."""
    oc = open360.oc
    cycle = open360.cycle
    oc.u_admin_hr = make_user("admin2", {Role.ADMINISTRATOR})
    raters = [
        (oc.u_staff, oc.staff1),
        (oc.u_kasi, oc.kasi),
        (oc.u_staff2, oc.staff2),
        (oc.u_staff3, oc.staff3),
        (oc.u_staff4, oc.staff4),
    ]
    for n, (user, emp) in enumerate(raters):
        a = assignment(cycle, oc.staff1, emp)
        submit_as(app, user, a, str(1 + n % 5), SECRET.format(emp.name.replace(" ", "")))
    open360.peer_assignment = assignment(cycle, oc.staff1, oc.staff2)
    open360.draft = assignment(cycle, oc.kasi, oc.staff2)
    app.test_client(user=oc.u_staff2).post(
        f"/penilaian-360/tugas/{open360.draft.id}", data={**full_answers("2", "Draf-rahasia"), "action": "simpan"}
    )
    open360.ev = evaluatee_of(cycle, oc.staff1)
    return open360


def close(world):
    cycles.close_cycle(world.cycle, utcnow())
    db.session.commit()


ROLES = ("staff", "kasi", "staff2", "other", "hr", "admin_hr", "operator")


def user_of(world, role):
    return getattr(world.oc, f"u_{role}")


def url_for_case(world, name):
    return {
        "inbox": ("GET", "/penilaian-360/"),
        "mine": ("GET", "/penilaian-360/saya"),
        "approvals": ("GET", "/penilaian-360/persetujuan"),
        "form": ("GET", f"/penilaian-360/tugas/{world.draft.id}"),
        "autosave": ("POST", f"/penilaian-360/tugas/{world.draft.id}/simpan"),
        "decline": ("GET", f"/penilaian-360/tugas/{world.draft.id}/tolak"),
        "results": ("GET", f"/penilaian-360/peserta/{world.ev.id}/hasil"),
        "nominate": ("POST", f"/penilaian-360/peserta/{world.ev.id}/usulkan"),
        "cycles": ("GET", "/penilaian-360/siklus"),
        "cycle": ("GET", f"/penilaian-360/siklus/{world.cycle.id}"),
        "new_cycle": ("GET", "/penilaian-360/siklus/baru"),
        "raters": ("GET", f"/penilaian-360/peserta/{world.ev.id}/penilai"),
        "remind": ("POST", f"/penilaian-360/siklus/{world.cycle.id}/pengingat"),
    }[name]


# expected status per route for: staff (the evaluatee), kasi (appraiser), staff2 (rater of the draft),
# other (unrelated, other OPD), hr, admin_hr (administrator), operator (finance)
MATRIX = {
    "inbox": (200, 200, 200, 200, 200, 200, 200),
    "mine": (200, 200, 200, 200, 404, 404, 404),
    "approvals": (200, 200, 200, 200, 200, 200, 200),
    "form": (404, 404, 200, 404, 404, 404, 404),
    "autosave": (404, 404, 303, 404, 404, 404, 404),
    "decline": (404, 404, 200, 404, 404, 404, 404),
    "results": (200, 200, 404, 404, 200, 200, 404),
    "nominate": (303, 403, 404, 404, 403, 403, 404),
    "cycles": (403, 403, 403, 403, 200, 200, 403),
    "cycle": (403, 403, 403, 403, 200, 200, 403),
    "new_cycle": (403, 403, 403, 403, 200, 200, 403),
    "raters": (403, 403, 403, 403, 200, 200, 403),
    "remind": (403, 403, 403, 403, 303, 303, 403),
}


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_authorization_matrix(app, world, route):
    close_after = route == "results"
    method, url = url_for_case(world, route)
    data = {"nip": world.oc.kabid.nip} if route == "nominate" else {f"nilai_{'akuntabel'}": "3"}
    got = []
    for role in ROLES:
        if close_after and world.cycle.status.value == "open":
            close(world)
        c = app.test_client(user=user_of(world, role))
        r = c.get(url) if method == "GET" else c.post(url, data=data)
        got.append(r.status_code)
        if route == "nominate" and r.status_code == 303:
            db.session.delete(assignment(world.cycle, world.oc.staff1, world.oc.kabid))
            db.session.commit()
    assert tuple(got) == MATRIX[route]


@pytest.mark.parametrize("route", ["inbox", "cycles", "results", "form"])
def test_anonymous_visitors_are_sent_to_login(app, world, route):
    _, url = url_for_case(world, route)
    r = app.test_client().get(url)
    assert r.status_code == 302 and "/masuk" in r.headers["Location"]


def test_editing_another_raters_answers_by_changing_the_id_is_404(app, world):
    oc = world.oc
    # staff3 tries to overwrite staff2's draft about the kasi
    c = app.test_client(user=oc.u_staff3)
    r = c.post(f"/penilaian-360/tugas/{world.draft.id}", data={**full_answers("5"), "action": "kirim"})
    assert r.status_code == 404
    r = c.post(f"/penilaian-360/tugas/{world.draft.id}/simpan", data=full_answers("5"))
    assert r.status_code == 404
    assert {x.score for x in world.draft.responses} == {2}


def test_rating_someone_not_assigned_is_refused(app, world, make_employee, make_position):
    oc = world.oc
    # the other-OPD employee is not a rater of anybody in this cycle: every assignment id is a 404 for them
    ids = db.session.scalars(select(RaterAssignment.id)).all()
    c = app.test_client(user=oc.u_other)
    assert {c.post(f"/penilaian-360/tugas/{i}", data=full_answers()).status_code for i in ids} == {404}


def test_hr_cannot_open_a_rating_form(app, world):
    r = app.test_client(user=world.oc.u_hr).get(f"/penilaian-360/tugas/{world.peer_assignment.id}")
    assert r.status_code == 404


def test_employee_cannot_read_answers_about_themself(app, world):
    oc = world.oc
    c = app.test_client(user=oc.u_staff)
    assert c.get(f"/penilaian-360/tugas/{world.peer_assignment.id}").status_code == 404
    close(world)
    text = c.get(f"/penilaian-360/peserta/{world.ev.id}/hasil").get_data(as_text=True)
    # comments appear without names, and no rater's name appears anywhere on the results page
    assert SECRET.format("StafDua") in text
    for name in ("Staf Dua", "Staf Tiga", "Staf Empat", "Kasi Uji"):
        assert name not in text


@pytest.mark.parametrize("role", ["staff", "kasi", "hr", "admin_hr"])
def test_results_page_never_names_a_rater_for_any_viewer(app, world, role):
    close(world)
    viewer = user_of(world, role)
    text = app.test_client(user=viewer).get(f"/penilaian-360/peserta/{world.ev.id}/hasil").get_data(as_text=True)
    names = {"Staf Dua", "Staf Tiga", "Staf Empat", "Kasi Uji"} - {viewer.display_name}
    assert not [n for n in names if n in text]


def test_two_peers_are_merged_or_hidden_on_the_results_page(app, open360):
    oc = open360.oc
    cycle = open360.cycle
    submit_as(app, oc.u_staff2, assignment(cycle, oc.staff1, oc.staff2), "1", "Rekan-satu-rahasia")
    submit_as(app, oc.u_staff3, assignment(cycle, oc.staff1, oc.staff3), "2", "Rekan-dua-rahasia")
    close(open360)
    ev = evaluatee_of(cycle, oc.staff1)
    text = app.test_client(user=oc.u_staff).get(f"/penilaian-360/peserta/{ev.id}/hasil").get_data(as_text=True)
    assert "tidak ditampilkan karena penilainya kurang dari ambang" in text
    assert "Rekan-satu-rahasia" not in text and "Rekan-dua-rahasia" not in text
    assert "1,50" not in text  # the two peers' average is not shown anywhere


def test_results_are_hidden_from_everyone_while_the_cycle_is_open(app, world):
    for role in ("staff", "kasi", "hr"):
        text = (
            app.test_client(user=user_of(world, role))
            .get(f"/penilaian-360/peserta/{world.ev.id}/hasil")
            .get_data(as_text=True)
        )
        assert "Jawaban-rahasia" not in text and "<svg" not in text


@pytest.mark.parametrize("fragment", [False, True])
def test_hr_progress_shows_completion_only(app, world, fragment):
    headers = {"HX-Request": "true"} if fragment else {}
    r = app.test_client(user=world.oc.u_hr).get(f"/penilaian-360/siklus/{world.cycle.id}", headers=headers)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and ("<html" in text) is (not fragment)
    assert "Jawaban-rahasia" not in text and "Draf-rahasia" not in text
    assert "Staf Satu" in text and "5 / " in text


def test_hr_rater_page_shows_status_but_no_answers(app, world):
    text = (
        app.test_client(user=world.oc.u_hr).get(f"/penilaian-360/peserta/{world.ev.id}/penilai").get_data(as_text=True)
    )
    assert "Selesai" in text and "Jawaban-rahasia" not in text


def test_employee_own_page_does_not_say_who_finished_or_declined(app, world):
    text = app.test_client(user=world.oc.u_staff).get("/penilaian-360/saya").get_data(as_text=True)
    assert "Staf Dua" in text  # the employee may know who was asked
    assert "Selesai" not in text and "Menolak menilai" not in text and "Jawaban-rahasia" not in text


def test_audit_page_does_not_leak_answers(app, world):
    close(world)
    for role in ("hr", "admin_hr"):
        c = app.test_client(user=user_of(world, role))
        text = c.get("/admin/audit?entitas=rater_assignment").get_data(as_text=True)
        text += c.get("/admin/audit").get_data(as_text=True)
        assert "Jawaban-rahasia" not in text and "Draf-rahasia" not in text
        assert "response_360" not in text
        assert "submit_360" in text


def test_autosave_fragment_only_says_when_it_was_saved(app, world):
    r = app.test_client(user=world.oc.u_staff2).post(
        f"/penilaian-360/tugas/{world.draft.id}/simpan", data={"nilai_akuntabel": "3"}, headers={"HX-Request": "true"}
    )
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and text.strip().startswith('<small id="saved-at"') and "Tersimpan" in text


def test_reminder_notifications_carry_no_answers(app, world):
    from kinerja_web.models import Notification
    from kinerja_web.services.evaluation360.reminders import send_reminders
    from kinerja_web.timeutil import today_wib

    send_reminders(world.cycle, today_wib())
    msgs = db.session.scalars(select(Notification.message)).all()
    assert msgs and not any("rahasia" in m for m in msgs)


def test_results_page_query_count_does_not_grow_with_raters(app, team360, count_queries, make_user):
    from benchmarks.evaluation360 import build_unit

    small = build_unit(4, code="KECIL", nip_base=100)
    large = build_unit(40, code="BESAR", nip_base=500)
    db.session.commit()
    hr = team360.u_hr

    def second_evaluatee(cycle):
        return db.session.scalars(
            select(Evaluatee).where(Evaluatee.cycle_id == cycle.id).order_by(Evaluatee.id).offset(1)
        ).first()

    counts = []
    for cycle in (small, large):
        ev = second_evaluatee(cycle)
        c = app.test_client(user=hr)
        c.get(f"/penilaian-360/peserta/{ev.id}/hasil")
        with count_queries() as q:
            assert c.get(f"/penilaian-360/peserta/{ev.id}/hasil").status_code == 200
        counts.append((len(ev.assignments), len(q)))
    assert counts[0][0] < counts[1][0]  # 4 vs 8 raters
    assert counts[0][1] == counts[1][1]


def test_hr_progress_query_count_does_not_grow_with_the_unit(app, team360, count_queries):
    from benchmarks.evaluation360 import build_unit

    small = build_unit(3, code="KECIL", nip_base=100)
    large = build_unit(60, code="BESAR", nip_base=500)
    db.session.commit()
    c = app.test_client(user=team360.u_hr)
    counts = []
    for cycle in (small, large):
        c.get(f"/penilaian-360/siklus/{cycle.id}")
        with count_queries() as q:
            assert c.get(f"/penilaian-360/siklus/{cycle.id}").status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]
