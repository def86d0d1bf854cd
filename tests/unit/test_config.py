"""Configuration from the environment; production refuses the development SECRET_KEY."""

import pytest

from kinerja_web.config import DEV_SECRET_KEY, ConfigError, from_env, refuse_dev_secret_in_production


def test_default_database_is_a_sqlite_file_in_the_instance_folder():
    cfg = from_env({}, "/srv/kinerja/instance")
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/kinerja/instance/kinerja.sqlite3"


def test_postgresql_urls_use_the_psycopg3_driver():
    cfg = from_env({"DATABASE_URL": "postgresql://u@h/db"}, "/tmp")
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_time_zone_defaults_to_wib():
    assert from_env({}, "/tmp")["TIMEZONE"] == "Asia/Jakarta"


def test_production_refuses_to_start_with_the_development_secret_key():
    cfg = from_env({"KINERJA_ENV": "production"}, "/tmp")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        refuse_dev_secret_in_production(cfg)


def test_production_refuses_an_empty_secret_key():
    with pytest.raises(ConfigError):
        refuse_dev_secret_in_production(from_env({"KINERJA_ENV": "production", "SECRET_KEY": ""}, "/tmp"))


def test_production_starts_with_its_own_secret_key():
    refuse_dev_secret_in_production(from_env({"KINERJA_ENV": "production", "SECRET_KEY": "s3cr3t-lan-key"}, "/tmp"))


def test_development_may_use_the_development_key():
    cfg = from_env({}, "/tmp")
    assert cfg["SECRET_KEY"] == DEV_SECRET_KEY
    refuse_dev_secret_in_production(cfg)


def test_create_app_refuses_the_development_key_when_kinerja_env_is_production(monkeypatch, tmp_path):
    from kinerja_web import create_app

    monkeypatch.setenv("KINERJA_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    with pytest.raises(ConfigError):
        create_app()


def test_production_check_ignores_case_and_spaces():
    with pytest.raises(ConfigError):
        refuse_dev_secret_in_production(from_env({"KINERJA_ENV": " Production "}, "/tmp"))


def test_a_failed_statement_does_not_carry_its_values_into_the_log(tmp_path):
    from sqlalchemy import create_engine, exc

    cfg = from_env({"DATABASE_URL": f"sqlite:///{tmp_path}/uji.sqlite3"}, str(tmp_path))
    engine = create_engine(cfg["SQLALCHEMY_DATABASE_URI"], **cfg["SQLALCHEMY_ENGINE_OPTIONS"])
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (token TEXT UNIQUE)")
        conn.exec_driver_sql("INSERT INTO t VALUES (?)", ("rahasia-token-sesi",))
        with pytest.raises(exc.IntegrityError) as caught:
            conn.exec_driver_sql("INSERT INTO t VALUES (?)", ("rahasia-token-sesi",))
    engine.dispose()
    assert "rahasia-token-sesi" not in str(caught.value)
