"""Referral generation when the database is busy: words for HR (never SQL), parts already written are kept, and
"Ulangi" completes the rest; the queue's own actions report a busy database the same way."""

from __future__ import annotations

import sqlite3
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from kinerja_web.domain.development import ReasonKind
from kinerja_web.extensions import db
from kinerja_web.models import Job, JobStatus, Referral
from kinerja_web.services.development import suggestions as generation
from kinerja_web.web import BUSY_MESSAGE

from ..referral_fixtures import *  # noqa: F403


def _locked(*args, **kwargs):
    raise OperationalError("SELECT evaluatee.id FROM evaluatee", {}, sqlite3.OperationalError("database is locked"))


def _generate(hr, ns):
    r = hr.post("/pengembangan/antrean/buat", data={"period_id": ns.period.id})
    assert r.status_code == 303
    return db.session.scalars(select(Job).order_by(Job.id.desc())).first(), r.headers["Location"]


def test_a_locked_database_fails_the_job_in_words_keeps_what_was_written_and_retry_completes(
    app, dev_world, monkeypatch
):
    ns = dev_world
    hr = app.test_client(user=ns.u_hr)
    monkeypatch.setattr(generation, "jp_totals", _locked)  # step 4 of 4 (the 20 JP check) meets the lock
    job, location = _generate(hr, ns)
    assert job.status == JobStatus.FAILED and job.message == generation.BUSY_MESSAGE
    page = hr.get(location).get_data(as_text=True)
    assert "Basis data sedang sibuk" in page and "Ulangi" in page
    assert "SELECT" not in page and "database is locked" not in page
    # The predikat suggestions were committed before the lock: they stay.
    kinds = set(db.session.scalars(select(Referral.reason_kind)))
    assert kinds == {ReasonKind.PREDIKAT_RENDAH, ReasonKind.PREDIKAT_TINGGI}
    before = db.session.scalar(select(func.count(Referral.id)))

    monkeypatch.undo()
    r = hr.post(f"/pengembangan/antrean/pekerjaan/{job.id}/ulangi")
    assert r.status_code == 303
    new = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert new.status == JobStatus.DONE, new.message
    assert ReasonKind.PREDIKAT_RENDAH.value not in new.result["created"]  # one per trigger: nothing twice
    assert ReasonKind.JP_KURANG.value in new.result["created"]
    assert db.session.scalar(select(func.count(Referral.id))) == before + sum(new.result["created"].values())


def test_suggestions_are_written_in_parts_with_a_checkpoint_after_each(app, dev_world, monkeypatch):
    monkeypatch.setattr(generation, "CHUNK", 2)
    seen: list[int] = []
    result = generation.generate_suggestions(
        dev_world.period,
        date(2026, 10, 1),
        checkpoint=lambda: seen.append(db.session.scalar(select(func.count(Referral.id)))),
    )
    total = sum(result.created.values())
    assert total > 2 and len(seen) >= 3  # parts of two, and one after each rule's rows
    assert seen == sorted(seen) and seen[-1] <= total


def test_starting_generation_on_a_locked_database_says_so_instead_of_an_error_page(app, dev_world, monkeypatch):
    from kinerja_web.blueprints.development.views import queue as queue_views

    monkeypatch.setattr(queue_views, "enqueue", _locked)
    r = app.test_client(user=dev_world.u_hr).post(
        "/pengembangan/antrean/buat", data={"period_id": dev_world.period.id}, follow_redirects=True
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and BUSY_MESSAGE in page and "SELECT" not in page
    assert not db.session.scalar(select(func.count(Job.id)))
