"""HR on the LAN: password reset with a forced new password, roles, activation, accounts for employees."""

from __future__ import annotations

import re

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, Role

PASSWORD = "rahasia-uji-123"


# --- HR reset --------------------------------------------------------------------------------------


def _reset(app, actor, target):
    return app.test_client(user=actor).post(f"/admin/pengguna/{target.id}/atur-ulang-sandi")


def _temp_password(r) -> str:
    return re.search(r'id="temp-password"[^>]*>([^<]+)<', r.get_data(as_text=True)).group(1)


def test_hr_reset_shows_a_temporary_password_once(app, org_chart):
    r = _reset(app, org_chart.u_hr, org_chart.u_staff)
    assert r.status_code == 200
    temp = _temp_password(r)
    assert len(temp) >= 8
    assert org_chart.u_staff.check_password(temp)
    detail = app.test_client(user=org_chart.u_hr).get(f"/admin/pengguna/{org_chart.u_staff.id}")
    assert temp not in detail.get_data(as_text=True)


def test_temporary_password_forces_a_new_password_at_next_sign_in(app, client, org_chart):
    temp = _temp_password(_reset(app, org_chart.u_hr, org_chart.u_staff))
    r = client.post("/masuk", data={"username": "pegawai1", "password": temp})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/akun/kata-sandi-baru")


@pytest.mark.parametrize("path", ["/", "/pegawai/", "/akun", "/notifikasi/", "/organisasi/"])
def test_every_other_page_redirects_to_set_new_password_until_done(app, client, org_chart, path):
    temp = _temp_password(_reset(app, org_chart.u_hr, org_chart.u_staff))
    client.post("/masuk", data={"username": "pegawai1", "password": temp})
    r = client.get(path)
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/akun/kata-sandi-baru")


def test_setting_the_new_password_frees_the_account(app, client, org_chart):
    temp = _temp_password(_reset(app, org_chart.u_hr, org_chart.u_staff))
    client.post("/masuk", data={"username": "pegawai1", "password": temp})
    r = client.post("/akun/kata-sandi-baru", data={"new": "pilihan-saya-9", "confirm": "pilihan-saya-9"})
    assert r.status_code == 303
    assert client.get("/pegawai/").status_code == 200
    assert org_chart.u_staff.must_change_password is False


def test_new_password_after_reset_may_not_be_the_temporary_one(app, client, org_chart):
    temp = _temp_password(_reset(app, org_chart.u_hr, org_chart.u_staff))
    client.post("/masuk", data={"username": "pegawai1", "password": temp})
    r = client.post("/akun/kata-sandi-baru", data={"new": temp, "confirm": temp})
    assert r.status_code == 422


def test_reset_logs_out_the_sessions_of_the_account(app, org_chart):
    session = app.test_client(user=org_chart.u_staff)
    assert session.get("/").status_code == 200
    _reset(app, org_chart.u_hr, org_chart.u_staff)
    assert session.get("/").status_code == 302


def test_reset_unlocks_a_locked_account(app, org_chart):
    from datetime import UTC, datetime, timedelta

    org_chart.u_staff.locked_until = datetime.now(UTC) + timedelta(minutes=10)
    _reset(app, org_chart.u_hr, org_chart.u_staff)
    assert org_chart.u_staff.locked_until is None


def test_reset_writes_an_audit_row_naming_the_hr_officer(app, org_chart):
    _reset(app, org_chart.u_hr, org_chart.u_staff)
    row = db.session.query(AuditLog).filter_by(action="reset_password").one()
    assert row.actor_id == org_chart.u_hr.id
    assert row.entity_id == org_chart.u_staff.id
    assert "hr1" in row.summary


def test_reset_audit_rows_never_contain_the_password_or_its_hash(app, org_chart):
    temp = _temp_password(_reset(app, org_chart.u_hr, org_chart.u_staff))
    for row in db.session.query(AuditLog).all():
        text = repr((row.before, row.after, row.summary))
        assert temp not in text
        assert "scrypt" not in text and "password_hash" not in text


def test_hr_cannot_reset_an_administrator_password(app, org_chart):
    assert _reset(app, org_chart.u_hr, org_chart.u_admin).status_code == 403


def test_administrator_can_reset_another_administrator_password(app, org_chart, make_user):
    second = make_user("admin2", {Role.ADMINISTRATOR})
    assert _reset(app, org_chart.u_admin, second).status_code == 200


