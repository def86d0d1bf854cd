"""announcements and read receipts (sosialisasi board)

Revision ID: r9_announcements
Revises: h7_job_heartbeat
Create Date: 2026-12-04 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r9_announcements"
down_revision = "h7_job_heartbeat"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("posted_by_id", sa.Integer(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["posted_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcement_posted_at"), ["posted_at"], unique=False)
    op.create_table(
        "announcement_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["announcement_id"], ["announcement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("announcement_id", "user_id", name="one_read_per_user"),
    )
    with op.batch_alter_table("announcement_read", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcement_read_announcement_id"), ["announcement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_announcement_read_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("announcement_read")
    op.drop_table("announcement")
