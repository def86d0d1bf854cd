"""Every URL a payroll form posts to answers GET as well (issue 19 item 7).

A person lands on such a URL by reloading after a boosted POST that re-rendered its page (a refused computation,
an import with errors: the address bar then shows the form's `action`), by a bookmark or by typing it. A GET there
is sent (303) to the page the form lives on, which loads and authorizes as usual, instead of a 405
(`web.form_targets_answer_get`).
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from .... import access
from ....jobs import pages as job_pages
from ....web import form_targets_answer_get
from .. import bp
from .runs import RUN_JOB_KINDS, job_run_id


def _runs(**_) -> str:
    return url_for("payroll.index")


def _run(run_id: int, **_) -> str:  # the step/action in the address is not needed
    return url_for("payroll.show", run_id=run_id)


def _attendance(**_) -> str:
    return url_for("payroll.attendance")


def _tpp_status(**_) -> str:
    return url_for("payroll.tpp_status")


def _deductions(**_) -> str:
    return url_for("payroll.deductions_page")


def _job(job_id: int) -> str:
    """A retried job's run page with its progress (404 unless the user may see that job)."""
    job = job_pages.get_for_page(job_id, current_user, *RUN_JOB_KINDS, where=lambda j: job_run_id(j) is not None)
    access.require(access.can_view_payroll(current_user))
    return url_for("payroll.show", run_id=job_run_id(job), job=job.id)


# POST view → the page its form lives on
form_targets_answer_get(
    bp,
    {
        "create": _runs,
        "compute": _run,
        "advance": _run,
        "delete": _run,
        "compensate": _run,
        "return_run": _run,
        "manual_decide": lambda **_: url_for("payroll.manual_amounts"),
        "issue_slips": _run,
        "replace_slips": _run,
        "issue_register_pdf": _run,
        "job_retry": _job,
        "attendance_import": _attendance,
        "attendance_correct": _attendance,
        "predikat_import": _attendance,
        "tpp_status_end": _tpp_status,
        "ptkp_open": lambda **_: url_for("payroll.ptkp_years_page"),
        "ptkp_confirm": lambda **_: url_for("payroll.ptkp_years_page"),
        "ptkp_override": lambda **_: url_for("payroll.ptkp_years_page"),
        "ytd_preview": lambda **_: url_for("payroll.ytd_page"),
        "ytd_confirm": lambda **_: url_for("payroll.ytd_page"),
        "bukti_potong_issue": lambda **_: url_for("payroll.bukti_potong_page"),
        "bukti_potong_issue_all": lambda **_: url_for("payroll.bukti_potong_page"),
        "deduction_payee_add": _deductions,
        "deduction_end": _deductions,
        "deduction_zakat_enrol": _deductions,
    },
)
