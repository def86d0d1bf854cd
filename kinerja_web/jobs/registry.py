"""Every background job kind and every periodic task, in one place (STYLE.md §2.17: wiring you can read).

A job kind maps to the handler that performs it: `handler(job, progress) -> dict | None`, run by
`runner.execute` in an app context (no request). A periodic task is a setup function `(app, huey)` that declares
its huey periodic task; `pekerjaan_terhenti` (orphaned jobs) is the runner's own. The area modules are imported
when the app is created, not when this module is.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from ..models.job import Job
from ..services.jobs import Progress

JobHandler = Callable[[Job, Progress], dict | None]
PeriodicSetup = Callable[[Flask, object], None]


def handlers() -> dict[str, JobHandler]:
    """Job kind → handler."""
    from ..services.development import suggestions
    from ..services.documents import batches
    from ..services.employees import import_job
    from ..services.payroll import compute
    from ..services.public_service import import_job as service_import_job
    from ..services.rating import locking

    return {
        "dokumen_batch": batches.run_batch,  # a documents batch (decrees, certificates, payslips)
        import_job.JOB_KIND: import_job.run_import_job,  # "import_pegawai": a large employee import
        "payroll_compute": compute.compute_job,  # a payroll run's computation
        service_import_job.JOB_KIND: service_import_job.run_import_job,  # "impor_layanan": a large service log
        locking.JOB_KIND: locking.run_lock,  # the documents of a locked rating window
        suggestions.GENERATE_JOB: suggestions.generate_job,  # referral suggestions from a period's results
    }


def periodic_tasks() -> list[PeriodicSetup]:
    """The areas' periodic tasks (times in UTC; huey crontabs are UTC)."""
    from ..services.complaints import register as complaints
    from ..services.development import jp
    from ..services.evaluation360 import reminders
    from ..services.skp import rerouting

    return [
        rerouting.schedule_daily_rerouting,  # skp_ikuti_pejabat_penilai, 00.05 WIB
        reminders.schedule_daily_reminders,  # penilaian360_pengingat, 08.00 WIB
        jp.schedule_jp_reminders,  # pengembangan_pengingat_jp, 08.15 WIB
        complaints.schedule_daily_reminders,  # pengaduan_pengingat, 08.30 WIB
    ]
