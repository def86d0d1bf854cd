"""Configuration read from the environment, with safe defaults for a single-machine LAN install."""

from __future__ import annotations

import os
from collections.abc import Mapping

DEV_SECRET_KEY = "dev-kinerja-jangan-dipakai-di-produksi"


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ya", "on"}


BANK_COLUMN_KEYS = ("no", "bank", "rekening", "nama", "nip", "jumlah", "keterangan")


def _bank_columns(raw: str | None) -> tuple[tuple[str, str], ...] | None:
    """ "Header:key,Header:key" → ((header, key), …); keys from BANK_COLUMN_KEYS. None keeps the default layout."""
    if not raw:
        return None
    columns = []
    for part in raw.split(","):
        header, _, key = part.partition(":")
        key = key.strip() or header.strip().lower()
        if key not in BANK_COLUMN_KEYS:
            raise ConfigError(
                f"PAYROLL_BANK_COLUMNS: kolom '{key}' tidak dikenal (pilihan: {', '.join(BANK_COLUMN_KEYS)})."
            )
        columns.append((header.strip(), key))
    return tuple(columns)


def from_env(env: Mapping[str, str], instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables.

    Every setting has a default so that `flask run` works on a fresh checkout; production
    sets at least SECRET_KEY and usually DATABASE_URL.
    """
    default_db = "sqlite:///" + os.path.join(instance_path, "kinerja.sqlite3")
    database_url = env.get("DATABASE_URL", default_db)
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    return {
        "ENV_NAME": env.get("KINERJA_ENV", "development"),
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server connection can drop (restart, idle timeout): test it on checkout. A SQLite file cannot, and
        # the ping would be one more statement on every request.
        # hide_parameters: a failed statement's message (and so the error log) leaves out the bound values,
        # which include password hashes, session tokens, NIK and salaries.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite"), "hide_parameters": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        "HUEY_SQLITE_PATH": env.get("HUEY_SQLITE_PATH", os.path.join(instance_path, "huey.sqlite3")),
        "HUEY_IMMEDIATE": _bool(env.get("HUEY_IMMEDIATE"), False),
        # A running job whose worker has not stamped its heartbeat for this long lost its worker: it is handed to
        # the queue again, or marked failed (the worker stamps it every fifth of this window); pages and a
        # periodic task look.
        "JOB_STALE_SECONDS": float(env.get("KINERJA_JOB_STALE_SECONDS", "300")),
        # How often such a job is handed to another worker before it is marked failed (services/jobs.py).
        "JOB_MAX_RESUMES": int(env.get("KINERJA_JOB_MAX_RESUMES", "2")),
        "TIMEZONE": env.get("KINERJA_TIMEZONE", "Asia/Jakarta"),  # WIB
        # A folder whose CSV files replace the shipped layouts of the national exports (kinerja_web/data/national).
        "NATIONAL_LAYOUT_DIR": env.get("KINERJA_NATIONAL_LAYOUT_DIR") or None,
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_FROM": env.get("MAIL_FROM", "kinerja@localhost"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        # Behind nginx on the same host: trust one proxy hop for the client IP (audit log) and scheme.
        "BEHIND_PROXY": _bool(env.get("KINERJA_BEHIND_PROXY")),
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(env.get("LOGIN_LOCK_MINUTES", "15")),
        "PAGE_SIZE": 25,
        # Expensive aggregates cached per worker under a cheap data version (services/datacache.py).
        "DATA_CACHE": _bool(env.get("KINERJA_DATA_CACHE"), True),
        "DATA_CACHE_SECONDS": int(env.get("KINERJA_DATA_CACHE_SECONDS", "600")),
        # Links built outside a request (jobs, periodic tasks, CLI) with url_for: relative (_external=False), under
        # APPLICATION_ROOT. Flask 3.1 does not refuse requests for another host when SERVER_NAME is set (we are
        # reached by IP and by name on the LAN); unset, jobs build their links for "localhost" (create_app).
        "SERVER_NAME": env.get("KINERJA_SERVER_NAME") or None,
        "APPLICATION_ROOT": env.get("KINERJA_APPLICATION_ROOT") or "/",
        "PREFERRED_URL_SCHEME": env.get("KINERJA_URL_SCHEME") or "http",
        # Base URL printed in the QR code of issued documents (LAN address); default: the request's host.
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL") or None,
        # Merged PDF and ZIP of batch jobs (written by the worker, served by the web app); default instance/dokumen.
        "DOCUMENT_BATCH_DIR": env.get("KINERJA_BATCH_DIR") or None,
        # Documents per part of a batch's merged PDF (the merge is held in memory: ~160 KB per one-page decree).
        "DOCUMENT_BATCH_PART_SIZE": max(1, int(env.get("KINERJA_BATCH_PART_SIZE", "500"))),
        "VERIFY_RATE_LIMIT": int(env.get("VERIFY_RATE_LIMIT", "30")),  # verification requests per IP per minute
        "SKM_KIOSK_RATE_LIMIT": int(env.get("SKM_KIOSK_RATE_LIMIT", "20")),  # kiosk submissions per device per minute
        # "Does it work?" reports: a group smaller than this shows "data belum cukup" instead of a distribution.
        "REPORT_MIN_GROUP_SIZE": max(1, int(env.get("KINERJA_REPORT_MIN_GROUP_SIZE", "5"))),
        # Payroll: variance review threshold and the bank transfer file layout (BPKAD/bank specific).
        "PAYROLL_VARIANCE_PERCENT": env.get("PAYROLL_VARIANCE_PERCENT", "10"),
        "PAYROLL_BANK_DELIMITER": env.get("PAYROLL_BANK_DELIMITER", ","),
        # Annual bukti potong export (issue 20): the withholder's NPWP and the tax object code, not guessed.
        "NPWP_PEMOTONG": env.get("NPWP_PEMOTONG", ""),
        "BUKTI_POTONG_KODE_OBJEK": env.get("BUKTI_POTONG_KODE_OBJEK", ""),
        "PAYROLL_BANK_COLUMNS": _bank_columns(env.get("PAYROLL_BANK_COLUMNS")),
    }


class ConfigError(RuntimeError):
    pass


def refuse_dev_secret_in_production(config: Mapping) -> None:
    """Production must not run with the development secret: sessions and CSRF tokens would be forgeable."""
    if str(config.get("ENV_NAME", "")).strip().lower() in ("production", "produksi") and config.get("SECRET_KEY") in (
        None,
        "",
        DEV_SECRET_KEY,
    ):
        raise ConfigError("SECRET_KEY belum diatur: aplikasi menolak berjalan di produksi dengan kunci pengembangan.")
