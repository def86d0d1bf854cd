"""Locking a rating period/window (issue #5 item 8; domain §2.9, §2.8 step 4).

HR locks a period (annual) or one periodic window once every rating is final. The lock is one row per
(period, window): a second lock or a double click finds it and issues nothing again. A background job
(`penilaian_kunci`, progress bar) then issues the evaluation and penetapan documents (`documents`).

The day the evaluation document is issued is the day the result is given to the employee
(`PerformanceRating.result_given_on`): the 14-day keberatan deadline runs from it.
The job takes the documents batch path (`documents.batches`: numbers reserved in one pass, rendering on every
worker process, merged PDF + ZIP). Functions flush; only the job handler commits.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exc, func, select

from ...domain import DomainError
from ...domain.documents import DocStatus
from ...domain.keberatan import batas_keberatan
from ...domain.labels import tanggal
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import (
    Employee,
    IssuedDocument,
    Job,
    PerformanceRating,
    Period,
    RatingLock,
    RatingStatus,
    Skp,
    Unit,
    User,
)
from .. import jobs, rating_rules
from ..documents import batches
from ..documents.issuing import documents_of
from ..jobs import Progress, hand_off
from ..org import appraisers
from . import ratings, windows
from .documents import (
    COMPLETED_REASON,
    EVALUATION_REPLACED,
    penetapan_ref,
    penetapan_units,
    prepare_evaluation,
    prepare_penetapan,
    revoke_replaced,
)

JOB_KIND = "penilaian_kunci"
log = logging.getLogger(__name__)


# --- the lock --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unfinished:
    employee: Employee
    appraiser: Employee | None
    reason: str


class NotReady(DomainError):
    """The window cannot be locked yet; `rows` says who is not finished."""

    def __init__(self, rows: list[Unfinished]):
        super().__init__(
            f"Periode belum dapat dikunci: {len(rows)} pegawai belum memiliki penilaian final "
            "(daftar di bawah). Minta pejabat penilainya menyelesaikan penilaian terlebih dahulu."
        )
        self.rows = rows


def lock_of(period_id: int, window_no: int) -> RatingLock | None:
    return db.session.scalar(
        select(RatingLock).where(RatingLock.period_id == period_id, RatingLock.window_no == window_no)
    )


def final_ratings(period: Period, window_no: int) -> list[PerformanceRating]:
    return list(
        db.session.scalars(
            select(PerformanceRating)
            .join(Employee, Employee.id == PerformanceRating.employee_id)
            .where(
                PerformanceRating.period_id == period.id,
                PerformanceRating.window_no == window_no,
                PerformanceRating.status == RatingStatus.FINAL,
            )
            .order_by(Employee.name, Employee.id)
        )
    )


def unfinished(period: Period, window_no: int, on: date) -> list[Unfinished]:
    """Draft ratings, and active employees with an approved SKP in the period but no rating in the window."""
    by_employee = windows.ratings_by_employee(period, window_no)
    with_skp = db.session.scalars(
        select(Employee)
        .where(
            Employee.active.is_(True),
            Employee.id.in_(
                select(Skp.employee_id).where(Skp.period_id == period.id, Skp.status == SkpStatus.APPROVED)
            ),
        )
        .order_by(Employee.name)
    ).all()
    out: list[Unfinished] = []
    seen: set[int] = set()
    for emp in with_skp:
        seen.add(emp.id)
        r = by_employee.get(emp.id)
        if r is None or not r.is_final:
            a = appraisers.appraiser_of(emp, on)
            out.append(Unfinished(emp, a.employee if a else None, "belum dinilai" if r is None else "masih draf"))
    for r in by_employee.values():
        if r.employee_id not in seen and not r.is_final:
            a = appraisers.appraiser_of(r.employee, on)
            out.append(Unfinished(r.employee, a.employee if a else None, "masih draf"))
    return sorted(out, key=lambda u: u.employee.name)


def lock(period: Period, window_no: int, actor: User, today: date, base_url: str) -> tuple[RatingLock, bool]:
    """Lock the window and enqueue the document job (commits). Returns (lock, newly_locked).

    Refuses with `NotReady` while ratings are unfinished. Twice (or two clicks at once) locks once: the
    unique (period, window) row lets one transaction through; the other finds it and returns it.
    """
    windows.window_label(period, window_no)
    existing = lock_of(period.id, window_no)
    if existing is not None:
        return existing, False
    missing = unfinished(period, window_no, today)
    if missing:
        raise NotReady(missing)
    if not final_ratings(period, window_no):
        raise DomainError("Belum ada penilaian final pada periode ini; tidak ada dokumen yang dapat diterbitkan.")
    row = RatingLock(period_id=period.id, window_no=window_no, issued_on=today, locked_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except exc.IntegrityError:
        existing = lock_of(period.id, window_no)
        if existing is None:
            raise
        return existing, False
    start_job(row, actor, base_url)
    return row, True


def start_job(
    row: RatingLock, actor: User, base_url: str, rerun: bool = False, idempotency_key: str | None = None
) -> Job:
    """Create the document job of a lock, point the lock at it, commit, and hand it to the queue.

    A re-run (after fixing e.g. an employee without unit kerja) issues only what is still missing: every
    document has an idempotency key per rating / unit. The re-run form's own key (Job.idempotency_key) makes
    a double click start one job: a simultaneous second flush raises IntegrityError (the view answers).
    """
    period = row.period
    label = windows.window_label(period, row.window_no)
    params = {
        "period_id": period.id,
        "window_no": row.window_no,
        "issued_on": row.issued_on.isoformat(),
        "base_url": base_url,
        "lock_id": row.id,
        "workers": 2,  # processes rendering the documents (documents.batches)
    }
    job = Job(
        kind=JOB_KIND,
        title=f"Kunci penilaian {label}: terbitkan dokumen evaluasi dan penetapan predikat"
        + (" (ulang)" if rerun else ""),
        params=params,
        created_by_id=actor.id,
        total=len(final_ratings(period, row.window_no)) + len(penetapan_units(period, row.window_no)),
        idempotency_key=idempotency_key,
    )
    db.session.add(job)
    db.session.flush()
    row.job_id = job.id
    hand_off(job)  # released to the queue when this commit is over (outbox)
    db.session.commit()
    return job


def rerun(row: RatingLock, actor: User, base_url: str, key: str | None) -> Job:
    """Start the lock's document job again under the re-run form's key: a double click starts one job.

    The same form sent twice at once: the second flush hits the unique key, so it finds the first one's job.
    """
    try:
        return jobs.job_with_key(key) or start_job(row, actor, base_url, rerun=True, idempotency_key=key)
    except exc.IntegrityError:
        db.session.rollback()
        job = jobs.job_with_key(key)
        if job is None:
            raise
        return job


def lock_of_job(job: Job) -> RatingLock | None:
    """The lock whose documents the job issues (None for a job of another kind or a lock gone since)."""
    if job.kind != JOB_KIND:
        return None
    return db.session.get(RatingLock, (job.params or {}).get("lock_id") or 0)


def rerun_job(job: Job, actor: User, base_url: str, key: str | None) -> Job:
    """ "Jalankan ulang"/"Ulangi" on a lock's finished job (failed, or done with failures): the lock's job again."""
    row = lock_of_job(job)
    if row is None:
        raise DomainError("Kunci penilaian pekerjaan ini tidak ditemukan.")
    if not job.finished:
        raise DomainError("Penerbitan dokumen masih berjalan.")
    return rerun(row, actor, base_url, key)


def lock_key(rating_id: int) -> str:
    """The idempotency key of a rating's evaluation document issued by the lock job: issued once per rating."""
    return f"evaluasi:{rating_id}:kunci"


