"""Manual pay facts: enter a one-off amount for an employee-month (reason, document), approve or reject it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain import DomainError
from ....domain.labels import bulan
from ....extensions import db
from ....models import PayrollManualAmount
from ....services.payroll import manual, months, predikat
from ....web import attempt
from .. import bp
from .common import default_month


def _page(status: int = 200, **ctx):
    ctx.setdefault("form", {})
    ctx.setdefault("form_errors", {})
    ctx.setdefault("decide_errors", {})
    return render_template("payroll/manual.html", rows=manual.manual_rows(), month=default_month(), **ctx), status


@bp.get("/manual")
@login_required
def manual_amounts():
    access.require(access.can_enter_manual_amount(current_user) or access.can_decide_manual_amount(current_user))
    return _page()


def _amount(raw: str) -> int | None:
    digits = (raw or "").strip().replace(" ", "").removeprefix("Rp").replace(".", "")
    return int(digits) if digits.isdigit() else None


@bp.post("/manual")
@login_required
def manual_add():
    access.require(access.can_enter_manual_amount(current_user))
    f = request.form
    try:
        month = months.parse_month(f.get("month", ""))
    except DomainError:
        month = None
    emp = predikat.employee_by_nip(f.get("nip", ""))
    values = [f.get(k, "") for k in ("label", "amount", "kind", "bagian", "reason", "document")]
    values[1] = _amount(values[1])
    errors = manual.manual_errors(emp, month, *values)
    if errors:
        return _page(422, form=f, form_errors=errors)
    with attempt(flash_category=None) as done:
        row = manual.add_manual(emp, month, *values, current_user)
    if not done:
        return _page(422, form=f, form_errors={done.field or "label": done.message})
    flash(f"Jumlah manual {row.title} untuk {emp.name} dicatat dan menunggu persetujuan petugas lain.", "success")
    return redirect(url_for("payroll.manual_amounts"), 303)


@bp.post("/manual/<int:manual_id>/putuskan")
@login_required
def manual_decide(manual_id: int):
    access.require(access.can_decide_manual_amount(current_user))
    row = db.session.get(PayrollManualAmount, manual_id)
    if row is None:
        abort(404)
    approve = request.form.get("decision") == "setujui"
    note = request.form.get("note", "")
    with attempt(flash_category=None) as done:
        locked = manual.decide_manual(row, current_user, approve, note)
    if not done:
        return _page(422, decide_errors={row.id: done.message})
    flash(f"Jumlah manual {row.title}: {row.status.label.lower()}.", "success")
    if locked:
        runs = ", ".join(f"{r.title} ({r.status.label})" for r in locked)
        flash(
            f"Bulan {bulan(row.month)} sudah dikunci: {runs} tidak diubah. Jumlah manual ini dibayar lewat proses "
            "kompensasi atas proses penggajian final bulan itu.",
            "info",
        )
    return redirect(url_for("payroll.manual_amounts"), 303)
