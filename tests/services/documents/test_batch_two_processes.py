"""A documents batch through the real queue: `flask worker --workers 2` (two processes) on a SQLite file.

Two batches on the same register are queued together, so the two processes reserve numbers at the same time
(each batch's reservation is one transaction) and then render, each helping the other's batch when its own is
done. The register must come out gap-free and without a number taken twice, and both batches must complete.
Runs in the normal suite: about 10 s on a quiet 2-core machine (worker start-up plus 8 one-page decrees).
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from benchmarks.documents import batch_params, make_app, seed
from kinerja_web.domain.documents import DocStatus
from kinerja_web.extensions import db
from kinerja_web.models import IssuedDocument, Job, JobStatus, NumberEntry, NumberRegister
from kinerja_web.services import jobs

from ...web.worker_process import start_worker, stop_worker, worker_env

SUBJECTS = 4
DEADLINE_S = 90  # a hang guard; ~10 s on a quiet 2-core machine

pytestmark = pytest.mark.multiprocess


def test_two_worker_processes_share_batches_without_duplicate_or_missing_numbers(tmp_path):
    started = time.monotonic()
    workdir = str(tmp_path)
    app = make_app(workdir, immediate=False)
    app.config["DOCUMENT_BATCH_DIR"] = workdir
    with app.app_context():
        opd_id = seed(SUBJECTS)
        consumer = start_worker(tmp_path, worker_env(workdir), workers=2)
        try:
            a = jobs.enqueue("dokumen_batch", "Batch A", batch_params(opd_id, "a"), None)
            b = jobs.enqueue("dokumen_batch", "Batch B", batch_params(opd_id, "b"), None)
            db.session.commit()
            while True:
                db.session.rollback()  # a fresh snapshot: the worker processes commit meanwhile
                finished = [db.session.get(Job, j.id) for j in (a, b)]
                if all(j.finished for j in finished):
                    break
                assert consumer.poll() is None, (tmp_path / "worker.log").read_text()[-2000:]
                assert time.monotonic() - started < DEADLINE_S, [(j.status, j.progress) for j in finished]
                time.sleep(0.1)
        finally:
            stop_worker(consumer)

        assert [j.status for j in finished] == [JobStatus.DONE, JobStatus.DONE]
        assert [j.result["issued"] for j in finished] == [SUBJECTS, SUBJECTS]
        assert [j.result["failures"] for j in finished] == [[], []]

        register = db.session.scalars(select(NumberRegister)).one()
        seqs = list(db.session.scalars(select(NumberEntry.seq).where(NumberEntry.register_id == register.id)))
        assert sorted(seqs) == list(range(1, 2 * SUBJECTS + 1)), "a number taken twice or a gap in the register"
        assert register.counter == 2 * SUBJECTS

        documents = db.session.scalars(select(IssuedDocument).order_by(IssuedDocument.id)).all()
        assert len(documents) == 2 * SUBJECTS
        assert all(d.status == DocStatus.VALID and d.pdf_size > 0 and d.render_error is None for d in documents)
        assert len({d.number for d in documents}) == 2 * SUBJECTS
        entries = dict(db.session.execute(select(NumberEntry.id, NumberEntry.number)).all())
        assert all(entries[d.number_entry_id] == d.number for d in documents)
        # Both processes rendered: each claims its chunks under its own token.
        assert len({d.claim_token for d in documents}) >= 2

        for job in finished:
            merged = Path(workdir) / f"batch-{job.id}.pdf"
            assert len(PdfReader(io.BytesIO(merged.read_bytes())).pages) == SUBJECTS
            with zipfile.ZipFile(Path(workdir) / f"batch-{job.id}.zip") as zf:
                assert len(zf.namelist()) == SUBJECTS
