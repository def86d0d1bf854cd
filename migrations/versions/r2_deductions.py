"""voluntary deductions: payees and standing orders with consent documents (issue 20 item 4)

Revision ID: r2_deductions
Revises: r8_public_feedback
Create Date: 2026-12-04 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r2_deductions"
down_revision = "r8_public_feedback"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "payroll_payee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("jenis", sa.String(length=12), nullable=False),
        sa.Column("bank_name", sa.String(length=100), nullable=False),
        sa.Column("bank_account", sa.String(length=40), nullable=False),
        sa.Column("account_holder", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "payroll_standing_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("payee_id", sa.Integer(), nullable=False),
        sa.Column("jenis", sa.String(length=12), nullable=False),
        sa.Column("jumlah", sa.BigInteger(), nullable=True),
        sa.Column("persen_bp", sa.Integer(), nullable=True),
        sa.Column("mulai", sa.Date(), nullable=False),
        sa.Column("sampai", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("consent_filename", sa.String(length=200), nullable=False),
        sa.Column("consent_content_type", sa.String(length=60), nullable=False),
        sa.Column("consent_size", sa.Integer(), nullable=False),
        sa.Column("consent_sha256", sa.String(length=64), nullable=False),
        sa.Column("consent_data", sa.LargeBinary(), nullable=False),
        sa.Column("ended_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("jumlah IS NULL OR jumlah >= 0", name="standing_order_jumlah"),
        sa.CheckConstraint(
            "persen_bp IS NULL OR (persen_bp > 0 AND persen_bp <= 10000)", name="standing_order_persen"
        ),
        sa.CheckConstraint("sampai IS NULL OR sampai >= mulai", name="standing_order_months"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["payee_id"], ["payroll_payee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payroll_standing_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_standing_order_employee_id"), ["employee_id"], unique=False)


def downgrade():
    with op.batch_alter_table("payroll_standing_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payroll_standing_order_employee_id"))
    op.drop_table("payroll_standing_order")
    op.drop_table("payroll_payee")
