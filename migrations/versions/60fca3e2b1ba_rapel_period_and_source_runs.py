"""Payroll rapel: the period of already-final months a rapel run recomputes and the runs it references.

Revision ID: 60fca3e2b1ba
Revises: 74097e351c1e
Create Date: 2026-11-27 23:53:17.867618

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "60fca3e2b1ba"
down_revision = "74097e351c1e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("payroll_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("source_run_ids", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("payroll_run", schema=None) as batch_op:
        batch_op.drop_column("source_run_ids")
        batch_op.drop_column("period_end")
        batch_op.drop_column("period_start")
