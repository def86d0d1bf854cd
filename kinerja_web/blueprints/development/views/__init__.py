"""Pengembangan kompetensi: Pengembangan saya, the catalogue, referral rules, the HR work queue, the lifecycle
of a referral, surat tugas and daftar peserta, the dashboard and the effectiveness report."""

from flask import url_for  # noqa: E402

from ....web import form_targets_answer_get  # noqa: E402
from .. import bp  # noqa: E402
from . import catalogue, dashboard, queue, records, referral, rules  # noqa: F401

# A reload of a form's address after a boosted POST lands on the page holding the form (web.form_targets_answer_get);
# every other target is a referral's.
form_targets_answer_get(
    bp,
    {
        "issue_daftar": lambda programme_id: url_for("development.programme", programme_id=programme_id),
        "generate": lambda: url_for("development.queue"),
        "job_retry": lambda job_id: url_for("development.job_status", job_id=job_id),
        "bulk_assign": lambda: url_for("development.queue"),
        "bulk_dismiss": lambda: url_for("development.queue"),
    },
    default=lambda referral_id: url_for("development.referral", referral_id=referral_id),
)
