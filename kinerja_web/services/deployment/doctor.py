"""`flask doctor`: what a host needs before it serves Kinerja, checked one by one.

Each check says what is wrong in Indonesian and in English (the operator of a province's servers may be either)
and what to do. An error means the host must not serve; a warning is something to decide on. The checks read
only: nothing is written to the database, Redis or the disk except a temporary file in the folders that must be
writable.
"""

from __future__ import annotations

import ctypes.util
import os
import tempfile
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import text

from ...config import DEV_SECRET_KEY
from ...extensions import db

OK, WARN, ERROR = "ok", "peringatan", "galat"


@dataclass(frozen=True)
class Check:
    name: str
    level: str  # OK, WARN or ERROR
    id_text: str  # Bahasa Indonesia
    en_text: str  # English

    @property
    def failed(self) -> bool:
        return self.level == ERROR


def production(app: Flask) -> bool:
    return str(app.config.get("ENV_NAME", "")).strip().lower() in ("production", "produksi")


def check_database(app: Flask) -> list[Check]:
    """Reachable, and at the newest migration (an old host must not write with an old schema)."""
    url = db.engine.engine.url  # the Engine's (tests bind the session to one Connection)
    try:
        db.session.execute(text("SELECT 1"))
        current = _current_revision(db.session.connection())
        db.session.rollback()  # read only
    except Exception as e:  # any driver error: the message is what the operator needs
        return [
            Check(
                "basis data",
                ERROR,
                f"Basis data {url.render_as_string(hide_password=True)} tidak dapat dihubungi: {e.__class__.__name__}.",
                f"Database {url.render_as_string(hide_password=True)} is not reachable: {e.__class__.__name__}.",
            )
        ]
    found = [
        Check("basis data", OK, f"Terhubung ke {url.get_backend_name()}.", f"Connected to {url.get_backend_name()}.")
    ]
    heads = _migration_heads(app)
    if current is None or current not in heads:
        found.append(
            Check(
                "migrasi",
                ERROR,
                f"Skema basis data pada revisi {current or '(kosong)'}, terbaru {', '.join(heads)}: jalankan "
                "`flask db upgrade`.",
                f"Database schema at revision {current or '(empty)'}, newest is {', '.join(heads)}: run "
                "`flask db upgrade`.",
            )
        )
    else:
        found.append(Check("migrasi", OK, f"Skema pada revisi terbaru ({current}).", f"Schema is current ({current})."))
    if url.get_backend_name() == "sqlite" and production(app):
        found.append(
            Check(
                "basis data",
                WARN,
                "SQLite hanya untuk satu server; untuk beberapa server web/pekerja pakai PostgreSQL (DATABASE_URL).",
                "SQLite serves one host only; several web/worker hosts need PostgreSQL (DATABASE_URL).",
            )
        )
    return found


def _current_revision(conn) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _migration_heads(app: Flask) -> list[str]:
    from alembic.script import ScriptDirectory

    directory = app.extensions["migrate"].directory
    if not os.path.isabs(directory):
        directory = os.path.join(os.path.dirname(app.root_path), directory)
    return list(ScriptDirectory(directory).get_heads())


def check_queue(app: Flask) -> list[Check]:
    """Redis when set (every web and worker host must share it); otherwise the local SQLite queue (one host)."""
    url = app.config.get("REDIS_URL")
    if not url:
        level = WARN if db.engine.engine.url.get_backend_name() != "sqlite" else OK
        return [
            Check(
                "antrean",
                level,
                "Antrean pekerjaan di berkas SQLite lokal: hanya proses pada server ini yang mengerjakannya. Untuk "
                "beberapa server, atur REDIS_URL yang sama di semua server.",
                "The job queue is a local SQLite file: only processes on this host work on it. For several hosts, "
                "set the same REDIS_URL on every host.",
            )
        ]
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as e:
        return [
            Check(
                "antrean",
                ERROR,
                f"Redis ({url}) tidak dapat dihubungi: {e.__class__.__name__}.",
                f"Redis ({url}) is not reachable: {e.__class__.__name__}.",
            )
        ]
    return [Check("antrean", OK, f"Redis terhubung ({url}).", f"Redis reachable ({url}).")]


