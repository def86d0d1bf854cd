"""The lock job on the documents batch path: numbers reserved in one pass, rendered by two processes, merged.

Mirrors tests/services/documents/test_documents_claim.py: the benchmark's seed on a SQLite file, the job run by
`runner.execute`, a second renderer (the helper process a worker would start) as a thread.
"""

from __future__ import annotations

import io
import os
import threading
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from benchmarks.documents import LOCKED_ON, make_app, seed_lock
from kinerja_web.domain.documents import DocStatus, DocType
from kinerja_web.extensions import db
from kinerja_web.jobs import runner
from kinerja_web.models import Employee, IssuedDocument, Job, Notification, NumberEntry, PerformanceRating, Role, User
from kinerja_web.services.documents import batch_outputs, verification
from kinerja_web.services.documents.batches import RENDER_FAILED, render_pending
from kinerja_web.services.rating import locking


def _database_url() -> str | None:
    """With TEST_DATABASE_URL on PostgreSQL: a fresh database of its own (`<name>_kunci`), so the SKIP LOCKED claims
    run too and the tests' shared schema is left alone; otherwise None (a SQLite file in tmp_path)."""
    from sqlalchemy.engine import make_url

    from benchmarks import fresh_pg_database

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return None
    own = make_url(url).set(database=make_url(url).database + "_kunci").render_as_string(hide_password=False)
    assert fresh_pg_database(own), "PostgreSQL not reachable"
    return own


RATINGS = 6  # one OPD: 6 evaluation documents and 1 penetapan document


def _lock_job(app, count: int) -> int:
    with app.app_context():
        kind, title, params, user_id = seed_lock(count, workers=2)
        job = Job(kind=kind, title=title, params=params, created_by_id=user_id)
        db.session.add(job)
        db.session.commit()
        return job.id


def _numbers_by_register() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for e in db.session.scalars(select(NumberEntry).order_by(NumberEntry.seq)):
        out.setdefault(e.register_id, []).append(e.seq)
    return out


def _documents(doc_type: DocType) -> list[IssuedDocument]:
    return list(db.session.scalars(select(IssuedDocument).where(IssuedDocument.doc_type == doc_type)))


def test_two_processes_render_the_lock_documents_once_with_numbers_without_gaps(tmp_path):
    app = make_app(
        str(tmp_path), immediate=False, database_url=_database_url()
    )  # as on a worker: the helper starts before the numbers
    job_id = _lock_job(app, RATINGS)
    helpers: list[threading.Thread] = []
    rendered: list[int] = []

    def start_helper(jid: int) -> None:
        def run() -> None:
            with app.app_context():
                rendered.append(render_pending(jid))
                db.session.remove()

        helpers.append(threading.Thread(target=run))
        helpers[-1].start()

    app.extensions["kinerja_render_helper"] = start_helper
    with app.app_context():
        runner.execute(job_id)
        for t in helpers:
            t.join(timeout=120)
        job = db.session.get(Job, job_id)
        assert job.succeeded, job.message
        assert len(helpers) == 1 and len(rendered) == 1
        assert job.result["failures"] == [] and job.result["left"] == 0 and job.result["issued"] == RATINGS + 1
        evaluations = _documents(DocType.EVALUASI_KINERJA)
        assert sorted(d.employee_id for d in evaluations) == sorted(
            db.session.scalars(select(PerformanceRating.employee_id))
        )
        assert len(_documents(DocType.PENETAPAN_PREDIKAT)) == 1
        assert {d.status for d in evaluations} == {DocStatus.VALID}
        # each register counts 1..n: no number skipped, none taken twice
        assert sorted(len(s) for s in _numbers_by_register().values()) == [1, RATINGS]
        assert all(s == list(range(1, len(s) + 1)) for s in _numbers_by_register().values())
        assert {r.result_given_on for r in db.session.scalars(select(PerformanceRating))} == {LOCKED_ON}
        # the merged PDF and the ZIP hold every document once; every document verifies by its code and its bytes
        merged, zipped = batch_outputs.batch_files(job_id)
        docs = list(db.session.scalars(select(IssuedDocument).order_by(IssuedDocument.id)))
        assert len(PdfReader(merged).pages) == sum(d.page_count for d in docs)
        assert len(zipfile.ZipFile(zipped).namelist()) == len(docs)
        for d in docs:
            assert verification.find_by_code(d.verification_code).id == d.id
            assert verification.find_by_pdf(d.pdf).id == d.id and d.is_valid
        page = app.test_client().get(f"/verifikasi/{docs[0].verification_code}")
        assert page.status_code == 200 and docs[0].display_number in page.get_data(as_text=True)