def run_lock(job: Job, progress: Progress) -> dict:
    """Issue every evaluation document, then every penetapan document, through the documents batch path
    (`documents.batches`): numbers are reserved here in one pass (pending rows under their keys), the documents
    are rendered on every worker process (`params["workers"]`) and merged into the job's files (merged PDF in
    parts + ZIP). Once rendered, each rating's result is given (`result_given_on`, the employee notified of the
    keberatan deadline) and the versions the new documents replace are revoked (`_give_results`).

    A re-run (or a job resumed after a lost worker) issues only what is missing: a rating or unit whose document
    exists under its key gets none, and rows an earlier run left pending are adopted and rendered."""
    p = dict(job.params)
    job_id = job.id
    period = db.session.get(Period, p["period_id"])
    window_no = int(p["window_no"])
    rating_ids = [r.id for r in final_ratings(period, window_no)]
    unit_ids = [u.unit_id for u in penetapan_units(period, window_no)]
    result = batches.run_reserved(job, progress, lambda: _reserve(job_id, p, rating_ids, unit_ids))
    t, c = time.monotonic(), time.process_time()
    _give_results(job_id, p, rating_ids, unit_ids)
    log.info("Lock job %s: results given in %.2f s (CPU %.2f s)", job_id, time.monotonic() - t, time.process_time() - c)
    return {**result, "evaluasi": len(rating_ids), "penetapan": len(unit_ids)}


