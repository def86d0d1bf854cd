"""Returning a run to its maker with a reason (verifier before verifying, approver before approving)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....services.payroll import workflow
from ....web import attempt
from .. import bp
from .common import run_or_404
from .runs import render_run


@bp.post("/run/<int:run_id>/kembalikan")
@login_required
def return_run(run_id: int):
    run = run_or_404(run_id)
    access.require(access.can_view_payroll(current_user))
    if not access.can_return_run(current_user, run):
        reason = access.refusal_of_run_step(current_user, run)
        if reason:
            flash(reason, "error")
            return redirect(url_for("payroll.show", run_id=run.id), 303)
        abort(403)
    typed = request.form.get("reason", "")
    with attempt(flash_category=None) as done:
        workflow.return_run(run, current_user, typed)
    if not done:
        return render_run(run, 422, return_form={"reason": typed}, return_error=done.message)
    flash(f"{run.title} dikembalikan ke pembuatnya (status Draf) dengan alasan: {typed.strip()}", "success")
    return redirect(url_for("payroll.show", run_id=run.id), 303)
