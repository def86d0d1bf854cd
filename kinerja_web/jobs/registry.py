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
    from ..blueprints.documents import services as documents
    from ..blueprints.employees import import_views as employee_import
    from ..blueprints.payroll import services as payroll
    from ..blueprints.rating import documents as rating_documents
    from ..services import development

    return {
        "dokumen_batch": documents.run_batch,  # a documents batch (decrees, certificates, payslips)
        employee_import.JOB_KIND: employee_import.run_import_job,  # "import_pegawai": a large employee import
        "payroll_compute": payroll.compute_job,  # a payroll run's computation
        rating_documents.JOB_KIND: rating_documents.run_lock,  # the documents of a locked rating window
        development.GENERATE_JOB: development.generate_job,  # referral suggestions from a period's results
    }


def periodic_tasks() -> list[PeriodicSetup]:
    """The areas' periodic tasks (times in UTC; huey crontabs are UTC)."""
    from ..blueprints.evaluation360 import cli as evaluation360_cli
    from ..blueprints.referrals import cli as referrals_cli
    from ..blueprints.skp import services as skp

    return [
        skp.schedule_daily_rerouting,  # skp_ikuti_pejabat_penilai, 00.05 WIB
        evaluation360_cli.schedule_daily_reminders,  # penilaian360_pengingat, 08.00 WIB
        referrals_cli.schedule_jp_reminders,  # pengembangan_pengingat_jp, 08.15 WIB
    ]
