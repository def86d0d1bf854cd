"""The bulk writer for computed rows: PostgreSQL COPY text streamed while computing, executemany elsewhere,
and the GC pause around a big computation (a speed trick behind its own door, STYLE.md §2.17)."""

from __future__ import annotations

import gc
from contextlib import ExitStack, contextmanager

from sqlalchemy import insert

from ...extensions import db

LINE_COLUMNS = (
    "run_id",
    "employee_id",
    "seq",
    "code",
    "label",
    "amount",
    "kind",
    "bagian",
    "citation",
    "rule_version",
    "inputs",
)
EMPLOYEE_COLUMNS = (
    "run_id",
    "employee_id",
    "opd_id",
    "inputs",
    "penghasilan",
    "potongan",
    "netto",
    "bruto_pph",
    "pph21",
    "iuran_pensiun",
)


def copy_field(value) -> str:
    """One value in PostgreSQL COPY text format (backslash, tab, newline and CR escaped; None = \\N)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside: a run builds ~200k acyclic tuples and strings, and each full
    collection would scan all of them (and the whole app) for nothing. Nests; restores the previous state."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def bulk_insert(table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows straight to the DBAPI in the session's transaction: COPY on PostgreSQL, executemany on SQLite.
    (One ORM object per line would cost seconds for ~150k lines.)"""
    if not rows:
        return
    conn = db.session.connection()
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as cp:
                if isinstance(rows[0], str):  # pre-rendered chunks of COPY text lines
                    for text in rows:
                        cp.write(text)
                else:
                    for r in rows:
                        cp.write_row(r)
        return
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        cur = raw.cursor()
        try:
            cur.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows)
        finally:
            cur.close()
        return
    db.session.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows])


class CopyStream:
    """`COPY … FROM STDIN` on the session's connection (same transaction), written to while the run is still
    computing, so PostgreSQL (another process, the other core) stores lines while Python computes the next.

    `pause()` ends the current COPY statement (needed before any other statement on this connection, such as
    a progress update in the request's session); the next `write` starts a new one. Leaving the `with` block
    on an exception aborts the COPY (the caller's savepoint then discards what was sent).
    """

    def __init__(self, table, columns: tuple[str, ...]):
        self.sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        self._open: ExitStack | None = None
        self._copy = None

    def write(self, text: str) -> None:
        if self._open is None:
            stack = ExitStack()
            cursor = stack.enter_context(db.session.connection().connection.driver_connection.cursor())
            self._copy = stack.enter_context(cursor.copy(self.sql))
            self._open = stack
        self._copy.write(text)

    def pause(self, exc: BaseException | None = None) -> None:
        """End the current COPY statement (abort it when `exc` is given)."""
        stack, self._open, self._copy = self._open, None, None
        if stack is not None:
            stack.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)

    def __enter__(self) -> CopyStream:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.pause(exc)
