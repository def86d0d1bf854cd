"""Directory name search on SQLite: an FTS5 trigram index over `employee.name`, kept in sync by triggers.

A trigram phrase query finds every name containing the typed text (case-insensitive), like `LIKE '%text%'`,
from the index instead of reading all 7,500 names: the directory counts its matches this way. Queries shorter
than three characters cannot use trigrams and fall back to LIKE. Created by the migration, and by `create_all`
for the tests.

PostgreSQL matches `lower(name) LIKE '%text%'` (the directory's query there) from a pg_trgm GIN index on
`lower(name)` instead: at 100,000 employees a count of the matches no longer reads every name.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from .org import Employee

TABLE = "employee_search"
PG_INDEX = "ix_employee_name_trgm"

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
    """Alembic filter: the FTS table and its shadow tables, and PostgreSQL's trigram index, are not models
    (autogenerate must not drop them)."""
    if type_ == "index" and name == PG_INDEX:
        return False
    return not (type_ == "table" and name and name.startswith(TABLE))


def phrase(text: str) -> str:
    """The FTS5 query for `text` as one literal phrase (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


PG_STATEMENTS = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON employee USING gin (lower(name) gin_trgm_ops)",
)


for _statement in STATEMENTS:
    event.listen(Employee.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in PG_STATEMENTS:
    event.listen(Employee.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
