"""Plain rows straight to the database for the scale seed: COPY on PostgreSQL, executemany on SQLite.

The ORM would spend minutes on 100,000 employees; these helpers fill the columns' Python-side defaults and
convert values with the columns' own bind processing (enums to their stored text), so a row written here reads
back exactly like one the ORM wrote.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from ...extensions import db
from ..payroll.copy_writer import bulk_insert

CHUNK = 20_000


def next_id(table) -> int:
    """The first id free in `table` (rows written here carry their own ids, so that others can refer to them)."""
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


class Writer:
    """Collects rows of one table (dicts with the same keys) and writes them on `flush`; the caller flushes
    related writers together, parents first (PostgreSQL checks foreign keys per statement)."""

    def __init__(self, table, columns: tuple[str, ...]):
        self.table = table
        dialect = db.session.get_bind().dialect
        defaults = {
            c.name: c.default
            for c in table.columns
            if c.default is not None and c.name not in columns and not c.primary_key
        }
        self.columns = tuple(columns) + tuple(defaults)
        self.defaults = defaults
        self.processors = [table.c[name].type._cached_bind_processor(dialect) for name in self.columns]
        self.quoted = tuple(f'"{name}"' for name in self.columns)  # rater_assignment.group is a keyword
        self.given = columns
        # Defaults are evaluated once: every row of a seed gets the same created_at.
        self.default_values = [d.arg(None) if d.is_callable else d.arg for d in defaults.values()]
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, values: dict) -> None:
        raw = [values.get(name) for name in self.given] + self.default_values
        self.rows.append(
            tuple(p(v) if p is not None and v is not None else v for p, v in zip(self.processors, raw, strict=True))
        )

    def flush(self) -> None:
        bulk_insert(self.table, self.quoted, self.rows)
        self.written += len(self.rows)
        self.rows = []


def flush_all(*writers: Writer) -> None:
    for w in writers:
        w.flush()


def reset_sequence(table) -> None:
    """After rows with explicit ids: PostgreSQL's id sequence continues after the largest (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
        )
    )
