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
from ....services.payroll.rule_forms import preview as rule_preview
from ....web import attempt
from .. import bp

# ------------------------------------------------------------------------------------------ rules


@bp.get("/aturan")
@login_required
def rules():
    access.require(access.can_read_payroll_rules(current_user))
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
        "payroll/rules.html",
        rows=rows,
        labels=labels,
        problems=problems,
        form_codes=list(rule_forms.FORMS),
        may_edit=access.is_admin(current_user),
        **ctx,
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
    """A new version of one regional table through its own fields (percentages, rupiah, rows), not JSON; the
    button "Pratinjau" tries the draft on last month's run without saving it."""
    access.require(access.is_admin(current_user))
    form = rule_forms.FORMS.get(code)
    base = pay_rules.latest_version(code)
    if form is None or base is None:
        abort(404)
    if request.method == "GET":
        return _rule_form_page(form, base, rule_forms.typed_from_payload(form, base.data), {}, [])
    f = request.form
    values, errors = rule_forms.read_cells(form, base.data, f)
    field_errors = {f"nilai-{k}": v for k, v in errors.items()}
    data = None
    if form.rows is not None:
        rows, row_errors = rule_forms.read_rows(form.rows, f)
        field_errors.update(row_errors)
        if not rows and not row_errors:
            field_errors["jumlah_baris"] = f"{form.rows.legend}: isi paling sedikit satu baris."
    mulai, sampai = _dates(f, field_errors)
    for name, label in (("version_id", "Kode versi"), ("citation", "Dasar hukum")):
        if not (f.get(name) or "").strip():
            field_errors[name] = f"{label} wajib diisi."
    problems: list[str] = []
    preview = None
    typed = rule_forms.typed_from_submission(form, base.data, f)
    if not field_errors:
        data = form.write(base.data, values)
        if form.rows is not None:
            data = form.rows.write(data, rows)
        draft = pay_rules.RuleVersionDraft(code, f["version_id"].strip(), mulai, sampai, f["citation"].strip(), data)
        if f.get("aksi") == "pratinjau" and form.previewable:
            preview = rule_preview.preview(code, draft.version_id, draft.citation, data)
            return _rule_form_page(form, base, typed, {}, [], preview=preview)
        problems = _save_version(draft)
        if not problems:
            flash(f"Versi {draft.version_id} untuk {pay_rules.rule_labels()[code]} disimpan.", "success")
            return redirect(url_for("payroll.rules", _anchor=f"versi-{draft.version_id}"), 303)
    return _rule_form_page(form, base, typed, field_errors, problems, 422)


def _rule_form_page(form, base, typed, field_errors, problems, status: int = 200, preview=None):
    return render_template(
        "payroll/rule_form.html",
        table=form,
        label=pay_rules.rule_labels()[form.code],
        base=base,
        cells=form.cells(base.data),
        typed=typed,
        field_errors=field_errors,
        problems=problems,
        preview=preview,
    ), status


# ------------------------------------------------------------------------------- reading a table


@bp.get("/aturan/<code>")
@login_required
def rule_table(code: str):
    """One table's versions (history) and the content of one of them, for finance, HR and the administrator."""
    access.require(access.can_read_payroll_rules(current_user))
    labels = pay_rules.rule_labels()
    if code not in labels:
        abort(404)
    history = pay_rules.table_history(code)
    if not history:
        abort(404)
    chosen = next((v for v in history if v.version_id == request.args.get("versi")), history[0])
    form = rule_forms.FORMS.get(code)
    return render_template(
        "payroll/rule_table.html",
        code=code,
        label=labels[code],
        history=history,
        chosen=chosen,
        form=form,
        typed=rule_forms.typed_from_payload(form, chosen.data) if form else None,
        cells=form.cells(chosen.data) if form else [],
        may_edit=access.is_admin(current_user),
    )
