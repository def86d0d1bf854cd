"""HR fixes the organisation data: posts, atasan links, acting appointments."""

from datetime import date, timedelta

from kinerja_web.extensions import db
from kinerja_web.models import AssignmentKind, PositionAssignment
from kinerja_web.services.org import appraisers
from kinerja_web.timeutil import today_wib


def test_hr_cannot_make_a_post_its_own_indirect_atasan(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(
        f"/organisasi/jabatan/{org_chart.p_head.id}",
        data={
            "name": org_chart.p_head.name,
            "kind": "jpt",
            "kelas_jabatan": 14,
            "is_leader": "y",
            "parent_id": org_chart.p_kasi.id,
        },
    )
    assert r.status_code == 422
    assert "siklus" in r.get_data(as_text=True)
    db.session.refresh(org_chart.p_head)
    assert org_chart.p_head.parent_id is None


def test_atasan_in_another_opd_needs_a_reason(app, org_chart, make_position):
    c = app.test_client(user=org_chart.u_hr)
    other_leader = make_position("Kepala Badan Lain", org_chart.other_opd, None, is_leader=True)
    form = {"name": "Pengolah Data", "kind": "pelaksana", "kelas_jabatan": 6, "parent_id": other_leader.id}
    r = c.post(f"/organisasi/jabatan/{org_chart.p_staff2.id}", data=form)
    assert r.status_code == 422
    assert "OPD lain" in r.get_data(as_text=True)
    r = c.post(f"/organisasi/jabatan/{org_chart.p_staff2.id}", data={**form, "cross_opd_reason": "Tim lintas OPD"})
    assert r.status_code == 303
    assert org_chart.p_staff2.parent_id == other_leader.id


def test_plt_takes_the_appraiser_role_only_within_its_range(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    today = today_wib()
    r = c.post(
        f"/organisasi/jabatan/{org_chart.p_kasi.id}/penugasan",
        data={
            "nip": org_chart.kabid.nip,
            "kind": "plh",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert r.status_code == 303
    assert appraisers.appraiser_of(org_chart.staff1, today).employee == org_chart.kabid
    assert appraisers.appraiser_of(org_chart.staff1, today).kind == AssignmentKind.PLH
    assert appraisers.appraiser_of(org_chart.staff1, today + timedelta(days=6)).employee == org_chart.kasi


def test_acting_appointment_without_end_date_is_refused(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(
        f"/organisasi/jabatan/{org_chart.p_kasi.id}/penugasan",
        data={"nip": org_chart.kabid.nip, "kind": "plt", "start_date": "2026-01-01"},
    )
    assert r.status_code == 422
    assert "wajib mempunyai tanggal berakhir" in r.get_data(as_text=True)
    assert db.session.query(PositionAssignment).filter_by(kind=AssignmentKind.PLT).count() == 0


def test_second_definitive_holder_is_refused_while_post_is_filled(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(
        f"/organisasi/jabatan/{org_chart.p_kasi.id}/penugasan",
        data={"nip": org_chart.staff2.nip, "kind": "definitif", "start_date": "2026-01-01"},
    )
    assert r.status_code == 422
    assert "masih diduduki" in r.get_data(as_text=True)


def test_ending_an_assignment_before_it_started_is_refused(app, org_chart):
    row = org_chart.kasi.assignments[0]
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(f"/organisasi/penugasan/{row.id}/akhiri", data={"end_date": "2019-01-01"}, follow_redirects=True)
    assert "tidak boleh sebelum" in r.get_data(as_text=True)
    assert row.end_date is None


def test_pegawai_cannot_edit_posts(app, org_chart):
    c = app.test_client(user=org_chart.u_staff)
    assert c.get(f"/organisasi/jabatan/{org_chart.p_kasi.id}").status_code == 403
    assert c.post(f"/organisasi/jabatan/{org_chart.p_kasi.id}/penugasan", data={}).status_code == 403
    assert c.post(f"/organisasi/unit/{org_chart.opd.id}/sub-unit-baru", data={}).status_code == 403


def test_unknown_post_is_404(app, org_chart):
    assert app.test_client(user=org_chart.u_hr).get("/organisasi/jabatan/999999").status_code == 404


def test_data_quality_items_link_to_a_working_fix_page(app, org_chart, make_position, make_employee):
    orphan = make_position("Jabatan Yatim", org_chart.opd, None)
    make_employee("Pegawai Yatim", orphan, birth_date=date(1988, 8, 8), tmt_cpns=date(2012, 3, 1))
    c = app.test_client(user=org_chart.u_hr)
    body = c.get("/organisasi/kualitas-data").get_data(as_text=True)
    assert "Pegawai Yatim" in body
    import re

    for link in set(re.findall(r'href="(/(?:organisasi/jabatan|pegawai)/[^"]+)"', body)):
        assert c.get(link).status_code == 200, link
