"""My SKP: the list and starting a new SKP."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ....domain.skp import SkpJenis
from ....extensions import db
from ....models import Period
from ....services.skp import planning
from ....web import attempt
from .. import bp
from ..forms import CreateSkpForm
from .common import CONFLICT, own_employee


@bp.get("/")
@login_required
def root():
    return redirect(url_for("skp.index"))


@bp.get("/saya")
@login_required
def index():
    emp = current_user.employee
    form = CreateSkpForm(formdata=None)
    periods = planning.open_periods()
    form.period_id.choices = [(p.id, p.name) for p in periods]
    if emp is not None:
        form.jenis.data = planning.default_jenis(emp).value
    skps = planning.my_skps(emp) if emp is not None else []
    return render_template("skp/index.html", skps=skps, form=form, has_employee=emp is not None)


@bp.post("/baru")
@login_required
def create():
    emp = own_employee()
    form = CreateSkpForm()
    form.period_id.choices = [(p.id, p.name) for p in planning.open_periods()]
    if form.validate():
        period = db.session.get(Period, form.period_id.data)
        with attempt(form, conflict=CONFLICT) as done:
            skp = planning.create_skp(emp, period, SkpJenis(form.jenis.data), form.source.data)
        if done:
            flash("SKP baru dibuat. Tambahkan rencana hasil kerja (RHK).", "success")
            return redirect(url_for("skp.show", skp_id=skp.id), 303)
    return render_template("skp/index.html", skps=planning.my_skps(emp), form=form, has_employee=True), 422
