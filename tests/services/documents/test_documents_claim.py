"""Two renderers claiming the same batch on SQLite: nobody stops while unclaimed documents are left.

SQLite ignores FOR UPDATE SKIP LOCKED. Before `claim` took the write lock first, both renderers could select
the same pending rows; the later update then matched none, that renderer got an empty claim and quit as if
the batch were done, and the other process rendered the rest alone (a 2-worker batch ran at 1-worker speed).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from benchmarks.documents import batch_params, make_app, seed
from kinerja_web.domain.documents import DocStatus
from kinerja_web.extensions import db
from kinerja_web.models import IssuedDocument, Job
from kinerja_web.services.documents.batches import claim, reserve_batch

DOCUMENTS = 120


def _unclaimed(job_id: int) -> int:
    return db.session.scalar(
        select(func.count(IssuedDocument.id)).where(
            IssuedDocument.job_id == job_id,
            IssuedDocument.status == DocStatus.PENDING,
            IssuedDocument.claim_token.is_(None),
        )
    )


def test_an_empty_claim_means_nothing_is_left_even_when_two_renderers_race(tmp_path):
    app = make_app(str(tmp_path), immediate=True)
    with app.app_context():
        opd_id = seed(DOCUMENTS)
        job = Job(
            kind="dokumen_batch",
            title="Klaim bersamaan",
            params=batch_params(opd_id, "klaim"),
        )
        db.session.add(job)
        db.session.commit()
        assert reserve_batch(job) == []
        job_id = job.id
        db.session.remove()

    claimed: dict[str, list[int]] = {}
    left_when_stopped: dict[str, int] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def renderer(token: str) -> None:
        try:
            with app.app_context():
                mine: list[int] = []
                start.wait()
                while ids := claim(job_id, token, n=1):
                    mine.extend(ids)
                left_when_stopped[token] = _unclaimed(job_id)
                db.session.remove()
                claimed[token] = mine
        except BaseException as e:  # reported below: a thread's exception would otherwise vanish
            errors.append(e)

    threads = [threading.Thread(target=renderer, args=(t,)) for t in ("a" * 16, "b" * 16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert left_when_stopped == {"a" * 16: 0, "b" * 16: 0}
    everything = claimed["a" * 16] + claimed["b" * 16]
    assert sorted(everything) == sorted(set(everything)), "a document claimed twice"
    assert len(everything) == DOCUMENTS


def test_a_helper_started_before_the_numbers_waits_for_them_and_renders(tmp_path):
    """The helper process starts while the main process still reserves: an empty claim then means "not yet"."""
    from sqlalchemy import update

    from kinerja_web.services.documents.batches import PHASE_RESERVE, render_pending

    app = make_app(str(tmp_path), immediate=True)
    with app.app_context():
        opd_id = seed(4)
        job = Job(
            kind="dokumen_batch",
            title="Pembantu lebih dulu",
            params=batch_params(opd_id, "awal"),
            result=PHASE_RESERVE,
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()

    rendered: list[int] = []

    def helper() -> None:
        with app.app_context():
            rendered.append(render_pending(job_id))
            db.session.remove()

    thread = threading.Thread(target=helper)
    thread.start()
    thread.join(timeout=0.5)
    assert thread.is_alive(), "the helper stopped before any number was reserved"
    with app.app_context():
        assert reserve_batch(db.session.get(Job, job_id)) == []
        db.session.execute(update(Job).where(Job.id == job_id).values(result=None))
        db.session.commit()
    thread.join(timeout=60)
    assert not thread.is_alive() and rendered == [4]
