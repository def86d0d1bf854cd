"""Payroll rule versions: the list with the tables' problems, adding a version."""

from __future__ import annotations

import json
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.payroll.special import special_table_problems
from ....services.payroll import months, rule_forms
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
    return render_template(
        "payroll/rules.html", rows=rows, labels=labels, problems=problems, form_codes=list(rule_forms.FORMS), **ctx
    ), status


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
        errors += _save_version(
            pay_rules.RuleVersionDraft(
                f.get("code", ""), f["version_id"].strip(), mulai, sampai, f["citation"].strip(), data
            )
        )
    if errors:
        return _rules_page(422, errors=errors, form=f)
    flash("Versi aturan baru disimpan.", "success")
    return redirect(url_for("payroll.rules"), 303)


def _save_version(draft: pay_rules.RuleVersionDraft) -> list[str]:
    """Add the version (committed by `attempt`); the problems that refused it, every one of them, or []."""
    refused: list[str] | None = None
    with attempt(flash_category=None) as done:
        try:
            pay_rules.add_rule_version(draft, current_user)
        except months.PayrollRefused as e:
            refused = e.problems  # every problem of the tables, not only the first
            raise
    if done:
        return []
    return refused if refused is not None else [done.message]


# ------------------------------------------------------------------------------- per-table forms


def _dates(f, errors: dict[str, str]) -> tuple[date | None, date | None]:
    out = []
    for name, label, required in (
        ("berlaku_mulai", "Berlaku mulai", True),
        ("berlaku_sampai", "Berlaku sampai", False),
    ):
        raw = (f.get(name) or "").strip()
        if not raw:
            if required:
                errors[name] = f"{label} wajib diisi."
            out.append(None)
            continue
        try:
            out.append(date.fromisoformat(raw))
        except ValueError:
            errors[name] = f"{label}: tanggal tidak sah (format TTTT-BB-HH)."
            out.append(None)
    return out[0], out[1]


@bp.route("/aturan/<code>/formulir", methods=["GET", "POST"])
@login_required
def rule_form(code: str):
    """A new version of one regional table through its own fields (percentages, rupiah), not JSON."""
    access.require(access.is_admin(current_user))
    form = rule_forms.FORMS.get(code)
    base = pay_rules.latest_version(code)
    if form is None or base is None:
        abort(404)
    cells = form.cells(base.data)
    if request.method == "GET":
        current = form.read(base.data)
        typed = {f"nilai-{c.key}": rule_forms.display(c, current[c.key]) for c in cells if c.key in current}
        return _rule_form_page(form, base, cells, typed, {}, [])
    f = request.form
    values, errors = rule_forms.read_cells(form, base.data, f)
    field_errors = {f"nilai-{k}": v for k, v in errors.items()}
    mulai, sampai = _dates(f, field_errors)
    for name, label in (("version_id", "Kode versi"), ("citation", "Dasar hukum")):
        if not (f.get(name) or "").strip():
            field_errors[name] = f"{label} wajib diisi."
    problems: list[str] = []
    if not field_errors:
        draft = pay_rules.RuleVersionDraft(
            code, f["version_id"].strip(), mulai, sampai, f["citation"].strip(), form.write(base.data, values)
        )
        problems = _save_version(draft)
        if not problems:
            flash(f"Versi {draft.version_id} untuk {pay_rules.rule_labels()[code]} disimpan.", "success")
            return redirect(url_for("payroll.rules", _anchor=f"versi-{draft.version_id}"), 303)
    return _rule_form_page(form, base, cells, f, field_errors, problems, 422)


def _rule_form_page(form, base, cells, typed, field_errors, problems, status: int = 200):
    return render_template(
        "payroll/rule_form.html",
        table=form,
        label=pay_rules.rule_labels()[form.code],
        base=base,
        cells=cells,
        typed=typed,
        field_errors=field_errors,
        problems=problems,
    ), status
