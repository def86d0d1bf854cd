"""employee name search index (SQLite FTS5 trigram, kept in sync by triggers)

Revision ID: b7d2f0c41a9e
Revises: 739ccb416340
Create Date: 2026-11-28 00:45:00

"""

from alembic import op

from kinerja_web.models import search

# revision identifiers, used by Alembic.
revision = "b7d2f0c41a9e"
down_revision = "739ccb416340"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL counts with ILIKE; nothing to create
    for statement in search.STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {search.TABLE}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {search.TABLE}")
