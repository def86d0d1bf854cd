"""The schema exists only through `flask db upgrade`: the migrations must produce exactly the models.

Runs the real migrations on a fresh SQLite file, and on a scratch PostgreSQL database when
TEST_DATABASE_URL points at PostgreSQL, then asks Alembic's autogenerate for pending differences.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from kinerja_web import create_app
from kinerja_web.extensions import db
from kinerja_web.models import search

from .conftest import TEST_DATABASE_URL

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _upgrade_and_diff(url: str) -> tuple[list, set[str]]:
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    # migrations/env.py calls logging.config.fileConfig, which disables every existing logger.
    loggers = {
        name: lg.disabled for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)
    }
    try:
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            with db.engine.connect() as conn:
                opts = {"compare_type": True, "render_as_batch": True, "include_name": search.include_name}
                ctx = MigrationContext.configure(conn, opts=opts)
                diff = compare_metadata(ctx, db.metadata)
                tables = set(inspect(conn).get_table_names())
            db.engine.dispose()
    finally:
        for name, disabled in loggers.items():
            logging.getLogger(name).disabled = disabled
    return diff, tables


def test_sqlite_migrations_create_every_table_of_the_models(tmp_path):
    diff, tables = _upgrade_and_diff(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_sqlite_migrations_agree_with_the_models(tmp_path):
    diff, _ = _upgrade_and_diff(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    assert diff == [], "\n".join(map(str, diff))


@pytest.fixture
def scratch_postgres():
    if not TEST_DATABASE_URL.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    base = make_url(TEST_DATABASE_URL)
    name = f"{base.database}_mig{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_postgresql_migrations_agree_with_the_models(scratch_postgres):
    diff, tables = _upgrade_and_diff(scratch_postgres)
    assert set(db.metadata.tables) <= tables
    assert diff == [], "\n".join(map(str, diff))


def test_r1_ptkp_year_fills_the_current_year_from_todays_field(tmp_path):
    """Issue 20: the migration gives every employee with a PTKP status a row for the current year (source
    "migrasi"), so the months after it compute with the status they had before."""
    from datetime import date

    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'ptkp.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    loggers = {n: lg.disabled for n, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    try:
        with app.app_context():
            upgrade(directory=MIGRATIONS, revision="r8_pimpinan_scope")
            with db.engine.begin() as conn:
                for i, status in enumerate(("K/2", None, "tk/0 ")):
                    conn.execute(
                        text(
                            "INSERT INTO employee (nip, name, status_asn, golongan, mkg_years, mkg_months, gender,"
                            " birth_date, ptkp_status, active, created_at, updated_at, version_id) VALUES"
                            " (:nip, :name, 'pns', 'III/a', 0, 0, 'L', '1990-01-01', :s, 1, '2026-01-01',"
                            " '2026-01-01', 1)"
                        ),
                        {"nip": f"19900101201501100{i}", "name": f"Pegawai {i}", "s": status},
                    )
            upgrade(directory=MIGRATIONS, revision="r1_ptkp_year")
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT tahun, status, source FROM payroll_ptkp_year ORDER BY id")).all()
            db.engine.dispose()
    finally:
        for name, disabled in loggers.items():
            logging.getLogger(name).disabled = disabled
    year = date.today().year
    assert [tuple(r) for r in rows] == [(year, "K/2", "migrasi"), (year, "TK/0", "migrasi")]