def check_pdf(app: Flask) -> list[Check]:
    """WeasyPrint with its native libraries (incl. HarfBuzz subsetting) renders a page with the shipped fonts."""
    found = []
    if ctypes.util.find_library("harfbuzz-subset") is None:
        found.append(
            Check(
                "PDF",
                ERROR,
                "Pustaka libharfbuzz-subset0 tidak ada: pasang `apt-get install libharfbuzz-subset0`.",
                "Library libharfbuzz-subset0 is missing: install it with `apt-get install libharfbuzz-subset0`.",
            )
        )
    fonts = os.path.join(app.static_folder, "fonts")
    needed = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSerif-Regular.ttf")
    missing = [f for f in needed if not os.path.exists(os.path.join(fonts, f))]
    if missing:
        found.append(
            Check(
                "huruf",
                ERROR,
                f"Berkas huruf tidak ada di {fonts}: {', '.join(missing)}.",
                f"Font files missing in {fonts}: {', '.join(missing)}.",
            )
        )
    try:
        from ...pdf import PdfRenderer

        pdf, pages = PdfRenderer(app.static_folder).html_to_pdf("<p>Kinerja — uji cetak ÀÉÎ 1.234.567</p>")
        assert pdf.startswith(b"%PDF") and pages == 1
    except Exception as e:
        found.append(
            Check(
                "PDF",
                ERROR,
                f"WeasyPrint tidak dapat membuat PDF: {e.__class__.__name__}: {e}.",
                f"WeasyPrint cannot render a PDF: {e.__class__.__name__}: {e}.",
            )
        )
    if not found:
        found.append(Check("PDF", OK, "WeasyPrint dan huruf siap.", "WeasyPrint and fonts are ready."))
    return found


def check_folders(app: Flask) -> list[Check]:
    """The folders this host writes to (its own cache of batch files, SQLite queue/database) must be writable.

    They need not be shared between hosts: a batch's merged PDF and ZIP are rebuilt from the database on a host
    that does not have them, and uploads waiting for confirmation are kept in the database."""
    folders = {app.instance_path, app.config.get("DOCUMENT_BATCH_DIR") or os.path.join(app.instance_path, "dokumen")}
    found = []
    for folder in sorted(folders):
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder):
                pass
        except OSError as e:
            found.append(
                Check(
                    "folder",
                    ERROR,
                    f"Folder {folder} tidak dapat ditulisi: {e.strerror}.",
                    f"Folder {folder} is not writable: {e.strerror}.",
                )
            )
    if not found:
        found.append(
            Check(
                "folder",
                OK,
                f"Folder lokal dapat ditulisi ({', '.join(sorted(folders))}); tidak perlu dibagi antar-server.",
                f"Local folders are writable ({', '.join(sorted(folders))}); they need not be shared between hosts.",
            )
        )
    return found


def check_secrets(app: Flask) -> list[Check]:
    key = app.config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        level = ERROR if production(app) else WARN
        return [
            Check(
                "kunci rahasia",
                level,
                "SECRET_KEY belum diatur atau kurang dari 32 karakter; semua server harus memakai kunci yang sama "
                "(buat dengan `python -c 'import secrets; print(secrets.token_hex(32))'`).",
                "SECRET_KEY is unset or shorter than 32 characters; every host must use the same key (make one "
                "with `python -c 'import secrets; print(secrets.token_hex(32))'`).",
            )
        ]
    found = [Check("kunci rahasia", OK, "SECRET_KEY diatur.", "SECRET_KEY is set.")]
    if production(app) and not app.config.get("PUBLIC_BASE_URL"):
        found.append(
            Check(
                "alamat publik",
                WARN,
                "PUBLIC_BASE_URL belum diatur: kode QR dokumen memakai alamat permintaan, yang bisa berbeda antar-server.",
                "PUBLIC_BASE_URL is unset: document QR codes use the request's host, which may differ between hosts.",
            )
        )
    return found


CHECKS = (check_database, check_queue, check_pdf, check_folders, check_secrets)


def run(app: Flask) -> list[Check]:
    found: list[Check] = []
    for check in CHECKS:
        found += check(app)
    return found