def _reserve(job_id: int, p: dict, rating_ids: list[int], unit_ids: list[int]) -> list[dict]:
    """Phase 1 of the lock job: a numbered pending row per rating and per unit still without its document."""
    user_id, base_url = db.session.get(Job, job_id).created_by_id, p.get("base_url")
    period = db.session.get(Period, p["period_id"])
    window_no, issued_on = int(p["window_no"]), date.fromisoformat(p["issued_on"])
    keys = {lock_key(rid): rid for rid in rating_ids}
    existing = batches.adopt(job_id, list(keys))  # pending rows of an earlier run are rendered by this one

    def evaluation(rid: int) -> None:
        rating = db.session.get(PerformanceRating, rid)
        prepare_evaluation(rating, issued_on, user_id, key=lock_key(rid), base_url=base_url, job_id=job_id)

    def rating_failure(rid: int, e: DomainError) -> dict:
        emp = db.session.get(PerformanceRating, rid).employee
        return {"name": emp.full_name, "nip": emp.nip, "reason": e.message}

    def penetapan(uid: int) -> None:
        key = prepare_penetapan(db.session.get(Unit, uid), period, window_no, issued_on, user_id, base_url, job_id)
        if key is not None:
            batches.adopt(job_id, [key])

    def unit_failure(uid: int, e: DomainError) -> dict:
        return {"name": db.session.get(Unit, uid).name, "nip": None, "reason": e.message}

    todo = [rid for key, rid in keys.items() if key not in existing]
    return batches.reserve_each(todo, evaluation, rating_failure) + batches.reserve_each(
        unit_ids, penetapan, unit_failure
    )


GIVE_CHUNK = 100  # ratings given their result per commit


def _give_results(job_id: int, p: dict, rating_ids: list[int], unit_ids: list[int]) -> None:
    """After rendering: for every rating whose lock document is issued (by this run or an earlier one), the result
    is given on the issue date (once: `result_given_on`, and the employee told the keberatan deadline) and the
    valid older evaluation document is revoked in favour of it; every unit keeps one valid penetapan (the newest).
    Idempotent, committed per GIVE_CHUNK ratings (a resumed job gives the rest)."""
    user_id = db.session.get(Job, job_id).created_by_id
    period = db.session.get(Period, p["period_id"])
    window_no, issued_on = int(p["window_no"]), date.fromisoformat(p["issued_on"])
    label = windows.window_label(period, window_no)
    deadline = tanggal(batas_keberatan(issued_on, rating_rules.batas_on(issued_on).data))
    for start in range(0, len(rating_ids), GIVE_CHUNK):
        chunk = rating_ids[start : start + GIVE_CHUNK]
        issued = dict(
            db.session.execute(
                select(IssuedDocument.idempotency_key, IssuedDocument.id).where(
                    IssuedDocument.idempotency_key.in_([lock_key(rid) for rid in chunk]),
                    IssuedDocument.status == DocStatus.VALID,
                )
            ).all()
        )
        for rid in chunk:
            doc_id = issued.get(lock_key(rid))
            if doc_id is None:
                continue  # failed (listed in the job's failures) or revoked since by a keberatan decision
            rating = db.session.get(PerformanceRating, rid)
            revoke_replaced(db.session.get(IssuedDocument, doc_id), EVALUATION_REPLACED, user_id)
            if rating.result_given_on is None:
                rating.result_given_on = issued_on
                ratings.notify_employee(
                    rating,
                    f"Dokumen evaluasi kinerja {label} Anda terbit (predikat {rating.predikat.label}). "
                    f"Keberatan dapat diajukan paling lambat {deadline}.",
                )
        db.session.commit()
    for uid in unit_ids:
        newest = next((d for d in documents_of(penetapan_ref(uid, period.id, window_no)) if d.is_valid), None)
        if newest is not None:
            revoke_replaced(newest, COMPLETED_REASON, user_id)
    db.session.commit()


def job_documents(job_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(IssuedDocument.doc_type, func.count(IssuedDocument.id))
        .where(IssuedDocument.job_id == job_id, IssuedDocument.status != DocStatus.PENDING)
        .group_by(IssuedDocument.doc_type)
    ).all()
    return {t.value: n for t, n in rows}


def locks_of(period: Period) -> dict[int, RatingLock]:
    return {r.window_no: r for r in db.session.scalars(select(RatingLock).where(RatingLock.period_id == period.id))}
