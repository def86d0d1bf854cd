"""Standar kompetensi jabatan: a post's standard (everyone signed in), HR's edit (a new version each save),
the list of posts, and the XLSX export/import."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .... import access
from ....domain.competency import MANAJERIAL, NATIONAL_CODES, SOSIAL_KULTURAL, CompetencyGroup
from ....extensions import db
from ....models import Competency, Position
from ....services.competency import dictionary, editing, standard_files
from ....services.competency.standards import (
    competencies,
    competency_map,
    required_levels,
    rule_in_force,
    standard_history,
    standards_in_force,
)
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import StandardForm, TeknisForm, UploadForm
from .common import xlsx_response

NAMES = dict(MANAJERIAL + SOSIAL_KULTURAL)


@bp.get("/")
@login_required
def index():
    """The area's start page: one's own profile and post standard; HR's tools."""
    return render_template("competency/index.html", is_hr=access.is_hr(current_user))


@bp.get("/jabatan/<int:position_id>")
@login_required
def standard(position_id: int):
    access.require(access.can_view_standard(current_user))
    position = db.get_or_404(Position, position_id)
    on = today_wib()
    required = required_levels(position, on)
    comps = competency_map()
    return render_template(
        "competency/standard.html",
        position=position,
        required=required,
        comps=comps,
        history=standard_history(position.id) if access.is_hr(current_user) else [],
        names=NAMES,
        on=on,
    )


def _edit_page(position, form, errors=None, posted=None, status=200):
    on = today_wib()
    return (
        render_template(
            "competency/standard_edit.html",
            position=position,
            form=form,
            required=required_levels(position, on),
            codes=NATIONAL_CODES,
            names=NAMES,
            errors=errors or {},
            posted=posted,
            teknis=competencies(CompetencyGroup.TEKNIS),
            default=rule_in_force(on)[1].default_level(position.kind.value, position.jenjang),
        ),
        status,
    )


@bp.route("/jabatan/<int:position_id>/ubah", methods=["GET", "POST"])
@login_required
def standard_edit(position_id: int):
    access.require(access.can_manage_competency(current_user))
    position = db.get_or_404(Position, position_id)
    form = StandardForm()
    if request.method == "GET":
        current = standards_in_force([position.id], today_wib()).get(position.id)
        if current is not None:
            for name in editing.TEXT_FIELDS:
                if name != "note":
                    getattr(form, name).data = getattr(current, name)
            form.dasar_hukum.data = current.dasar_hukum
            form.teknis.data = "; ".join(
                f"{i.competency.code}:{i.required_level}"
                for i in current.items
                if i.competency.group == CompetencyGroup.TEKNIS
            )
        form.berlaku_mulai.data = today_wib()
        return _edit_page(position, form)
    posted = {c: request.form.get(f"lv-{c}", "") for c in NATIONAL_CODES}
    if not form.validate():
        return _edit_page(position, form, posted=posted, status=422)
    values, errors = editing.check_standard_values(
        posted,
        form.berlaku_mulai.data,
        form.dasar_hukum.data,
        {name: getattr(form, name).data for name in editing.TEXT_FIELDS},
        competency_map(),
        form.teknis.data,
    )
    for name in ("berlaku_mulai", "dasar_hukum", "teknis"):
        if name in errors:
            form.add_error(name, errors.pop(name))
    if values is None:
        flash("Standar belum disimpan: perbaiki isian yang ditandai.", "error")
        return _edit_page(position, form, errors=errors, posted=posted, status=422)
    with attempt(form) as done:
        std = editing.save_standard(position, values, current_user)
    if not done:
        return _edit_page(position, form, posted=posted, status=422)
    flash(f"Standar kompetensi {position.full_name} versi {std.version} disimpan.", "success")
    return redirect(url_for("competency.standard", position_id=position.id), 303)


@bp.get("/standar")
@login_required
def standards():
    access.require(access.can_manage_competency(current_user))
    positions = list(
        db.session.scalars(
            select(Position).options(joinedload(Position.unit)).order_by(Position.unit_id, Position.name)
        )
    )
    in_force = standards_in_force([p.id for p in positions], today_wib())
    return render_template(
        "competency/standards.html",
        positions=positions,
        in_force=in_force,
        upload=UploadForm(),
        teknis_form=TeknisForm(),
        teknis=competencies(CompetencyGroup.TEKNIS),
        national=db.session.scalar(select(Competency.id).limit(1)) is not None,
    )


@bp.get("/standar/ekspor.xlsx")
@login_required
def standards_export():
    access.require(access.can_manage_competency(current_user))
    return xlsx_response(standard_files.export_xlsx(today_wib()), "standar-kompetensi-jabatan.xlsx")


@bp.post("/standar/impor")
@login_required
def standards_import():
    access.require(access.can_manage_competency(current_user))
    form = UploadForm()
    line_errors: list = []
    if form.validate():
        with attempt(form) as done:
            added, line_errors = standard_files.import_xlsx(form.berkas.data.read(), today_wib(), current_user)
        if done and not line_errors:
            flash(f"Impor selesai: {added} versi standar baru disimpan.", "success")
            return redirect(url_for("competency.standards"), 303)
    return render_template("competency/standards_import.html", form=form, line_errors=line_errors), 422


@bp.post("/standar/teknis")
@login_required
def teknis_add():
    access.require(access.can_manage_competency(current_user))
    form = TeknisForm()
    if form.validate():
        with attempt(form) as done:
            dictionary.ensure_national_competencies()
            comp = dictionary.add_teknis(form.code.data, form.name.data)
        if done:
            flash(f"Kompetensi teknis {comp.code} ditambahkan.", "success")
            return redirect(url_for("competency.standards"), 303)
    for name, errs in form.errors.items():
        for e in errs:
            flash(e if name == "csrf_token" else f"{getattr(form, name).label.text}: {e}", "error")
    return redirect(url_for("competency.standards"), 303)
