"""Change password (the HR reset lives in tests/web/accounts/test_accounts.py)."""

from __future__ import annotations

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog

PASSWORD = "rahasia-uji-123"


def _change(client, current=PASSWORD, new="kata-sandi-baru-1", confirm=None):
    return client.post("/akun", data={"current": current, "new": new, "confirm": confirm or new})


def _errors_of(r) -> str:
    return r.get_data(as_text=True)


def test_change_password_with_a_wrong_current_password_is_refused(app, org_chart):
    r = _change(app.test_client(user=org_chart.u_staff), current="bukan-ini")
    assert r.status_code == 422
    assert "Kata sandi saat ini salah." in _errors_of(r)


def test_new_password_shorter_than_eight_characters_is_refused(app, org_chart):
    r = _change(app.test_client(user=org_chart.u_staff), new="pendek")
    assert r.status_code == 422
    assert "Kata sandi minimal 8 karakter." in _errors_of(r)


def test_new_password_and_its_repetition_must_match(app, org_chart):
    r = _change(app.test_client(user=org_chart.u_staff), new="kata-sandi-baru-1", confirm="kata-sandi-baru-2")
    assert r.status_code == 422
    assert "Kedua kata sandi baru tidak sama." in _errors_of(r)


def test_new_password_may_not_be_the_nip(app, org_chart):
    r = _change(app.test_client(user=org_chart.u_staff), new=org_chart.staff1.nip)
    assert r.status_code == 422
    assert "Kata sandi tidak boleh sama dengan NIP." in _errors_of(r)


def test_new_password_may_not_be_the_old_one(app, org_chart):
    r = _change(app.test_client(user=org_chart.u_staff), new=PASSWORD)
    assert r.status_code == 422
    assert "harus berbeda" in _errors_of(r)


def test_changed_password_works_and_the_old_one_does_not(app, client, org_chart):
    r = _change(app.test_client(user=org_chart.u_staff))
    assert r.status_code == 303
    assert client.post("/masuk", data={"username": "pegawai1", "password": PASSWORD}).status_code == 422
    assert client.post("/masuk", data={"username": "pegawai1", "password": "kata-sandi-baru-1"}).status_code == 303


def test_changing_the_password_logs_out_other_sessions_but_keeps_this_one(app, org_chart):
    here = app.test_client(user=org_chart.u_staff)
    elsewhere = app.test_client(user=org_chart.u_staff)
    assert elsewhere.get("/").status_code == 200
    assert _change(here).status_code == 303
    assert here.get("/akun").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_password_change_is_audited_without_the_hash(app, org_chart):
    _change(app.test_client(user=org_chart.u_staff))
    row = db.session.query(AuditLog).filter_by(action="change_password").one()
    assert row.actor_id == org_chart.u_staff.id
    assert "scrypt" not in repr((row.before, row.after, row.summary))