def test_a_rerun_renders_what_failed_under_its_number_and_issues_nothing_twice(tmp_path, monkeypatch):
    from kinerja_web.services.documents import issuing

    app = make_app(str(tmp_path), immediate=True, database_url=_database_url())
    job_id = _lock_job(app, 4)
    real = issuing.render_document
    with app.app_context():
        unlucky = db.session.scalars(select(Employee).where(Employee.name == "Pegawai Bench 0002")).one()
        without_unit = db.session.scalars(select(Employee).where(Employee.name == "Pegawai Bench 0003")).one()
        unit_id, without_unit.unit_id = without_unit.unit_id, None  # incomplete record: refused before numbering
        user = User(username="pegawai2", session_token="t", password_hash="x", employee_id=unlucky.id)
        user.set_roles({Role.PEGAWAI})
        db.session.add(user)
        db.session.commit()

        def fails_for_the_unlucky(doc):
            if doc.employee_id == unlucky.id:
                raise RuntimeError("renderer crashed")
            real(doc)

        monkeypatch.setattr(issuing, "render_document", fails_for_the_unlucky)
        runner.execute(job_id)
        first = db.session.get(Job, job_id)
        assert first.succeeded
        reasons = {f["name"]: f["reason"] for f in first.result["failures"]}
        assert "belum diisi" in reasons["Pegawai Bench 0003"]
        pending = db.session.scalars(select(IssuedDocument).where(IssuedDocument.status == DocStatus.PENDING)).one()
        assert reasons["Pegawai Bench 0002"] == RENDER_FAILED.format(doc_id=pending.id)
        assert first.result["issued"] == 3  # 2 evaluations + the penetapan
        rating = db.session.scalars(select(PerformanceRating).where(PerformanceRating.employee_id == unlucky.id)).one()
        assert rating.result_given_on is None  # no document, no result given, nobody told a deadline
        assert db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all() == []
        numbered = pending.number

        monkeypatch.setattr(issuing, "render_document", real)
        db.session.get(Employee, without_unit.id).unit_id = unit_id
        again = Job(kind=locking.JOB_KIND, title="ulang", params=dict(first.params), created_by_id=first.created_by_id)
        db.session.add(again)
        db.session.commit()
        runner.execute(again.id)
        again = db.session.get(Job, again.id)
        assert again.succeeded and again.result["failures"] == [] and again.result["left"] == 0
        evaluations = _documents(DocType.EVALUASI_KINERJA)
        assert len(evaluations) == 4 and {d.status for d in evaluations} == {DocStatus.VALID}
        redone = next(d for d in evaluations if d.employee_id == unlucky.id)
        assert redone.id == pending.id and redone.number == numbered and redone.job_id == again.id
        assert all(s == list(range(1, len(s) + 1)) for s in _numbers_by_register().values())
        # the penetapan now lists the employee whose record was completed: the old one is revoked for it
        old, new = sorted(_documents(DocType.PENETAPAN_PREDIKAT), key=lambda d: d.id)
        assert old.status == DocStatus.REVOKED and old.replaced_by_id == new.id and len(new.subjects) == 4
        # the rerun's files hold what it issued: the adopted document, the completed one and the new penetapan
        assert again.result["issued"] == 3
        assert len(PdfReader(io.BytesIO(open(batch_outputs.batch_files(again.id)[0], "rb").read())).pages) == sum(
            d.page_count for d in (redone, new, next(d for d in evaluations if d.employee_id == without_unit.id))
        )
        db.session.refresh(rating)
        assert rating.result_given_on == LOCKED_ON
        (note,) = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
        assert "paling lambat" in note.message
