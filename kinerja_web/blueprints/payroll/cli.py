"""`flask payroll muat-aturan`, `flask payroll verify 2026-10` and `flask payroll ptkp-tahun 2027`."""

from __future__ import annotations

import click

from ...domain import DomainError
from ...domain.payroll.special import special_table_problems
from ...extensions import db
from ...services.payroll import months, ptkp_years, rules, verification
from ...services.payroll import runs as pay_runs
from . import bp


@bp.cli.command("muat-aturan")
def load_rules_command() -> None:
    """Simpan versi aturan bawaan (CSV di kinerja_web/data/rules) yang belum ada di basis data."""
    added = rules.seed_rules()
    problems = rules.load_rules().problems() + special_table_problems(rules.special_rule_table())
    db.session.commit()
    click.echo(f"{added} versi aturan ditambahkan.")
    for p in problems:
        click.echo(f"MASALAH: {p}", err=True)
    if problems:
        raise SystemExit(1)


@bp.cli.command("verify")
@click.argument("month")
def verify_command(month: str) -> None:
    """Hitung ulang run final bulan MONTH (TTTT-BB) dari versi aturan dan masukan tercatat; bandingkan SHA-256."""
    try:
        m = months.parse_month(month)
        runs = pay_runs.final_runs_of(m)
        if not runs:
            raise click.ClickException(f"Tidak ada proses penggajian final untuk bulan {month}.")
        failed = 0
        for run in runs:
            res = verification.verify_run(run)
            status = "IDENTIK" if res.ok else "BERBEDA"
            failed += not res.ok
            click.echo(
                f"{run.title}: {status} — tercatat {res.recorded_hash}, tersimpan {res.stored_hash}, "
                f"dihitung ulang {res.recomputed_hash} ({run.employee_count} pegawai)"
            )
    except DomainError as e:
        raise click.ClickException(e.message) from e
    finally:
        db.session.rollback()
    if failed:
        raise SystemExit(1)


@bp.cli.command("ptkp-tahun")
@click.argument("tahun", type=int)
def ptkp_year_command(tahun: int) -> None:
    """Buat status PTKP tahun pajak TAHUN dari data keluarga (per 1 Januari) untuk pegawai yang belum punya;
    perubahan dari tahun sebelumnya menunggu konfirmasi HR di /gaji/ptkp."""
    if not 2000 <= tahun <= 2100:
        raise click.ClickException("Tahun pajak harus antara 2000 dan 2100.")
    res = ptkp_years.open_year(tahun, None)
    db.session.commit()
    click.echo(f"{res.created} status PTKP tahun {tahun} dibuat; {res.pending} perubahan menunggu konfirmasi HR.")
