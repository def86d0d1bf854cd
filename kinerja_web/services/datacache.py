"""Per-process cache for expensive read-only aggregates (data-quality queue, head counts), valid across workers.

Each gunicorn worker keeps its own dictionary; entries are keyed by `data_version()`, one cheap statement
(primary-key maxima only, O(log n)) that changes whenever people or organisation data change: those models
are `__audited__`, so every ORM write appends an AuditLog row, and new rows raise the tables' max ids.
A write that bypasses the ORM (manual SQL) is picked up at the latest after `DATA_CACHE_SECONDS` (600 s:
recomputing the data-quality queue costs ~0.7 s of CPU at 7,500 employees, per worker).
Set `DATA_CACHE = False` to always recompute (the test suite does: rolled-back transactions reuse ids).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, has_request_context, request
from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditLog, Employee, Position, PositionAssignment, Unit

T = TypeVar("T")

_store: dict[tuple, tuple[tuple, float, object]] = {}

# Built once: constructing the five subqueries on every request cost more than running them.
_STAMP = select(
    *(
        select(func.max(col)).scalar_subquery()
        for col in (AuditLog.id, Employee.id, Position.id, PositionAssignment.id, Unit.id)
    )
)


def data_version() -> tuple:
    """Version stamp of people/organisation data; computed once per request (not per app context: tests
    and CLI commands keep one app context across many requests)."""
    memo = request.environ if has_request_context() else {}
    if "kinerja.data_version" in memo:
        return memo["kinerja.data_version"]
    version = tuple(db.session.execute(_STAMP).one())
    memo["kinerja.data_version"] = version
    return version


def cached(name: str, compute: Callable[[], T], *args) -> T:
    """`compute()` memoised under (`name`, `args`) until the data version changes or the entry expires.

    `args` must be hashable and contain every input besides the data (e.g. the date `on`).
    The cached value is shared by all requests of the worker: return plain or frozen data, never ORM objects.
    """
    cfg = current_app.config
    if not cfg.get("DATA_CACHE", True):
        return compute()
    key = (cfg["SQLALCHEMY_DATABASE_URI"], name, args)
    version = data_version()
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and hit[0] == version and now - hit[1] < cfg.get("DATA_CACHE_SECONDS", 600):
        return hit[2]  # type: ignore[return-value]
    value = compute()
    _store[key] = (version, now, value)
    return value


def clear() -> None:
    _store.clear()
