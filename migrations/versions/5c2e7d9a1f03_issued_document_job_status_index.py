"""Index issued_document (job_id, status) for batch progress counts

Revision ID: 5c2e7d9a1f03
Revises: e0850441911d
Create Date: 2026-11-28 04:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c2e7d9a1f03'
down_revision = 'e0850441911d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.create_index('ix_issued_document_job_status', ['job_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_document_job_status')
