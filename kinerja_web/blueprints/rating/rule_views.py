"""Rating rules as versioned data: the tables with their history (`/penilaian-kinerja/aturan`) and a form per table
to add a version (validity dates checked: an overlap or a gap is refused at the field, nothing saved)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...domain import rating_rules as rr
from ...domain.labels import tanggal
from ...domain.predikat import BARIS_HASIL_KERJA, KOLOM_PERILAKU_KERJA, Predikat
from ...domain.talent import BARIS_POTENSIAL, KOLOM_KINERJA
from ...services import rating_rules
from ...timeutil import today_wib
from ...web import attempt
from . import bp, rule_forms


@bp.get("/aturan")
@login_required
def rules():
    access.require(access.can_manage_rating_rules(current_user))
    today = today_wib()
    tables = [(code, rr.LABELS[code], rating_rules.history(code, today)) for code in rr.CODES]
    return render_template("rating/rules.html", tables=tables, today=today)


@bp.route("/aturan/<code>", methods=["GET", "POST"])
@login_required
def rule_form(code: str):
    """A new version of one rating rule through its own fields (not JSON), starting from the latest version."""
    access.require(access.can_manage_rating_rules(current_user))
    if code not in rr.LABELS:
        abort(404)
    base = max(rating_rules.tables()[code].versions, key=lambda v: v.berlaku_mulai)
    if request.method == "GET":
        typed = rule_forms.typed_from(code, base.data) | {"citation": base.citation}
        return _form_page(code, base, typed, {})
    f = request.form
    errors: dict[str, str] = {}
    data, cell_errors = rule_forms.read(code, base.data, f)
    errors |= cell_errors
    mulai, sampai = rule_forms.read_dates(f, errors)
    if not (f.get("citation") or "").strip():
        errors["citation"] = "Dasar hukum wajib diisi."
    if not errors:
        refused: dict[str, str] | None = None
        with attempt(flash_category=None, conflict_on_integrity=True) as done:
            try:
                row = rating_rules.add_version(code, data, mulai, sampai, f["citation"], f.get("note"), current_user)
            except rating_rules.RuleRefused as e:
                refused = e.errors
                raise
        if done:
            flash(f"Versi baru {rr.LABELS[code]} (berlaku mulai {tanggal(row.berlaku_mulai)}) disimpan.", "success")
            return redirect(url_for("rating.rules", _anchor=f"aturan-{code}"), 303)
        errors = refused if refused is not None else {done.field or "berlaku_mulai": done.message}
    return _form_page(code, base, f, errors, 422)


def _form_page(code, base, typed, errors, status: int = 200):
    return render_template(
        "rating/rule_form.html",
        code=code,
        label=rr.LABELS[code],
        intro=rule_forms.INTRO[code],
        base=base,
        typed=typed,
        field_errors=errors,
        rr=rr,
        rows_hasil=BARIS_HASIL_KERJA,
        cols_perilaku=KOLOM_PERILAKU_KERJA,
        predikat_choices=list(Predikat),
        rows_potensial=BARIS_POTENSIAL,
        cols_kinerja=KOLOM_KINERJA,
        nip_fields=rule_forms.NIP_FIELDS,
    ), status
