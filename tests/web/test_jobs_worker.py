"""Background jobs through the real queue: `flask worker` processes on a SQLite file.

- Generating referral suggestions (the real `rujukan_usulan` job) completes and creates suggestions while a
  documents batch writes at the same time: its progress reports never wait on its own write lock.
- A worker killed (SIGKILL) in the middle of a documents batch leaves a running job whose heartbeat stops: after
  the stale window the job is handed to the queue again under its own id and a live worker process finishes the
  batch, with no number issued twice and none skipped.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import date

import pytest
from flask_login import FlaskLoginClient
from sqlalchemy import func, select

from benchmarks.documents import batch_params, children, make_app, seed
from kinerja_web.domain.documents import DocStatus
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import (
    Employee,
    IssuedDocument,
    Job,
    JobStatus,
    NumberEntry,
    PerformanceRating,
    RatingStatus,
    Referral,
    Role,
    User,
)
from kinerja_web.services import jobs
from kinerja_web.services.development import rules as referral_rules
from kinerja_web.services.development import suggestions as generation

from .skp_fixtures import make_period
from .worker_process import start_worker, stop_worker, worker_env

DEADLINE_S = 90  # a hang guard
STALE_S = 3  # the worker stamps the heartbeat every 0.6 s

pytestmark = pytest.mark.multiprocess


def _wait(consumer, tmp_path, started, until) -> list[Job]:
    while True:
        db.session.rollback()  # a fresh snapshot: the worker processes commit meanwhile
        jobs_now = until()
        if jobs_now is not None:
            return jobs_now
        assert consumer.poll() is None, (tmp_path / "worker.log").read_text()[-2000:]
        assert time.monotonic() - started < DEADLINE_S, (tmp_path / "worker.log").read_text()[-2000:]
        time.sleep(0.1)


def _hr_user() -> User:
    user = User(username="kepegawaian")
    user.set_password("rahasia-uji-123")
    user.set_roles({Role.ADMIN_KEPEGAWAIAN})
    db.session.add(user)
    db.session.commit()
    return user


def _referral_world(opd_id: int) -> int:
    """Demo-like inputs of the referral rules: version-1 rules, a 2026 period with final annual ratings (one low,
    one high predikat) and employees below 20 JP in October (the JP rule's month has passed). Returns the period id."""
    period = make_period()
    referral_rules.seed_default_rules(date(2026, 1, 1))
    low, high = db.session.scalars(select(Employee).where(Employee.unit_id == opd_id).order_by(Employee.id)).all()[:2]
    for emp, hasil, perilaku, predikat in (
        (low, Ekspektasi.DI_BAWAH, Ekspektasi.DI_BAWAH, Predikat.SANGAT_KURANG),
        (high, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK),
    ):
        db.session.add(
            PerformanceRating(
                employee_id=emp.id,
                period_id=period.id,
                hasil_kerja=hasil,
                perilaku_kerja=perilaku,
                predikat=predikat,
                status=RatingStatus.FINAL,
            )
        )
    account = User(username=low.nip, employee_id=low.id)  # receives the 20 JP reminder
    account.set_password("rahasia-uji-123")
    account.set_roles({Role.PEGAWAI})
    db.session.add(account)
    db.session.commit()
    return period.id


def test_referral_generation_completes_in_a_worker_while_a_documents_batch_writes(tmp_path):
    started = time.monotonic()
    workdir = str(tmp_path)
    subjects = 2
    app = make_app(workdir, immediate=False)
    app.config["DOCUMENT_BATCH_DIR"] = workdir
    with app.app_context():
        opd_id = seed(subjects)
        period_id = _referral_world(opd_id)
        hr = _hr_user()
        consumer = start_worker(tmp_path, worker_env(workdir), workers=2)
        try:
            gen = jobs.enqueue(
                generation.GENERATE_JOB,
                "Usulan rujukan",
                {"period_id": period_id, "today": "2026-10-01"},
                hr.id,
                total=4,
            )
            batch = jobs.enqueue("dokumen_batch", "Batch", batch_params(opd_id, "a"), hr.id)
            db.session.commit()  # hands both jobs to the worker

            def finished():
                rows = [db.session.get(Job, j.id) for j in (gen, batch)]
                return rows if all(j.finished for j in rows) else None

            gen, batch = _wait(consumer, tmp_path, started, finished)
        finally:
            stop_worker(consumer)

        assert gen.status == JobStatus.DONE, gen.message
        created = {"predikat_rendah": 1, "predikat_tinggi": 1, "jp_kurang": subjects}  # everyone is below 20 JP
        assert gen.message == f"{subjects + 2} usulan baru"
        assert gen.result == {"created": created, "reminders": 1}
        assert (gen.progress, gen.total) == (4, 4)
        kinds = db.session.execute(select(Referral.reason_kind, func.count()).group_by(Referral.reason_kind)).all()
        assert {k.value: n for k, n in kinds} == created
        assert batch.status == JobStatus.DONE, batch.message
        assert batch.result["issued"] == subjects


def test_a_killed_worker_leaves_a_job_that_another_worker_finishes_under_its_own_id(tmp_path):
    started = time.monotonic()
    workdir = str(tmp_path)
    subjects = 10
    app = make_app(workdir, immediate=False)
    app.config.update(DOCUMENT_BATCH_DIR=workdir, JOB_STALE_SECONDS=STALE_S, WTF_CSRF_ENABLED=False)
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        opd_id = seed(subjects)
        hr = _hr_user()
        consumer = start_worker(tmp_path, worker_env(workdir, KINERJA_JOB_STALE_SECONDS=str(STALE_S)), workers=1)
        try:
            job = jobs.enqueue("dokumen_batch", "Batch", batch_params(opd_id, "k", workers=1), hr.id)
            db.session.commit()

            def rendering():
                row = db.session.get(Job, job.id)
                return [row] if row.status == JobStatus.RUNNING and row.progress >= 2 else None

            (job,) = _wait(consumer, tmp_path, started, rendering)
            for pid in children(consumer.pid):  # the worker process and huey's scheduler process
                os.kill(pid, signal.SIGKILL)  # mid-batch: nothing gets to say the job ended; huey restarts them
            client = app.test_client(user=hr)
            db.session.rollback()
            body = client.get(f"/dokumen/batch/{job.id}").get_data(as_text=True)
            assert "Berjalan" in body and "Ulangi" not in body  # within the stale window it may still be alive

            time.sleep(STALE_S + 0.5)
            body = client.get(f"/dokumen/batch/{job.id}").get_data(as_text=True)  # sees it stopped: hands it on
            assert "Gagal" not in body and "Ulangi" not in body
            retry_id = job.id

            def retried():
                row = db.session.get(Job, retry_id)
                return [row] if row.finished else None

            (retry,) = _wait(consumer, tmp_path, started, retried)
        finally:
            stop_worker(consumer)

        assert retry.status == JobStatus.DONE, retry.message
        assert retry.resumed == 1 and retry.result["issued"] == subjects
        assert db.session.scalar(select(func.count(Job.id))) == 1  # finished under its own id
        documents = db.session.scalars(select(IssuedDocument)).all()
        assert len(documents) == subjects, "a document issued twice"
        assert all(d.status == DocStatus.VALID for d in documents)
        assert len({d.number for d in documents}) == subjects
        seqs = sorted(db.session.scalars(select(NumberEntry.seq)))
        assert seqs == list(range(1, subjects + 1)), "a number skipped or taken twice"
