"""pimpinan scope: the unit a leadership (read-only dashboards) grant covers

Revision ID: r8_pimpinan_scope
Revises: r9_announcements
Create Date: 2026-12-04 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r8_pimpinan_scope"
down_revision = "r9_announcements"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_user_role_scope_unit_id_unit"), "unit", ["scope_unit_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_user_role_scope_unit_id_unit"), type_="foreignkey")
        batch_op.drop_column("scope_unit_id")
