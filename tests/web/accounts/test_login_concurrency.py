"""Wrong passwords sent in parallel: every attempt is counted and the account is locked exactly once.

Each attempt is a real POST /masuk from its own thread (its own app context, session and connection), on a
SQLite file database (pysqlite's default transaction mode, as in production) and on PostgreSQL
(TEST_DATABASE_URL). The failure counter used to be read in Python and written back: 30 parallel attempts lost
most of their increments and locked the account several times.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, func, select

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, User
from tests.conftest import TEST_DATABASE_URL, _hash_of, make_test_app

THREADS = 30
MAX_FAILURES = 5


def hammer(app) -> dict:
    with app.app_context():
        user = User(username="serbu", session_token="tok", password_hash=_hash_of("rahasia-uji-123"))
        db.session.add(user)
        db.session.commit()
        uid = user.id
        db.session.remove()
    barrier = threading.Barrier(THREADS)

    def attempt(i: int) -> int:
        client = app.test_client()
        barrier.wait(timeout=60)
        return client.post("/masuk", data={"username": "serbu", "password": f"salah-{i}"}).status_code

    try:
        with ThreadPoolExecutor(THREADS) as pool:  # one worker per attempt: all wait at the barrier together
            statuses = list(pool.map(attempt, range(THREADS)))
    finally:
        row, lockouts = _forget(app, uid)
    return {
        "statuses": statuses,
        "failed_logins": row.failed_logins,
        "locked": row.locked_until is not None,
        "lockouts": lockouts,
    }


def _forget(app, uid: int):
    """Read the outcome, then remove the account and its audit rows (they were really committed)."""
    with app.app_context():
        row = db.session.execute(select(User.failed_logins, User.locked_until).where(User.id == uid)).one()
        lockouts = db.session.scalar(
            select(func.count(AuditLog.id)).where(AuditLog.action == "lockout", AuditLog.entity_id == uid)
        )
        db.session.execute(delete(AuditLog).where(AuditLog.entity == "user_account", AuditLog.entity_id == uid))
        db.session.execute(delete(User).where(User.id == uid))
        db.session.commit()
        db.session.remove()
    return row, lockouts


def _expected() -> dict:
    return {"statuses": [422] * THREADS, "failed_logins": THREADS, "locked": True, "lockouts": 1}


@pytest.mark.skipif(not TEST_DATABASE_URL.startswith("postgresql"), reason="needs TEST_DATABASE_URL on PostgreSQL")
def test_parallel_wrong_passwords_are_all_counted_and_lock_once_on_postgresql(_app):
    app = make_test_app(
        LOGIN_MAX_FAILURES=MAX_FAILURES, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS, "pool_pre_ping": True}
    )
    try:
        assert hammer(app) == _expected()
    finally:
        with app.app_context():
            db.engine.dispose()


def test_parallel_wrong_passwords_are_all_counted_and_lock_once_on_sqlite(tmp_path):
    app = make_test_app(
        LOGIN_MAX_FAILURES=MAX_FAILURES,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'login.sqlite3'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS},
    )
    with app.app_context():
        db.create_all()
    try:
        assert hammer(app) == _expected()
    finally:
        with app.app_context():
            db.engine.dispose()
