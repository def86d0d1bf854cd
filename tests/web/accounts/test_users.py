"""Account list for HR: search by username or name, page or fragment."""

from __future__ import annotations


def test_account_search_answers_htmx_with_the_table_only(app, org_chart):
    r = app.test_client(user=org_chart.u_hr).get("/admin/pengguna?q=pegawai1", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "pegawai1" in body and "admin1" not in body and "<html" not in body


def test_account_search_finds_an_employee_by_name(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get("/admin/pengguna?q=kasi uji").get_data(as_text=True)
    assert "atasan1" in body and "pegawai1" not in body


def test_account_list_shows_who_must_change_their_password(app, org_chart):
    org_chart.u_staff.must_change_password = True
    body = app.test_client(user=org_chart.u_hr).get("/admin/pengguna?q=pegawai1").get_data(as_text=True)
    assert "wajib ganti sandi" in body


def test_account_list_shows_deactivated_accounts(app, org_chart):
    org_chart.u_other.active = False
    body = app.test_client(user=org_chart.u_hr).get("/admin/pengguna?q=lain1").get_data(as_text=True)
    assert "nonaktif" in body
