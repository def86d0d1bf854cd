"""Directory name search on SQLite: an FTS5 trigram index over `employee.name`, kept in sync by triggers.

A trigram phrase query finds every name containing the typed text (case-insensitive), like `LIKE '%text%'`,
from the index instead of reading all 7,500 names: the directory counts its matches this way. Queries shorter
than three characters cannot use trigrams and fall back to LIKE. PostgreSQL needs none of this (its count
stays a plain ILIKE). Created by the migration, and by `create_all` for the tests.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from .org import Employee

TABLE = "employee_search"

STATEMENTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(name, content='employee', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON employee BEGIN
  INSERT INTO {TABLE}(rowid, name) VALUES (new.id, new.name);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON employee BEGIN
  INSERT INTO {TABLE}({TABLE}, rowid, name) VALUES ('delete', old.id, old.name);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF name ON employee BEGIN
  INSERT INTO {TABLE}({TABLE}, rowid, name) VALUES ('delete', old.id, old.name);
  INSERT INTO {TABLE}(rowid, name) VALUES (new.id, new.name);
END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",  # index the rows that already exist
)


def include_name(name, type_, parent_names) -> bool:
    """Alembic filter: the FTS table and its shadow tables are not models (autogenerate must not drop them)."""
    return not (type_ == "table" and name and name.startswith(TABLE))


def phrase(text: str) -> str:
    """The FTS5 query for `text` as one literal phrase (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


for _statement in STATEMENTS:
    event.listen(Employee.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
