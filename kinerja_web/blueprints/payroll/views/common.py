"""What several payroll pages share: loading a run (404), the OPD choices, the default month."""

from __future__ import annotations

from flask import abort

from ....models import (
    PayrollRun,
)
from ....services.payroll import months, runs
from ....timeutil import today_wib


def run_or_404(run_id: int) -> PayrollRun:
    run = runs.get_run(run_id)
    if run is None:
        abort(404)
    return run


def default_month() -> str:
    return months.previous_month(today_wib()).strftime("%Y-%m")
