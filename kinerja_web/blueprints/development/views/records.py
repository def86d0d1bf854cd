"""Pengembangan saya and one employee's development record (HR records JP from other sources there)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....services.development import jp, records
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import JpForm


@bp.get("/")
@login_required
def mine():
    """JP progress toward 20 JP this year, referrals, history and certificates of the signed-in employee."""
    if current_user.employee is None:
        return render_template("development/mine.html", dev=None, own=True)
    d = records.development_of(current_user.employee, today_wib().year)
    return render_template("development/mine.html", dev=d, own=True, jp_form=None)


@bp.route("/pegawai/<int:employee_id>", methods=["GET", "POST"])
@login_required
def employee(employee_id: int):
    """One employee's development record (self, superiors, HR); HR records JP from other sources here."""
    emp = access.get_employee_or_404(employee_id)
    if not access.can_view_development(current_user, emp):
        abort(404)
    form = JpForm() if request.method == "POST" else JpForm(formdata=None)
    status = 200
    if request.method == "POST":
        access.require(access.is_hr(current_user))
        if form.validate():
            with attempt(form) as done:
                jp.record_jp(
                    emp,
                    jp=form.jp.data,
                    title=form.title.data,
                    on_date=form.on_date.data,
                    provider=form.provider.data,
                    actor=current_user,
                )
            if done:
                flash(f"{form.jp.data} JP dicatat untuk {emp.name}.", "success")
                return redirect(url_for("development.employee", employee_id=emp.id), 303)
        status = 422
    d = records.development_of(emp, today_wib().year)
    return render_template(
        "development/mine.html",
        dev=d,
        own=access.is_self(current_user, emp),
        jp_form=form if access.is_hr(current_user) else None,
        suggestions=records.suggestions_of(emp) if access.is_hr(current_user) else [],
    ), status
