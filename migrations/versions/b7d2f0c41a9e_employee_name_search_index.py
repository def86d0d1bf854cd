"""employee name search index (SQLite FTS5 trigram, kept in sync by triggers)

Revision ID: b7d2f0c41a9e
Revises: 4ca5bf916074
Create Date: 2026-11-28 00:45:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d2f0c41a9e"
down_revision = "4ca5bf916074"
branch_labels = None
depends_on = None

# Frozen copy of kinerja_web/models/search.py STATEMENTS at this revision.
TABLE = "employee_search"
STATEMENTS = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(name, content='employee', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER {TABLE}_ai AFTER INSERT ON employee BEGIN
  INSERT INTO {TABLE}(rowid, name) VALUES (new.id, new.name);
END""",
    f"""CREATE TRIGGER {TABLE}_ad AFTER DELETE ON employee BEGIN
  INSERT INTO {TABLE}({TABLE}, rowid, name) VALUES ('delete', old.id, old.name);
END""",
    f"""CREATE TRIGGER {TABLE}_au AFTER UPDATE OF name ON employee BEGIN
  INSERT INTO {TABLE}({TABLE}, rowid, name) VALUES ('delete', old.id, old.name);
  INSERT INTO {TABLE}(rowid, name) VALUES (new.id, new.name);
END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",  # index the employees that already exist
)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL counts with ILIKE; nothing to create
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
