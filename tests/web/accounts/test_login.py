"""Sign-in by NIP or username, one message for every wrong combination, lockout and deactivation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, Role
from kinerja_web.services.accounts import authentication as accounts

PASSWORD = "rahasia-uji-123"
WRONG = (
    "NIP/nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara karena terlalu banyak percobaan "
    "gagal. Coba lagi nanti atau minta admin kepegawaian (akun keuangan: administrator) mengatur ulang kata sandi."
)


def _login(client, username, password=PASSWORD, next_url=None):
    url = "/masuk" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite gives naive UTC


def _spaced(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def test_pegawai_signs_in_with_the_nip_typed_with_spaces(client, org_chart):
    r = _login(client, _spaced(org_chart.staff1.nip))
    assert r.status_code == 303
    assert client.get("/").status_code == 200


def test_service_account_signs_in_with_its_username_in_any_case(client, org_chart):
    assert _login(client, "ADMIN1").status_code == 303


def test_wrong_password_and_unknown_user_get_the_same_message(client, org_chart):
    wrong_password = _login(client, "pegawai1", "salah-sekali")
    unknown_user = _login(client, "tidak-ada", "salah-sekali")
    assert wrong_password.status_code == unknown_user.status_code == 422
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in unknown_user.get_data(as_text=True)


def test_empty_login_form_is_answered_with_field_messages(client):
    r = client.post("/masuk", data={})
    assert r.status_code == 422
    assert "NIP atau nama pengguna wajib diisi." in r.get_data(as_text=True)


def test_account_locks_after_the_configured_number_of_failures(app, client, org_chart):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(client, "pegawai1", "salah-sekali")
    r = _login(client, "pegawai1")  # even the right password is refused while locked
    assert r.status_code == 422
    assert WRONG in r.get_data(as_text=True)
    assert org_chart.u_staff.locked_until is not None
    assert client.get("/").status_code == 302


def test_a_locked_account_is_refused_with_the_message_of_an_unknown_one(app, client, org_chart):
    """Nothing tells a visitor that an account exists: not the lock, not the minutes left."""
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(client, "pegawai1", "salah-sekali")
    answers = [
        _login(client, "pegawai1"),  # locked, right password
        _login(client, _spaced(org_chart.staff1.nip), "salah-lagi"),  # locked, wrong password, by NIP
        _login(client, "199001012015031999", "salah-lagi"),  # a NIP nobody has
        _login(client, "atasan1", "salah-lagi"),  # exists, not locked, wrong password
    ]
    errors = [re.findall(r'class="flash flash-error" role="alert">(.*?)</div></div>', r.text, re.S) for r in answers]
    assert all(r.status_code == 422 for r in answers)
    assert all(e == errors[0] for e in errors) and WRONG in errors[0][0]
    assert "menit" not in answers[0].get_data(as_text=True)


def test_every_failed_attempt_counts_also_while_locked(app, client, org_chart):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit + 3):
        _login(client, "pegawai1", "salah-sekali")
    assert org_chart.u_staff.failed_logins == limit + 3
    assert db.session.query(AuditLog).filter_by(action="lockout", entity_id=org_chart.u_staff.id).count() == 1


def test_failures_below_the_limit_do_not_lock(app, client, org_chart):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _login(client, "pegawai1", "salah-sekali")
    assert _login(client, "pegawai1").status_code == 303


def test_lockout_is_written_to_the_audit_log(app, client, org_chart):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(client, "pegawai1", "salah-sekali")
    rows = db.session.query(AuditLog).filter_by(action="lockout", entity_id=org_chart.u_staff.id).all()
    assert len(rows) == 1


def test_locked_account_opens_again_after_the_lock_time(app, org_chart):
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    limits = {"max_failures": 3, "lock_minutes": 15}
    for _ in range(3):
        with pytest.raises(accounts.DomainError):
            accounts.authenticate("pegawai1", "salah", now=now, **limits)
    with pytest.raises(accounts.DomainError, match=re.escape(WRONG)):
        accounts.authenticate("pegawai1", PASSWORD, now=now + timedelta(minutes=14), **limits)
    user = accounts.authenticate("pegawai1", PASSWORD, now=now + timedelta(minutes=16), **limits)
    assert user.id == org_chart.u_staff.id
    assert user.failed_logins == 0 and user.locked_until is None


def test_after_the_lock_time_the_count_starts_again(app, org_chart):
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    limits = {"max_failures": 3, "lock_minutes": 15}
    for minute in (0, 0, 0, 5, 16, 17):  # locked at the third; the fourth counts; the fifth finds the lock over
        with pytest.raises(accounts.DomainError):
            accounts.authenticate("pegawai1", "salah", now=now + timedelta(minutes=minute), **limits)
    assert org_chart.u_staff.failed_logins == 2
    assert org_chart.u_staff.locked_until is None
    with pytest.raises(accounts.DomainError):
        accounts.authenticate("pegawai1", "salah", now=now + timedelta(minutes=18), **limits)
    assert _utc(org_chart.u_staff.locked_until) == now + timedelta(minutes=18 + 15)
    assert db.session.query(AuditLog).filter_by(action="lockout", entity_id=org_chart.u_staff.id).count() == 2


def test_lock_for_a_lowered_limit_comes_with_the_next_failure(app, org_chart):
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    org_chart.u_staff.failed_logins = 7  # counted under a higher LOGIN_MAX_FAILURES
    db.session.flush()
    with pytest.raises(accounts.DomainError):
        accounts.authenticate("pegawai1", "salah", now=now, max_failures=5, lock_minutes=15)
    assert _utc(org_chart.u_staff.locked_until) == now + timedelta(minutes=15)


def test_deactivated_account_cannot_sign_in(client, org_chart):
    org_chart.u_staff.active = False
    db.session.flush()
    r = _login(client, "pegawai1")
    assert r.status_code == 422
    assert "dinonaktifkan" in r.get_data(as_text=True)


def test_deactivating_an_account_ends_its_open_sessions(app, org_chart):
    client = app.test_client(user=org_chart.u_staff)
    assert client.get("/").status_code == 200
    org_chart.u_staff.active = False
    db.session.flush()
    r = client.get("/")
    assert r.status_code == 302 and "/masuk" in r.headers["Location"]


def test_sign_in_goes_to_the_page_asked_for(client, org_chart):
    r = _login(client, "pegawai1", next_url="/pegawai/")
    assert r.headers["Location"].endswith("/pegawai/")


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/%09/evil.example"],
)
def test_sign_in_refuses_to_redirect_to_another_site(client, org_chart, target):
    r = _login(client, "pegawai1", next_url=target)
    assert r.status_code == 303
    assert r.headers["Location"] in ("/", "http://kinerja.test/")


def test_anonymous_visitor_is_sent_to_the_login_page_with_next(client):
    r = client.get("/pegawai/")
    assert r.status_code == 302
    assert re.search(r"/masuk\?next=%2Fpegawai%2F$", r.headers["Location"])


def test_signed_in_user_visiting_login_goes_to_the_dashboard(app, org_chart):
    r = app.test_client(user=org_chart.u_staff).get("/masuk")
    assert r.status_code == 302


def test_logout_ends_the_session(client, org_chart):
    _login(client, "pegawai1")
    assert client.post("/keluar").status_code == 303
    assert client.get("/").status_code == 302


def test_successful_sign_in_records_the_time(client, org_chart):
    _login(client, "pegawai1")
    assert org_chart.u_staff.last_login_at is not None


def test_hr_role_user_signs_in_by_username(client, make_user):
    make_user("kepeg", {Role.ADMIN_KEPEGAWAIAN})
    assert _login(client, "kepeg").status_code == 303


def test_anonymous_htmx_request_is_told_to_load_the_login_page_whole(client):
    r = client.get("/pegawai/?q=budi", headers={"HX-Request": "true"})
    assert r.status_code == 401
    assert r.headers["HX-Redirect"].startswith("/masuk?next=")
    assert r.get_data() == b""


def test_anonymous_visitor_is_asked_to_sign_in_in_indonesian(client):
    body = client.get("/pegawai/", follow_redirects=True).get_data(as_text=True)
    assert "Silakan masuk terlebih dahulu." in body


def test_unknown_user_costs_a_password_check_too(app, org_chart, monkeypatch):
    calls = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    with pytest.raises(accounts.DomainError, match="salah"):
        accounts.authenticate("tidak-ada", "apa-saja", max_failures=5, lock_minutes=15)
    assert len(calls) == 1


def test_passwords_are_hashed_with_scrypt_outside_the_tests(monkeypatch):
    import werkzeug.security

    import kinerja_web.models.user as user_module
    from kinerja_web.models import User

    monkeypatch.setattr(user_module, "generate_password_hash", werkzeug.security.generate_password_hash)
    user = User(username="x")
    user.set_password("kata-sandi-kuat-1")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("kata-sandi-kuat-1") and not user.check_password("lain")
