"""Side effects after commit (STYLE.md §2.17): e-mail and job hand-offs leave only with a committed transaction.

A rolled-back action sends no mail and starts no job; a committed one sends exactly one mail and starts exactly
one job, right after its commit. The tests' own transaction wraps everything (the session's outermost transaction
is a savepoint of the test connection), so the view-level commit behaves here as it does in production.
"""

from __future__ import annotations

import pytest
from flask import has_request_context, url_for
from sqlalchemy import func, select

from kinerja_web import outbox
from kinerja_web.domain import DomainError
from kinerja_web.extensions import db
from kinerja_web.jobs import runner
from kinerja_web.models import Job, JobStatus, Notification
from kinerja_web.services import jobs
from kinerja_web.services.notifications import mail
from kinerja_web.services.notifications.notify import notify
from kinerja_web.web import attempt


@pytest.fixture
def smtp(app, monkeypatch):
    """SMTP configured, deliveries recorded instead of sent; each records whether a transaction was open."""
    sent: list[tuple[str, str, bool]] = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.lan")

    def deliver(cfg, address, subject, body):
        sent.append((address, subject, db.session().in_transaction()))
        return True

    monkeypatch.setattr(mail, "deliver", deliver)
    return sent


@pytest.fixture
def staff(org_chart):
    user = org_chart.u_staff
    user.employee.email = "staf@bkpsdm.lan"
    db.session.commit()
    return user


@pytest.fixture
def started(app, monkeypatch):
    """Job hand-offs recorded instead of run."""
    ids: list[int] = []
    monkeypatch.setitem(app.extensions, "kinerja_run_job", ids.append)
    return ids


def test_a_rolled_back_action_sends_no_mail(app, smtp, staff):
    with attempt(flash_category=None) as done:
        notify(staff, "uji", "SKP Anda telah disetujui")
        raise DomainError("ditolak")
    assert not done and smtp == []
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    db.session.commit()  # a later commit does not release what was rolled back
    assert smtp == [] and outbox.pending() == 0


def test_a_committed_action_sends_exactly_one_mail_after_the_commit(app, smtp, staff):
    with attempt(flash_category=None) as done:
        notify(staff, "uji", "SKP Anda telah disetujui")
        assert smtp == []  # nothing leaves during the transaction
    assert done
    assert smtp == [("staf@bkpsdm.lan", "Kinerja: SKP Anda telah disetujui", False)]
    db.session.commit()
    assert len(smtp) == 1


def test_no_mail_is_queued_without_smtp_or_an_address(app, staff, monkeypatch):
    assert mail.send_email(staff, "subjek", "isi") is False
    assert outbox.pending() == 0


def test_a_rolled_back_action_enqueues_nothing(app, started, org_chart):
    with attempt(flash_category=None):
        jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id)
        raise DomainError("ditolak")
    db.session.commit()
    assert started == []
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_committed_action_enqueues_exactly_one_job_after_the_commit(app, started, org_chart):
    job = jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id)
    assert job.id is not None and started == []  # flushed for its id, not handed off yet
    db.session.commit()
    assert started == [job.id]
    db.session.commit()
    assert started == [job.id]


def test_enqueue_with_the_same_key_twice_hands_off_one_job(app, started, org_chart):
    first = jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id, idempotency_key="form:abc")
    again = jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id, idempotency_key="form:abc")
    db.session.commit()
    assert again.id == first.id and started == [first.id]


def test_a_rolled_back_savepoint_drops_only_its_own_effects(app, started, org_chart):
    kept = jobs.enqueue("uji", "Tetap", {}, org_chart.u_hr.id)
    nested = db.session.begin_nested()
    jobs.enqueue("uji", "Dibatalkan", {}, org_chart.u_hr.id)
    nested.rollback()
    with db.session.begin_nested():  # a released savepoint: its effect waits for the outer commit
        released = jobs.enqueue("uji", "Dilepas", {}, org_chart.u_hr.id)
    assert started == []
    db.session.commit()
    assert started == [kept.id, released.id]


def test_an_uncommitted_transaction_closed_with_the_session_releases_nothing(app, started, org_chart):
    jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id)
    db.session.close()
    db.session.commit()
    assert started == []


def test_an_inline_job_runs_right_after_the_commit_and_may_commit_itself(app, org_chart, monkeypatch):
    seen = []

    def handler(job, progress):
        seen.append(db.session.get(Job, job.id).status)  # the session works again: the commit has returned
        again = jobs.enqueue("uji_kedua", "Kedua", {}, None)  # released by the job's own commit
        return {"next": again.id}

    monkeypatch.setitem(app.extensions["kinerja_job_handlers"], "uji", handler)
    monkeypatch.setitem(app.extensions["kinerja_job_handlers"], "uji_kedua", lambda job, progress: None)
    job = jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id)
    assert job.status == JobStatus.QUEUED
    db.session.commit()
    assert job.status == JobStatus.DONE and seen == [JobStatus.RUNNING]
    assert db.session.get(Job, job.result["next"]).status == JobStatus.DONE


def test_a_job_builds_links_with_url_for_without_a_request(app, org_chart, monkeypatch):
    links = []

    def handler(job, progress):
        links.append((has_request_context(), url_for("notifications.index", _external=False)))

    monkeypatch.setitem(app.extensions["kinerja_job_handlers"], "uji", handler)
    job = jobs.enqueue("uji", "Uji", {}, org_chart.u_hr.id)
    db.session.commit()
    assert links == [(False, "/notifikasi/")]
    assert db.session.get(Job, job.id).status == JobStatus.DONE


def test_links_outside_a_request_without_a_configured_server_name(tmp_path):
    from kinerja_web import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3", "HUEY_IMMEDIATE": True, "SECRET_KEY": "t"}
    )
    assert app.config["SERVER_NAME"] is None
    with app.app_context():
        assert url_for("notifications.index", _external=False) == "/notifikasi/"
    app.config["APPLICATION_ROOT"] = "/kinerja"
    with app.app_context():
        assert url_for("notifications.index", _external=False) == "/kinerja/notifikasi/"
    # Requests keep their own host: SERVER_NAME stays unset, nothing is refused or redirected elsewhere.
    assert app.test_client().get("/masuk", base_url="http://192.168.1.20").status_code in (200, 302, 308)


def test_the_runner_lists_every_handler_of_the_registry(app):
    from kinerja_web.jobs import registry

    assert app.extensions["kinerja_job_handlers"] == registry.handlers()
    assert runner.execute  # the one entry point huey calls
