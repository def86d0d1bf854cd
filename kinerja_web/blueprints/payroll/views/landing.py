"""Every URL a payroll form posts to answers GET as well (issue 19 item 7).

A person lands on such a URL by reloading after a boosted POST that re-rendered its page (a refused computation,
an import with errors: the address bar then shows the form's `action`), by a bookmark or by typing it. A GET there
is sent (303) to the page the form lives on, which loads and authorizes as usual, instead of a 405.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect, url_for
from flask_login import current_user, login_required

from .... import access
from ....jobs import pages as job_pages
from .. import bp
from .runs import RUN_JOB_KINDS, job_run_id


def _runs(**_) -> str:
    return url_for("payroll.index")


def _run(run_id: int, **_) -> str:
    return url_for("payroll.show", run_id=run_id)


def _attendance(**_) -> str:
    return url_for("payroll.attendance")


def _tpp_status(**_) -> str:
    return url_for("payroll.tpp_status")


def _job(job_id: int) -> str:
    """A retried job's run page with its progress (404 unless the user may see that job)."""
    job = job_pages.get_for_page(job_id, current_user, *RUN_JOB_KINDS, where=lambda j: job_run_id(j) is not None)
    access.require(access.can_view_payroll(current_user))
    return url_for("payroll.show", run_id=job_run_id(job), job=job.id)


# rule (as the POST routes spell it) → the page its form lives on
POSTED_TO: dict[str, Callable[..., str]] = {
    "/run": _runs,
    "/run/<int:run_id>/<any(hitung, verifikasi, setujui, final, hapus, kompensasi):action>": _run,
    "/run/<int:run_id>/slip/<any(terbitkan, gantikan):action>": _run,
    "/run/<int:run_id>/daftar/terbitkan": _run,
    "/pekerjaan/<int:job_id>/ulangi": _job,
    "/kehadiran/<any(impor, koreksi):action>": _attendance,
    "/predikat/impor": _attendance,
    "/status-tpp/<int:period_id>/akhiri": _tpp_status,
}


def _landing(page: Callable[..., str]):
    @login_required
    def view(**args):
        return redirect(page(**args), 303)

    return view


for number, (rule, page) in enumerate(POSTED_TO.items()):
    bp.add_url_rule(rule, f"landing_{number}", _landing(page), methods=["GET"])
