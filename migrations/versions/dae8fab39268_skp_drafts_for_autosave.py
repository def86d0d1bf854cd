"""SKP drafts: RHK/IKI input kept by autosave while it is invalid or not yet added

Revision ID: dae8fab39268
Revises: 2c7a00f922dd
Create Date: 2026-11-27 23:52:08.062191

"""

import sqlalchemy as sa
from alembic import op

revision = "dae8fab39268"
down_revision = "2c7a00f922dd"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "skp_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skp_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["skp_id"], ["skp.id"], name=op.f("fk_skp_draft_skp_id_skp"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skp_draft")),
        sa.UniqueConstraint("skp_id", "slot", name="one_draft_per_slot"),
    )
    with op.batch_alter_table("skp_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skp_draft_skp_id"), ["skp_id"], unique=False)


def downgrade():
    with op.batch_alter_table("skp_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skp_draft_skp_id"))
    op.drop_table("skp_draft")
