"""`flask doctor` (issue 23 item 5): each check says in Indonesian and English what is wrong, and the command
fails when anything would keep the host from serving."""

from __future__ import annotations

from kinerja_web.config import DEV_SECRET_KEY
from kinerja_web.services.deployment import doctor


def by_name(found, name):
    return [c for c in found if c.name == name]


def test_pdf_fonts_and_folders_pass_on_this_machine(app):
    found = doctor.check_pdf(app) + doctor.check_folders(app)
    assert all(c.level == doctor.OK for c in found), found


def test_an_old_schema_is_an_error_that_names_the_command(app, monkeypatch):
    monkeypatch.setattr(doctor, "_current_revision", lambda conn: "r1_lama")
    (migration,) = by_name(doctor.check_database(app), "migrasi")
    assert migration.failed and "flask db upgrade" in migration.id_text and "r1_lama" in migration.en_text
    heads = doctor._migration_heads(app)
    monkeypatch.setattr(doctor, "_current_revision", lambda conn: heads[0])
    (migration,) = by_name(doctor.check_database(app), "migrasi")
    assert migration.level == doctor.OK


def test_an_unreachable_redis_is_an_error(app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    (queue,) = doctor.check_queue(app)
    assert queue.failed and "tidak dapat dihubungi" in queue.id_text and "not reachable" in queue.en_text


def test_the_development_secret_is_an_error_in_production_and_a_warning_elsewhere(app):
    app.config["SECRET_KEY"] = DEV_SECRET_KEY
    assert doctor.check_secrets(app)[0].level == doctor.WARN
    app.config["ENV_NAME"] = "production"
    assert doctor.check_secrets(app)[0].failed
    app.config["SECRET_KEY"] = "a" * 64
    checks = doctor.check_secrets(app)
    assert checks[0].level == doctor.OK and by_name(checks, "alamat publik")[0].level == doctor.WARN


def test_the_command_prints_both_languages_and_fails_on_an_error(app, monkeypatch):
    monkeypatch.setattr(doctor, "_current_revision", lambda conn: "r1_lama")
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "[GAL ] migrasi" in result.output and "this host is not ready" in result.output
    assert "WeasyPrint dan huruf siap." in result.output and "WeasyPrint and fonts are ready." in result.output
