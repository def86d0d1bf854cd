"""Side effects after commit (STYLE.md §2.17): e-mail and job hand-offs wait in an outbox on the session.

A service that wants something to leave the process (an e-mail, a job handed to huey) calls `record(effect)`
during the request; nothing happens yet. The effect is released only when the session's transaction commits, and
dropped when it rolls back, so a rolled-back approval sends no mail and starts no job, and nobody talks to SMTP
or the queue while a transaction holds its locks.

How the session events are used (SQLAlchemy 2.x):
- `after_commit` fires for the outermost transaction and also for a `begin_nested()` savepoint's release. Only
  the outermost commit releases: the pending effects move to a "ready" list. The session cannot emit SQL inside
  `after_commit`, and a job run inline (HUEY_IMMEDIATE) uses the same session, so nothing runs there yet.
- `after_transaction_end` of the outermost transaction (the last thing `Session.commit()` does) runs the ready
  effects. An effect that commits (an inline job) releases its own effects through the same loop.
- `after_soft_rollback` fires for every rollback, savepoints included: it drops the effects recorded inside the
  transaction that rolled back (and inside its savepoints). A transaction that ends without a commit (a session
  closed at the end of a request that never committed) drops what is left.
In the tests every test runs inside an outer connection-level transaction and the session joins it with
`join_transaction_mode="create_savepoint"`: the session's outermost transaction is then a savepoint of that
connection, and a view's `commit()` (a RELEASE) is still the session's outermost commit, so effects are released
exactly as in production.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

Effect = Callable[[], object]

_PENDING = "kinerja_outbox"  # [(transaction it was recorded in, effect)]
_READY = "kinerja_outbox_ready"
_RUNNING = "kinerja_outbox_running"


def record(effect: Effect, session: Session | None = None) -> None:
    """Run `effect` after the current transaction commits; forget it if the transaction rolls back."""
    session = session if session is not None else db.session()
    if not session.in_transaction():
        session.begin()
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((transaction, effect))


def pending(session: Session | None = None) -> int:
    """How many effects wait for a commit (for tests and assertions)."""
    session = session if session is not None else db.session()
    return len(session.info.get(_PENDING, ()))


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint released: its effects now belong to the enclosing transaction
    items = session.info.pop(_PENDING, None)
    if items:
        session.info.setdefault(_READY, []).extend(effect for _, effect in items)


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    items = session.info.get(_PENDING)
    if items:
        items[:] = [(t, effect) for t, effect in items if not _within(t, previous_transaction)]


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    session.info.pop(_PENDING, None)  # ended without a commit (e.g. a closed session): never released
    ready = session.info.get(_READY)
    if not ready or session.info.get(_RUNNING):
        return  # an effect that commits: the loop below picks up what its commit made ready
    session.info[_RUNNING] = True
    try:
        while ready:
            ready.pop(0)()
    finally:
        session.info[_RUNNING] = False


def init_app(app) -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
