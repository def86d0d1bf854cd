"""Automatic audit trail: every insert/update/delete of an `__audited__` model becomes an AuditLog row.

Hooked on the session's `before_flush`, so no service can forget it; the acting user comes from a
context variable that the request (or a job/CLI command) sets.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from .models.audit import AuditLog
from .models.base import utcnow

_actor: contextvars.ContextVar[tuple[int | None, str | None]] = contextvars.ContextVar(
    "audit_actor", default=(None, None)
)


def set_actor(user_id: int | None, ip: str | None = None) -> None:
    _actor.set((user_id, ip))


@contextmanager
def acting_as(user_id: int | None, ip: str | None = None):
    token = _actor.set((user_id, ip))
    try:
        yield
    finally:
        _actor.reset(token)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _columns(obj) -> list[str]:
    excluded = set(getattr(obj, "__audit_exclude__", ()))
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in excluded]


def _snapshot(obj) -> dict:
    return {k: _plain(getattr(obj, k)) for k in _columns(obj)}


def _stored_values(session: Session, obj, keys: list[str]) -> dict:
    """The row as the database holds it, for attributes that were expired (e.g. after a commit) when set:
    SQLAlchemy keeps no old value for those, and the audit must not record "before: None" by mistake."""
    mapper = inspect(obj).mapper
    cols = [mapper.columns[k] for k in keys]
    pk = mapper.primary_key[0]
    row = session.connection().execute(select(*cols).where(pk == inspect(obj).identity[0])).first()
    return dict(zip(keys, row, strict=True)) if row else {}


def _changes(obj, session: Session | None = None) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after, unknown = {}, {}, []
    for key in _columns(obj):
        if key == "version_id" or key == "updated_at":
            continue
        hist = state.attrs[key].history
        if hist.has_changes():
            if not hist.deleted and hist.added:
                unknown.append(key)
            old = _plain(hist.deleted[0]) if hist.deleted else None
            new = _plain(hist.added[0]) if hist.added else None
            before[key], after[key] = old, new
    # A many-to-one set through the relationship (`employee.position = p`) changes its foreign key only during
    # the flush, after this hook: read it from the relationship so moves between posts are never missed.
    excluded = set(getattr(obj, "__audit_exclude__", ()))
    for rel in state.mapper.relationships:
        if rel.direction.name != "MANYTOONE" or len(rel.local_columns) != 1:
            continue
        fk = state.mapper.get_property_by_column(next(iter(rel.local_columns))).key
        hist = state.attrs[rel.key].history
        if fk in excluded or fk in after or not hist.has_changes() or not hist.added:
            continue
        new_obj = hist.added[0]
        old_obj = hist.deleted[0] if hist.deleted else None
        new_id = inspect(new_obj).identity[0] if new_obj is not None and inspect(new_obj).identity else None
        old_id = inspect(old_obj).identity[0] if old_obj is not None and inspect(old_obj).identity else getattr(obj, fk)
        if new_obj is not None and new_id is None:
            new_id = "(baru)"
        if old_id != new_id:
            before[fk], after[fk] = old_id, new_id
    if unknown and session is not None and state.identity:
        stored = _stored_values(session, obj, unknown)
        for key in unknown:
            before[key] = _plain(stored.get(key))
    for key in list(after):
        if before[key] == after[key]:  # e.g. a value written over the same value: not a change worth a row
            del before[key], after[key]
    return before, after


def _label(obj) -> str:
    for attr in ("nip", "code", "username", "name", "title"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)[:200]
    return ""


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Record a named event (e.g. "reset_password") that is not a plain row change."""
    actor_id, ip = _actor.get()
    session.add(
        AuditLog(
            actor_id=actor_id,
            ip=ip,
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:300],
            before=before,
            after=after,
        )
    )


def _before_flush(session: Session, flush_context, instances) -> None:
    actor_id, ip = _actor.get()
    pending_new = []
    for obj in list(session.new):
        if getattr(obj, "__audited__", False):
            pending_new.append(obj)
    for obj in list(session.dirty):
        if getattr(obj, "__audited__", False) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj, session)
            if after:
                session.add(
                    AuditLog(
                        actor_id=actor_id,
                        ip=ip,
                        action="update",
                        entity=obj.__tablename__,
                        entity_id=obj.id,
                        summary=_label(obj),
                        before=before,
                        after=after,
                    )
                )
    if pending_new:
        session.info.setdefault("audit_new", []).extend(pending_new)


def _after_flush(session: Session, flush_context) -> None:
    # New rows get their primary key only during the flush, so their log rows are written after it
    # (in the same transaction: a rollback removes both).
    new = session.info.pop("audit_new", None)
    if not new:
        return
    actor_id, ip = _actor.get()
    rows = [
        {
            "actor_id": actor_id,
            "ip": ip,
            "action": "create",
            "entity": obj.__tablename__,
            "entity_id": obj.id,
            "summary": _label(obj),
            "before": None,
            "after": _snapshot(obj),
            "at": utcnow(),  # UTC like every other timestamp (SQLite stores no offset)
        }
        for obj in new
    ]
    session.execute(AuditLog.__table__.insert(), rows)


def _after_delete(mapper, connection, target) -> None:
    # A mapper event, not `session.deleted`: rows removed by cascade or as orphans (a role taken away,
    # a family member dropped) never appear in `session.deleted` but are deleted all the same.
    if not getattr(target, "__audited__", False):
        return
    actor_id, ip = _actor.get()
    connection.execute(
        AuditLog.__table__.insert(),
        {
            "actor_id": actor_id,
            "ip": ip,
            "action": "delete",
            "entity": target.__tablename__,
            "entity_id": target.id,
            "summary": _label(target),
            "before": _snapshot(target),
            "after": None,
            "at": utcnow(),
        },
    )


def init_app(app) -> None:
    from .extensions import db

    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(db.Model, "after_delete", _after_delete, propagate=True)
