"""Benchmarks (`python -m benchmarks.<name>`): each prints its figures, the last line one JSON object."""

from __future__ import annotations


def fresh_pg_database(url: str) -> bool:
    """Drop and create the PostgreSQL database of `url` (a benchmark's own, e.g. kinerja_bench), as the tests do
    with theirs: a fresh machine has none, and tables left by older code need not match today's models.
    False when the server cannot be reached (the benchmark then skips PostgreSQL)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(url)
    try:
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
        admin.dispose()
    except Exception:  # noqa: BLE001 - any connection failure means "no PostgreSQL here"
        return False
    return True
