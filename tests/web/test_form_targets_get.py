"""Every form target of the org, employees, auth and admin pages answers GET: a reload of the address a boosted
POST left in the bar (e.g. after a failed save) leads to the page that holds the form, never to a 405 (that every
target answers: test_form_targets_answer_get.py)."""

from __future__ import annotations

import re

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import FamilyMember, FamilyRelation, Job, PositionAssignment, User

BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


@pytest.fixture
def targets(org_chart):
    ns = org_chart
    assignment = db.session.query(PositionAssignment).filter_by(position_id=ns.p_staff1.id).first()
    member = FamilyMember(employee_id=ns.staff1.id, relation=FamilyRelation.ANAK, name="Anak Uji")
    job = Job(kind="import_pegawai", title="Impor pegawai: x.csv", created_by_id=ns.u_hr.id)
    db.session.add_all([member, job])
    db.session.commit()
    return {
        f"/organisasi/jabatan/{ns.p_staff1.id}/penugasan": f"/organisasi/jabatan/{ns.p_staff1.id}",
        f"/organisasi/penugasan/{assignment.id}/akhiri": f"/organisasi/jabatan/{ns.p_staff1.id}",
        f"/pegawai/{ns.staff1.id}/keluarga/{member.id}/hapus": f"/pegawai/{ns.staff1.id}/keluarga",
        f"/pegawai/impor/pekerjaan/{job.id}/ulangi": f"/pegawai/impor/pekerjaan/{job.id}",
        "/pegawai/validasi": "/pegawai/baru",
        f"/pegawai/validasi?id={ns.staff1.id}": f"/pegawai/{ns.staff1.id}/ubah",
        f"/admin/pengguna/buat/{ns.other.id}": f"/pegawai/{ns.other.id}",
        f"/admin/pengguna/{ns.u_staff.id}/atur-ulang-sandi": f"/admin/pengguna/{ns.u_staff.id}",
        "/akun/keluar-semua": "/akun",
        "/keluar": "/",
    }


def test_a_get_on_a_form_target_leads_to_the_page_with_the_form(app, org_chart, targets):
    c = app.test_client(user=org_chart.u_hr)
    for url, page in targets.items():
        r = c.get(url)
        assert (r.status_code, r.headers.get("Location")) == (303, page), url
        assert c.get(page).status_code == 200, page


def test_reloading_after_a_failed_boosted_assignment_shows_the_post_again(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/organisasi/jabatan/{org_chart.p_staff1.id}/penugasan"
    r = c.post(url, data={"nip": "bukan nip", "kind": "plt", "start_date": "2026-11-01"}, headers=BOOSTED)
    assert r.status_code == 422
    again = c.get(url, follow_redirects=True)
    assert again.status_code == 200 and again.request.path == f"/organisasi/jabatan/{org_chart.p_staff1.id}"


def test_reloading_the_temporary_password_page_shows_the_account_and_resets_nothing(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/admin/pengguna/{org_chart.u_staff.id}/atur-ulang-sandi"
    temp = re.search(r'id="temp-password"[^>]*>([^<]+)<', c.post(url).get_data(as_text=True)).group(1)
    hashed = db.session.get(User, org_chart.u_staff.id).password_hash
    again = c.get(url, follow_redirects=True)
    assert again.status_code == 200 and temp not in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, org_chart.u_staff.id).password_hash == hashed


def test_a_get_on_a_form_target_is_no_way_around_the_page_rules(app, org_chart, targets):
    c = app.test_client(user=org_chart.u_staff)
    assignment_end = next(u for u in targets if "/akhiri" in u)
    assert c.get(assignment_end).status_code == 403
    assert app.test_client().get(assignment_end).status_code in (302, 303)  # to the sign-in page
