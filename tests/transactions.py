"""One outer transaction per test (or per module), rolled back afterwards: the app's commits become savepoints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kinerja_web.extensions import db


@contextmanager
def rolled_back() -> Iterator:
    """Inside an app context: the session joins one transaction that is rolled back at the end; yields the session.

    Flask-SQLAlchemy's Session.get_bind() ignores a session-level `bind`, so the test connection is put in
    place of the engine in `db.engines` (its documented way to join a transaction); otherwise a view's commit
    would really commit (on PostgreSQL, and on SQLite too) and leak rows into later tests.
    """
    engines = db.engines
    engine = engines[None]
    connection = engine.connect()
    trans = connection.begin()
    engines[None] = connection
    session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
    old_session = db.session
    db.session = session
    try:
        yield session
    finally:
        session.remove()
        db.session = old_session
        engines[None] = engine
        if trans.is_active:
            trans.rollback()
        connection.close()