def test_nobody_resets_their_own_password_through_the_hr_page(app, org_chart):
    assert _reset(app, org_chart.u_hr, org_chart.u_hr).status_code == 403


@pytest.mark.parametrize("target", ["u_operator", "u_verifikator", "u_pejabat"])
def test_hr_cannot_reset_the_password_of_a_finance_account(app, org_chart, target):
    """HR may not take over a finance account: it could sign in with the temporary password and act as the
    verifikator or pejabat keuangan, around "only an administrator grants finance roles"."""
    account = getattr(org_chart, target)
    before = account.password_hash
    assert _reset(app, org_chart.u_hr, account).status_code == 403
    db.session.refresh(account)
    assert account.password_hash == before
    assert not db.session.query(AuditLog).filter_by(action="reset_password").count()


def test_hr_cannot_reset_an_employee_account_that_also_holds_a_finance_role(app, org_chart):
    org_chart.u_staff.set_roles({Role.PEGAWAI, Role.VERIFIKATOR_KEUANGAN})
    db.session.commit()
    assert _reset(app, org_chart.u_hr, org_chart.u_staff).status_code == 403


def test_hr_still_resets_another_hr_officer(app, org_chart, make_user):
    colleague = make_user("hr2", {Role.ADMIN_KEPEGAWAIAN})
    assert _reset(app, org_chart.u_hr, colleague).status_code == 200


@pytest.mark.parametrize("target", ["u_operator", "u_verifikator", "u_pejabat"])
def test_administrator_resets_the_password_of_a_finance_account(app, org_chart, target):
    r = _reset(app, org_chart.u_admin, getattr(org_chart, target))
    assert r.status_code == 200
    assert getattr(org_chart, target).check_password(_temp_password(r))


