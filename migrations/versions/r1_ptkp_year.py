"""PTKP status per tax year, year-to-date import for a mid-year go-live, family data dates (issue 20)

Revision ID: r1_ptkp_year
Revises: s1_multi_host
Create Date: 2026-12-04 17:30:00.000000

"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r1_ptkp_year"
down_revision = "s1_multi_host"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tanggungan_sejak", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("keterangan_tanpa_penghasilan", sa.String(length=100), nullable=True))
    ptkp = op.create_table(
        "payroll_ptkp_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=5), nullable=False),
        sa.Column("source", sa.Enum("migrasi", "keluarga", "koreksi", name="ptkpsource", native_enum=False, create_constraint=False, length=10), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("derived_status", sa.String(length=5), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "tahun", name="uq_ptkp_year"),
    )
    with op.batch_alter_table("payroll_ptkp_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_ptkp_year_employee_id"), ["employee_id"], unique=False)
    op.create_table(
        "payroll_ytd_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "payroll_ytd_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("masa_awal", sa.Integer(), nullable=False),
        sa.Column("masa_akhir", sa.Integer(), nullable=False),
        sa.Column("bruto", sa.BigInteger(), nullable=False),
        sa.Column("iuran_pensiun", sa.BigInteger(), nullable=False),
        sa.Column("pph21", sa.BigInteger(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("masa_awal BETWEEN 1 AND 12 AND masa_akhir BETWEEN masa_awal AND 12", name="ytd_masa"),
        sa.CheckConstraint("bruto >= 0 AND iuran_pensiun >= 0", name="ytd_amounts"),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["import_id"], ["payroll_ytd_import.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "tahun", name="uq_ytd_entry"),
    )
    with op.batch_alter_table("payroll_ytd_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_ytd_entry_employee_id"), ["employee_id"], unique=False)

    # Fill the current tax year from today's field: every employee with a status keeps it for this year.
    tahun = date.today().year
    now = datetime.now(timezone.utc)
    employee = sa.table("employee", sa.column("id", sa.Integer), sa.column("ptkp_status", sa.String))
    rows = op.get_bind().execute(sa.select(employee.c.id, employee.c.ptkp_status).where(employee.c.ptkp_status.isnot(None)))
    data = [
        {
            "employee_id": eid,
            "tahun": tahun,
            "status": status.strip().upper(),
            "source": "migrasi",
            "as_of": date(tahun, 1, 1),
            "derived_status": None,
            "basis": "Status PTKP pegawai pada saat status per tahun pajak mulai dipakai.",
            "reason": "",
            "confirmed_at": now,
            "confirmed_by_id": None,
            "created_at": now,
        }
        for eid, status in rows
        if status and status.strip()
    ]
    if data:
        op.bulk_insert(ptkp, data)


def downgrade():
    op.drop_table("payroll_ytd_entry")
    op.drop_table("payroll_ytd_import")
    op.drop_table("payroll_ptkp_year")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_column("keterangan_tanpa_penghasilan")
        batch_op.drop_column("tanggungan_sejak")
