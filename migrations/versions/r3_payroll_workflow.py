"""payroll workflow: returned runs, numbers of deleted drafts, manual pay facts (issue 20)

Revision ID: r3_payroll_workflow
Revises: r1_ptkp_year
Create Date: 2026-12-04 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r3_payroll_workflow"
down_revision = "r1_ptkp_year"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "payroll_run_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=14), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("returned_by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["payroll_run.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["returned_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payroll_run_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_run_return_run_id"), ["run_id"], unique=False)
    op.create_table(
        "payroll_run_tombstone",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "payroll_manual_amount",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("bagian", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum("menunggu", "disetujui", "ditolak", name="manualstatus", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.CheckConstraint("amount > 0", name="manual_amount_positive"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payroll_manual_amount", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_manual_amount_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index("ix_payroll_manual_month", ["month", "status"], unique=False)


def downgrade():
    op.drop_table("payroll_manual_amount")
    op.drop_table("payroll_run_tombstone")
    op.drop_table("payroll_run_return")
