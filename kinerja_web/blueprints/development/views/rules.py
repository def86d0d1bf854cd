"""Referral rules, versioned: a change adds a version with its start date and who made it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....models import RuleKind
from ....services.development import rules as referral_rules
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import AttendanceRuleForm, RuleForm
from .shared import programme_choices


def _rule_form(kind: RuleKind, rule, formdata=True):
    if kind not in referral_rules.SUGGESTING:
        return _attendance_form(kind, rule, formdata)
    form = RuleForm(prefix=kind.value) if formdata else RuleForm(prefix=kind.value, formdata=None)
    form.programme_id.choices = programme_choices("— tanpa program tertentu —")
    if not formdata:
        form.berlaku_mulai.data = today_wib()
        if rule is not None:
            form.bentuk.data = rule.bentuk.value
            form.programme_id.data = rule.programme_id
            form.active.data = rule.active
            params = rule.params or {}
            form.predikat.data = params.get("predikat", [])
            form.plan_months.data = params.get("plan_months")
            form.threshold.data = params.get("threshold") or params.get("min_gap")
            form.month.data = params.get("month", 9)
    return form


def _attendance_form(kind: RuleKind, rule, formdata=True):
    form = AttendanceRuleForm(prefix=kind.value) if formdata else AttendanceRuleForm(prefix=kind.value, formdata=None)
    if not formdata:
        form.berlaku_mulai.data = today_wib()
        if rule is not None:
            form.active.data = rule.active
            form.percent.data = (rule.params or {}).get("percent")
    return form


def _save(kind: RuleKind, form):
    """A new version of the rule from its form (the minimum attendance suggests no programme)."""
    if kind not in referral_rules.SUGGESTING:
        choice = {"bentuk": referral_rules.ATTENDANCE_BENTUK, "programme_id": None}
        params = {"percent": form.percent.data}
    else:
        choice = {"bentuk": form.bentuk.data, "programme_id": form.programme_id.data}
        params = {
            "min_gap": form.threshold.data,
            "bentuk_per_kompetensi": (rule_in_force_params(kind) or {}).get("bentuk_per_kompetensi"),
            "predikat": form.predikat.data or [],
            "plan_months": form.plan_months.data,
            "threshold": form.threshold.data,
            "month": form.month.data,
        }
    return referral_rules.save_rule(
        kind,
        **choice,
        params=params,
        berlaku_mulai=form.berlaku_mulai.data,
        active=form.active.data,
        note=form.note.data,
        actor=current_user,
    )


def rule_in_force_params(kind: RuleKind) -> dict | None:
    """The stored parameters of the version in force (what a new version keeps when its form does not show them)."""
    rule = referral_rules.rules_in_force(today_wib()).get(kind)
    return rule.params if rule is not None else None


@bp.route("/aturan", methods=["GET", "POST"])
@login_required
def rules():
    """Referral rules, versioned: a change adds a version with its start date and who made it."""
    access.require(access.is_hr(current_user))
    today = today_wib()
    in_force = referral_rules.rules_in_force(today)
    forms = {k: _rule_form(k, in_force.get(k), formdata=False) for k in RuleKind}
    status = 200
    if request.method == "POST":
        try:
            kind = RuleKind(request.form.get("kind", ""))
        except ValueError:
            abort(400)
        form = _rule_form(kind, in_force.get(kind))
        forms[kind] = form
        if form.validate():
            with attempt(form) as done:
                rule = _save(kind, form)
            if done:
                flash(f"Aturan «{kind.label}» versi {rule.version} disimpan.", "success")
                return redirect(url_for("development.rules"), 303)
        status = 422
    return render_template(
        "development/rules.html",
        forms=forms,
        in_force=in_force,
        history=referral_rules.rule_history(),
        kinds=list(RuleKind),
        describe=referral_rules.describe,
        suggesting=referral_rules.SUGGESTING,
    ), status
