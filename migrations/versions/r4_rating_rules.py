"""rating rules as versioned data: rating_rule_version and the version each rating/calibration/keberatan used

Revision ID: r4_rating_rules
Revises: r3_payroll_workflow
Create Date: 2026-12-04 17:40:00.000000

The first versions are today's constants (predikat matrix of PermenPANRB 6/2022, kurva of SE MenPANRB 3/2023,
keberatan deadline of PP 30/2019 Pasal 59, NIP checks of Perka BKN 22/2007, 9-box numbering of PermenPANRB 3/2020),
frozen here as data so a later change of the code does not change what this migration stores. Existing ratings,
calibrated units and keberatan are marked as made under those first versions.
"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "r4_rating_rules"
down_revision = "r3_payroll_workflow"
branch_labels = None
depends_on = None

FIRST_VERSIONS = [{'code': 'predikat_matriks',
  'version_id': 'predikat_matriks@2022-01-01',
  'berlaku_mulai': '2022-01-01',
  'citation': 'PermenPANRB 6/2022, Lampiran (matriks predikat kinerja pegawai)',
  'data': {'sel': {'di_atas|di_atas': 'sangat_baik',
                   'di_atas|sesuai': 'baik',
                   'di_atas|di_bawah': 'kurang_misconduct',
                   'sesuai|di_atas': 'baik',
                   'sesuai|sesuai': 'baik',
                   'sesuai|di_bawah': 'kurang_misconduct',
                   'di_bawah|di_atas': 'butuh_perbaikan',
                   'di_bawah|sesuai': 'butuh_perbaikan',
                   'di_bawah|di_bawah': 'sangat_kurang'}}},
 {'code': 'kurva_distribusi',
  'version_id': 'kurva_distribusi@2023-01-01',
  'berlaku_mulai': '2023-01-01',
  'citation': 'SE MenPANRB No. 3/2023 tentang Tata Cara Penetapan Predikat Kinerja Pegawai ASN, Lampiran',
  'data': {'min_pegawai': 5,
           'aturan': [{'organisasi': 'istimewa',
                       'kelompok': ['sangat_baik'],
                       'min': None,
                       'max': '0.70',
                       'harus_ada': False,
                       'terbesar': True},
                      {'organisasi': 'baik',
                       'kelompok': ['baik'],
                       'min': None,
                       'max': '0.70',
                       'harus_ada': False,
                       'terbesar': True},
                      {'organisasi': 'baik',
                       'kelompok': ['butuh_perbaikan', 'kurang_misconduct'],
                       'min': None,
                       'max': None,
                       'harus_ada': True,
                       'terbesar': False},
                      {'organisasi': 'butuh_perbaikan',
                       'kelompok': ['butuh_perbaikan'],
                       'min': '0.60',
                       'max': None,
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'butuh_perbaikan',
                       'kelompok': ['sangat_baik'],
                       'min': None,
                       'max': '0.10',
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'kurang',
                       'kelompok': ['kurang_misconduct'],
                       'min': '0.60',
                       'max': None,
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'kurang',
                       'kelompok': ['butuh_perbaikan'],
                       'min': '0.10',
                       'max': None,
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'kurang',
                       'kelompok': ['sangat_baik'],
                       'min': None,
                       'max': '0.10',
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'sangat_kurang',
                       'kelompok': ['sangat_kurang'],
                       'min': '0.60',
                       'max': None,
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'sangat_kurang',
                       'kelompok': ['kurang_misconduct', 'butuh_perbaikan'],
                       'min': '0.10',
                       'max': None,
                       'harus_ada': False,
                       'terbesar': False},
                      {'organisasi': 'sangat_kurang',
                       'kelompok': ['sangat_baik'],
                       'min': None,
                       'max': '0',
                       'harus_ada': False,
                       'terbesar': False}]}},
 {'code': 'batas_keberatan',
  'version_id': 'batas_keberatan@2022-01-01',
  'berlaku_mulai': '2022-01-01',
  'citation': 'PP 30/2019 Pasal 59',
  'data': {'hari': 14, 'hari_kerja': False, 'libur': []}},
 {'code': 'aturan_nip',
  'version_id': 'aturan_nip@2022-01-01',
  'berlaku_mulai': '2022-01-01',
  'citation': 'Peraturan Kepala BKN 22/2007',
  'data': {'kode_laki': 1,
           'kode_perempuan': 2,
           'selisih_minimal_bulan': 1,
           'periksa_tmt_pppk': False,
           'nomor_urut_minimal': 1}},
 {'code': 'kotak_talenta',
  'version_id': 'kotak_talenta@2022-01-01',
  'berlaku_mulai': '2022-01-01',
  'citation': 'PermenPANRB 3/2020 tentang Manajemen Talenta ASN, Lampiran (penomoran kotak: '
              'kotak_talenta_9box.csv)',
  'data': {'kotak': {'di_atas|tinggi': 9,
                     'sesuai|tinggi': 8,
                     'di_atas|menengah': 7,
                     'di_bawah|tinggi': 6,
                     'sesuai|menengah': 5,
                     'di_atas|rendah': 4,
                     'di_bawah|menengah': 3,
                     'sesuai|rendah': 2,
                     'di_bawah|rendah': 1}}}]


def upgrade():
    table = op.create_table(
        "rating_rule_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("version_id", sa.String(length=80), nullable=False),
        sa.Column("berlaku_mulai", sa.Date(), nullable=False),
        sa.Column("berlaku_sampai", sa.Date(), nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_rating_rule_version_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_rule_version")),
        sa.UniqueConstraint("version_id", name=op.f("uq_rating_rule_version_version_id")),
    )
    with op.batch_alter_table("rating_rule_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_rule_version_code"), ["code"], unique=False)
    with op.batch_alter_table("performance_rating", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule_version", sa.String(length=80), nullable=True))
    with op.batch_alter_table("unit_predikat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kurva_rule_version", sa.String(length=80), nullable=True))
    with op.batch_alter_table("keberatan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batas_rule_version", sa.String(length=80), nullable=True))

    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    op.bulk_insert(
        table,
        [
            {**r, "berlaku_mulai": date.fromisoformat(r["berlaku_mulai"]), "created_at": now}
            for r in FIRST_VERSIONS
        ],
    )
    first = {r["code"]: r["version_id"] for r in FIRST_VERSIONS}
    op.execute(
        sa.text("UPDATE performance_rating SET rule_version = :v WHERE rule_version IS NULL").bindparams(
            v=first["predikat_matriks"]
        )
    )
    op.execute(
        sa.text(
            "UPDATE unit_predikat SET kurva_rule_version = :v WHERE calibrated_at IS NOT NULL "
            "AND kurva_rule_version IS NULL"
        ).bindparams(v=first["kurva_distribusi"])
    )
    op.execute(
        sa.text("UPDATE keberatan SET batas_rule_version = :v WHERE batas_rule_version IS NULL").bindparams(
            v=first["batas_keberatan"]
        )
    )


def downgrade():
    with op.batch_alter_table("keberatan", schema=None) as batch_op:
        batch_op.drop_column("batas_rule_version")
    with op.batch_alter_table("unit_predikat", schema=None) as batch_op:
        batch_op.drop_column("kurva_rule_version")
    with op.batch_alter_table("performance_rating", schema=None) as batch_op:
        batch_op.drop_column("rule_version")
    with op.batch_alter_table("rating_rule_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_rule_version_code"))
    op.drop_table("rating_rule_version")
