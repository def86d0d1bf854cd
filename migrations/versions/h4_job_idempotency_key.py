"""Job idempotency key: the same form submitted twice (a double click) starts one job

Revision ID: h4_job_idempotency_key
Revises: 5c2e7d9a1f03
Create Date: 2026-11-29 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'h4_job_idempotency_key'
down_revision = '5c2e7d9a1f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_job_idempotency_key'), ['idempotency_key'])


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_job_idempotency_key'), type_='unique')
        batch_op.drop_column('idempotency_key')
