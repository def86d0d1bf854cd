"""directory search on PostgreSQL: a pg_trgm GIN index on lower(employee.name)

Revision ID: s1_pg_trgm
Revises: r6_selection
Create Date: 2026-12-04 20:45:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "s1_pg_trgm"
down_revision = "r6_selection"
branch_labels = None
depends_on = None

# Frozen copy of kinerja_web/models/search.py PG_STATEMENTS at this revision.
INDEX = "ix_employee_name_trgm"
STATEMENTS = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON employee USING gin (lower(name) gin_trgm_ops)",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has its FTS5 trigram table (models/search.py)
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
