"""several hosts: uploads waiting for confirmation live in the database; a job counts its resumptions

Revision ID: s1_multi_host
Revises: r8_pimpinan_scope
Create Date: 2026-12-04 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "s1_multi_host"
down_revision = "r8_pimpinan_scope"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staged_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_staged_upload_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_upload")),
        sa.UniqueConstraint("token", name=op.f("uq_staged_upload_token")),
    )
    with op.batch_alter_table("staged_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staged_upload_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_staged_upload_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resumed", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("resumed")
    with op.batch_alter_table("staged_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staged_upload_user_id"))
        batch_op.drop_index(batch_op.f("ix_staged_upload_created_at"))
    op.drop_table("staged_upload")
