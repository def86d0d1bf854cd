"""Payroll rule versions: the list with the tables' problems, adding a version."""

from __future__ import annotations

import json
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.payroll.special import special_table_problems
from ....services.payroll import months
from ....services.payroll import rules as pay_rules
from ....web import attempt
from .. import bp

# ------------------------------------------------------------------------------------------ rules


@bp.get("/aturan")
@login_required
def rules():
    access.require(access.is_admin(current_user))
    return _rules_page()


def _rules_page(status: int = 200, **ctx):
    rows = pay_rules.rule_versions()
    labels = pay_rules.rule_labels()
    problems = (
        pay_rules.load_rules().problems() + special_table_problems(pay_rules.special_rule_table())
        if rows
        else ["Aturan belum dimuat: jalankan flask payroll muat-aturan."]
    )
    ctx.setdefault("errors", [])
    ctx.setdefault("form", {})
    return render_template("payroll/rules.html", rows=rows, labels=labels, problems=problems, **ctx), status


@bp.post("/aturan")
@login_required
def rules_add():
    access.require(access.is_admin(current_user))
    f = request.form
    errors: list[str] = []
    try:
        mulai = date.fromisoformat(f.get("berlaku_mulai", ""))
    except ValueError:
        errors.append("Tanggal berlaku mulai tidak sah (format TTTT-BB-HH).")
    sampai = None
    if f.get("berlaku_sampai"):
        try:
            sampai = date.fromisoformat(f["berlaku_sampai"])
        except ValueError:
            errors.append("Tanggal berlaku sampai tidak sah (format TTTT-BB-HH).")
    try:
        data = json.loads(f.get("data", ""))
    except ValueError:
        errors.append("Data aturan harus JSON yang sah.")
    if not f.get("version_id", "").strip():
        errors.append("Kode versi wajib diisi.")
    if not f.get("citation", "").strip():
        errors.append("Dasar hukum (kutipan) wajib diisi.")
    if not errors:
        refused: list[str] | None = None
        with attempt(flash_category=None) as done:
            try:
                pay_rules.add_rule_version(
                    pay_rules.RuleVersionDraft(
                        f.get("code", ""), f["version_id"].strip(), mulai, sampai, f["citation"].strip(), data
                    ),
                    current_user,
                )
            except months.PayrollRefused as e:
                refused = e.problems  # every problem of the tables, not only the first
                raise
        if not done:
            errors += refused if refused is not None else [done.message]
    if errors:
        return _rules_page(422, errors=errors, form=f)
    flash("Versi aturan baru disimpan.", "success")
    return redirect(url_for("payroll.rules"), 303)
