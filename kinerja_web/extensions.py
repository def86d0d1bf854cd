"""Extension objects, created unbound and bound in create_app."""

import sqlite3

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()


def init_app(app, include_name=None) -> None:
    """Bind the extensions; `include_name` is Alembic's table filter (models/search.py keeps its FTS tables out)."""
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, include_name=include_name)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    htmx.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    """SQLite pragmas that make it behave like PostgreSQL where it matters.

    Foreign keys on; WAL lets the web workers read while the job worker writes; busy_timeout waits for a
    lock instead of failing at once. pysqlite's own transaction handling is kept in the application: it
    opens the write transaction right before the first write, so a worker that read first does not hit
    SQLITE_BUSY_SNAPSHOT when another worker committed meanwhile (seen with two batch-render processes).
    The test suite switches to explicit BEGIN for real savepoints (tests/conftest.py).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
