"""A failed save changes no other field: sign-in and account forms re-rendered after a refusal."""

from __future__ import annotations

from kinerja_web.models import Role

from ..helpers import assert_form_kept, form_values


def test_a_refused_sign_in_keeps_the_user_name_but_never_echoes_the_password(app, org_chart):
    r = app.test_client().post("/masuk", data={"username": "pegawai1", "password": "salah-sekali"})
    assert r.status_code in (200, 401, 422)
    assert_form_kept(r.get_data(as_text=True), "/masuk", {"username": "pegawai1"})
    assert form_values(r.get_data(as_text=True), "/masuk").get("password", "") == ""


def test_a_refused_account_change_keeps_the_roles_that_were_ticked(app, org_chart):
    """An administrator may not drop their own administrator role: the page comes back with what was ticked."""
    c = app.test_client(user=org_chart.u_admin)
    url = f"/admin/pengguna/{org_chart.u_admin.id}"
    sent = {f"role_{Role.ADMIN_KEPEGAWAIAN.value}": "1", f"role_{Role.VERIFIKATOR_KEUANGAN.value}": "1"}
    r = c.post(url, data=sent)
    assert r.status_code == 422 and "administrator dari akun Anda sendiri" in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)
    assert f"role_{Role.ADMINISTRATOR.value}" not in form_values(r.get_data(as_text=True), url)