def test_reset_button_on_a_finance_account_is_replaced_by_an_explanation_for_hr(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get(f"/admin/pengguna/{org_chart.u_verifikator.id}").get_data(True)
    assert "Atur ulang kata sandi" not in body
    assert "hanya dapat diatur ulang oleh administrator" in body
    body = app.test_client(user=org_chart.u_admin).get(f"/admin/pengguna/{org_chart.u_verifikator.id}").get_data(True)
    assert "Atur ulang kata sandi" in body


def test_reset_notifies_the_account_owner_naming_who_reset_it(app, org_chart):
    from kinerja_web.models import Notification

    _reset(app, org_chart.u_admin, org_chart.u_pejabat)
    note = db.session.query(Notification).filter_by(user_id=org_chart.u_pejabat.id).one()
    assert note.kind == "reset_password"
    assert "diatur ulang oleh admin1" in note.message
    assert "hubungi administrator" in note.message
    row = db.session.query(AuditLog).filter_by(action="reset_password").one()
    assert (row.actor_id, row.entity_id) == (org_chart.u_admin.id, org_chart.u_pejabat.id)
    assert not db.session.query(Notification).filter_by(user_id=org_chart.u_admin.id).count()


def test_pegawai_cannot_reset_anybody(app, org_chart):
    assert _reset(app, org_chart.u_staff, org_chart.u_other).status_code == 403


def test_reset_of_a_missing_account_is_not_found_for_hr(app, org_chart):
    assert app.test_client(user=org_chart.u_hr).post("/admin/pengguna/999999/atur-ulang-sandi").status_code == 404


# --- roles --------------------------------------------------------------------------------------------


def _set_roles(app, actor, target, roles: list[str], active=True):
    data = {f"role_{r}": "1" for r in roles}
    if active:
        data["active"] = "1"
    return app.test_client(user=actor).post(f"/admin/pengguna/{target.id}", data=data)


@pytest.mark.parametrize("role", ["operator_keuangan", "verifikator_keuangan", "pejabat_keuangan", "administrator"])
def test_hr_cannot_grant_finance_or_administrator_roles(app, org_chart, role):
    _set_roles(app, org_chart.u_hr, org_chart.u_staff, ["pegawai", role])
    assert org_chart.u_staff.roles == {Role.PEGAWAI}


@pytest.mark.parametrize("role", ["operator_keuangan", "administrator"])
def test_administrator_grants_finance_and_administrator_roles(app, org_chart, role):
    assert _set_roles(app, org_chart.u_admin, org_chart.u_staff, ["pegawai", role]).status_code == 303
    assert Role(role) in org_chart.u_staff.roles


def test_hr_cannot_take_a_finance_role_away(app, org_chart):
    _set_roles(app, org_chart.u_hr, org_chart.u_operator, [])
    assert Role.OPERATOR_KEUANGAN in org_chart.u_operator.roles


def test_hr_grants_the_hr_role(app, org_chart):
    _set_roles(app, org_chart.u_hr, org_chart.u_staff, ["pegawai", "admin_kepegawaian"])
    assert Role.ADMIN_KEPEGAWAIAN in org_chart.u_staff.roles


def test_hr_cannot_deactivate_an_administrator(app, org_chart):
    r = _set_roles(app, org_chart.u_hr, org_chart.u_admin, ["administrator"], active=False)
    assert r.status_code == 403
    assert org_chart.u_admin.active is True


def test_hr_deactivates_a_pegawai_account(app, org_chart):
    assert _set_roles(app, org_chart.u_hr, org_chart.u_staff, ["pegawai"], active=False).status_code == 303
    assert org_chart.u_staff.active is False


def test_an_employee_account_always_keeps_the_pegawai_role(app, org_chart):
    _set_roles(app, org_chart.u_admin, org_chart.u_staff, [])
    assert org_chart.u_staff.roles == {Role.PEGAWAI}


def test_administrator_cannot_remove_their_own_administrator_role(app, org_chart):
    r = _set_roles(app, org_chart.u_admin, org_chart.u_admin, [])
    assert r.status_code == 422
    assert Role.ADMINISTRATOR in org_chart.u_admin.roles


def test_role_change_is_audited(app, org_chart):
    _set_roles(app, org_chart.u_admin, org_chart.u_staff, ["pegawai", "operator_keuangan"])
    rows = db.session.query(AuditLog).filter_by(entity="user_role", action="create").all()
    assert any(r.after.get("role") == "operator_keuangan" and r.actor_id == org_chart.u_admin.id for r in rows)


# --- accounts for employees ----------------------------------------------------------------------------


def test_hr_creates_an_account_whose_username_is_the_nip(app, client, org_chart):
    r = app.test_client(user=org_chart.u_hr).post(f"/admin/pengguna/buat/{org_chart.staff2.id}")
    assert r.status_code == 200
    temp = _temp_password(r)
    login = client.post("/masuk", data={"username": org_chart.staff2.nip, "password": temp})
    assert login.headers["Location"].endswith("/akun/kata-sandi-baru")


def test_second_account_for_the_same_employee_is_refused(app, org_chart):
    r = app.test_client(user=org_chart.u_hr).post(f"/admin/pengguna/buat/{org_chart.staff1.id}")
    assert r.status_code == 303


def test_profile_offers_hr_to_create_an_account_for_an_employee_without_one(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get(f"/pegawai/{org_chart.staff2.id}").get_data(as_text=True)
    assert f'action="/admin/pengguna/buat/{org_chart.staff2.id}"' in body


def test_profile_links_hr_to_the_existing_account(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get(f"/pegawai/{org_chart.staff1.id}").get_data(as_text=True)
    assert f'href="/admin/pengguna/{org_chart.u_staff.id}"' in body


def test_account_for_an_employee_whose_nip_is_taken_as_a_username_is_refused_politely(app, org_chart, make_user):
    make_user(org_chart.staff2.nip, {Role.PEGAWAI})
    r = app.test_client(user=org_chart.u_hr).post(f"/admin/pengguna/buat/{org_chart.staff2.id}", follow_redirects=True)
    assert r.status_code == 200
    assert "sudah dipakai akun lain" in r.get_data(as_text=True)


def test_role_removal_is_audited(app, org_chart):
    app.test_client(user=org_chart.u_admin).post(f"/admin/pengguna/{org_chart.u_operator.id}", data={"active": "1"})
    assert org_chart.u_operator.roles == frozenset()
    rows = db.session.query(AuditLog).filter_by(entity="user_role", action="delete").all()
    assert any(r.before.get("role") == "operator_keuangan" and r.actor_id == org_chart.u_admin.id for r in rows)


def test_htmx_request_during_a_forced_password_change_is_redirected_whole(app, org_chart):
    org_chart.u_staff.must_change_password = True
    r = app.test_client(user=org_chart.u_staff).get("/pegawai/?q=a", headers={"HX-Request": "true"})
    assert r.status_code == 204
    assert r.headers["HX-Redirect"] == "/akun/kata-sandi-baru"
