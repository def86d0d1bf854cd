"""Background job rows: the queue (huey) runs the work, this row carries progress for the page."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow

# What a user reads when a job failed for a reason other than a `DomainError` (whose message is meant for users);
# the traceback, with any SQL and its parameters, goes to the server log under the same job id.
SYSTEM_ERROR_MESSAGE = "Pekerjaan gagal karena kesalahan sistem. Rincian dicatat di log server (kode: {job_id})."
# Until December 2026 a failed job stored the raw exception after this prefix (SQL statements with their
# parameters, e.g. an employee's payslip figures); such stored messages are never shown.
RAW_ERROR_PREFIX = "Pekerjaan gagal: "
# A batch's failure list (result["failures"]) stored a document's render error the same raw way ("OperationalError:
# … [SQL: …]"); such a reason reads as this.
FAILURE_SYSTEM_REASON = "Gagal karena kesalahan sistem. Rincian dicatat di log server (kode: {job_id})."
_RAW_EXCEPTION = re.compile(r"^[\w.]+(Error|Exception|Warning): |\[SQL: ")


class JobStatus(LabeledEnum):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Berjalan"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


class Job(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, 10), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict | None] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The submitted form's token (scope:token): the same form sent twice, e.g. a double click, starts one job.
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    # Stamped by the worker while the job runs (progress reports and a heartbeat thread): a running job whose
    # heartbeat is older than JOB_STALE_SECONDS lost its worker process (services/jobs.recover_orphaned).
    heartbeat_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    # How often a resumable job was handed to another worker after its own stopped (services/jobs.resume_orphaned).
    resumed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def succeeded(self) -> bool:
        """Finished without failing (its result may still list subjects it could not do)."""
        return self.status == JobStatus.DONE

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def failed(self) -> bool:
        """Ended in an error (its page offers "Ulangi")."""
        return self.status == JobStatus.FAILED

    @property
    def user_message(self) -> str | None:
        """The message pages show: progress text, the result, or why the job failed, never a raw exception."""
        if self.status == JobStatus.FAILED and (self.message or "").startswith(RAW_ERROR_PREFIX):
            return SYSTEM_ERROR_MESSAGE.format(job_id=self.id)
        return self.message

    @property
    def failures(self) -> list[dict]:
        """The result's failure list (who, why) as pages show it, without raw exceptions stored before."""
        out = []
        for failure in (self.result or {}).get("failures") or []:
            if _RAW_EXCEPTION.search(failure.get("reason") or ""):
                failure = {**failure, "reason": FAILURE_SYSTEM_REASON.format(job_id=self.id)}
            out.append(failure)
        return out
