"""Sign-in with lockout, password change and the HR password reset."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, func, select, update
from werkzeug.security import check_password_hash

from ... import audit
from ...domain import DomainError
from ...domain.nip import normalize
from ...extensions import db
from ...models import Employee, User, utcnow
from ...timeutil import now_wib
from ..notifications.notify import notify


def find_user(username: str) -> User | None:
    """Employees sign in with their NIP (spaces allowed); service accounts with their username."""
    key = username.strip()
    user = db.session.scalars(select(User).where(func.lower(User.username) == key.lower())).first()
    if user is None and any(ch.isdigit() for ch in key):
        user = db.session.scalars(
            select(User).join(Employee, Employee.id == User.employee_id).where(Employee.nip == normalize(key))
        ).first()
    return user


# A fixed scrypt hash of a throw-away password, checked for unknown usernames so that an unknown NIP
# takes as long to refuse as a wrong password.
_UNKNOWN_USER_HASH = (
    "scrypt:32768:8:1$ZuHRWdeXeyFpddX9$9a90c9673e3ab792c22b4ac60e535ed37e59aeffd60f50d54e195c649edf0b0a"
    "b0dad8b573f2d562517da52e334dbeca79960b7acd3b262e0c634993036cdede"
)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:  # SQLite returns naive datetimes
        return dt.replace(tzinfo=UTC)
    return dt


# One answer for every refused sign-in: an unknown NIP, a wrong password and a locked account (even with the right
# password) look alike, so a visitor cannot learn which NIPs have an account or which accounts are locked.
REFUSED = (
    "NIP/nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara karena terlalu banyak percobaan "
    "gagal. Coba lagi nanti atau minta admin kepegawaian (akun keuangan: administrator) mengatur ulang kata sandi."
)


def authenticate(
    username: str, password: str, *, max_failures: int, lock_minutes: int, now: datetime | None = None
) -> User:
    """Return the user or raise DomainError. Repeated failures lock the account for a while.

    Every refusal costs one password check and gets the same message (`REFUSED`), so NIPs cannot be probed.
    """
    now = now or utcnow()
    user = find_user(username)
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)  # same cost as a real check: no timing probe
        raise DomainError(REFUSED)
    locked_until = _aware(user.locked_until)
    locked = locked_until is not None and locked_until > now
    if not user.check_password(password) or locked:  # checked while locked too: same time as any refusal
        _count_failure(user, now=now, max_failures=max_failures, lock_minutes=lock_minutes)
        raise DomainError(REFUSED)
    if not user.active:
        raise DomainError("Akun ini dinonaktifkan. Hubungi admin kepegawaian.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if not user.session_token:
        user.session_token = secrets.token_hex(16)
    return user


def sign_in(username: str, password: str, *, max_failures: int, lock_minutes: int) -> tuple[User | None, str | None]:
    """`authenticate` for the sign-in page: the user, or why not. A refusal is an answer here, not an error: the
    failed attempt and a lockout stay in the session and are committed with the request."""
    try:
        return authenticate(username, password, max_failures=max_failures, lock_minutes=lock_minutes), None
    except DomainError as e:
        return None, e.message


def _count_failure(user: User, *, now: datetime, max_failures: int, lock_minutes: int) -> None:
    """Count a refused sign-in in the database itself and lock the account when the count reaches the limit.

    The increment is one UPDATE ... RETURNING: parallel attempts queue on the row (PostgreSQL) or on the write
    lock (SQLite) until the transaction that counted first has committed, so none is lost and exactly one attempt
    sees the count reach the limit with no lock in force; that one locks and writes the audit row. A lock that
    has run out is cleared by the same statement and the count starts again. Attempts while locked are counted
    too (they are failures) but do not lengthen the lock.
    """
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    count, locked_until = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_logins=case((expired, 1), else_=User.failed_logins + 1),
            locked_until=case((expired, None), else_=User.locked_until),
        )
        .returning(User.failed_logins, User.locked_until)
        .execution_options(synchronize_session=False)
    ).one()
    if count >= max_failures and locked_until is None:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(locked_until=now + timedelta(minutes=lock_minutes))
            .execution_options(synchronize_session=False)
        )
        audit.record(db.session, "lockout", "user_account", user.id, f"Akun {user.username} dikunci")
    db.session.expire(user, ["failed_logins", "locked_until"])  # written above, bypassing the ORM


def end_sessions(user: User) -> None:
    """A new server-side session token: every cookie holding the old one (this browser's, a copy of it, another
    device's) is refused by the user loader from the next request on. Used at sign-out, at a password change and
    at the HR reset."""
    user.session_token = secrets.token_hex(16)


def sign_out_everywhere(user: User) -> None:
    """The user's "Keluar dari semua perangkat": every session of the account ends, this one included."""
    end_sessions(user)
    audit.record(db.session, "logout_all", "user_account", user.id, f"{user.username} keluar dari semua perangkat")


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError("Kata sandi saat ini salah.", field="current")
    set_new_password(user, new)


def set_new_password(user: User, new: str) -> None:
    if user.check_password(new):
        raise DomainError("Kata sandi baru harus berbeda dari kata sandi lama.", field="new")
    if user.employee and new.replace(" ", "") == user.employee.nip:
        raise DomainError("Kata sandi tidak boleh sama dengan NIP.", field="new")
    user.set_password(new)
    user.must_change_password = False
    end_sessions(user)  # the view signs this browser in again with the new token
    audit.record(db.session, "change_password", "user_account", user.id, f"Kata sandi {user.username} diganti")


def reset_password(target: User, actor: User) -> str:
    """HR sets a temporary password on the LAN; the user must choose a new one at next sign-in.

    The national system offers no local reset, the top complaint of staff (issue #2); the temporary
    password is shown once to the HR officer, never stored in clear. Who may reset whose password is
    `access.can_reset_password`; the owner is notified (in-app and by e-mail) so a reset they did not ask
    for does not go unnoticed.
    """
    temp = "-".join(secrets.token_hex(2) for _ in range(3))
    target.set_password(temp)
    target.must_change_password = True
    target.failed_logins = 0
    target.locked_until = None
    end_sessions(target)
    audit.record(
        db.session,
        "reset_password",
        "user_account",
        target.id,
        f"Kata sandi {target.username} diatur ulang oleh {actor.username}",
    )
    notify(
        target,
        "reset_password",
        f"Kata sandi akun Anda ({target.username}) diatur ulang oleh {actor.username} pada "
        f"{now_wib():%d-%m-%Y %H:%M} WIB. Jika Anda tidak memintanya, segera hubungi administrator.",
    )
    return temp
