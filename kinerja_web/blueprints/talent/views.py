"""Talent mapping for HR: the 9-box per OPD with drill-down, and the potensial entry (single and per OPD)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...domain.talent import Potensial, kotak
from ...extensions import db
from ...models import Period, Unit, UnitKind
from ...request_input import query_int
from ...services.talent import boxes, grid, potensial
from ...web import attempt
from . import bp
from .forms import POTENSIAL, BulkPotensialForm, ImportPotensialForm, PotensialForm


@bp.before_request
@login_required
def _hr_only():
    """Potensial and the 9-box are HR data: everyone else gets 403 on every page of this area."""
    access.require(access.is_hr(current_user))


def _opd_from_args() -> Unit | None:
    """`?opd=` narrows to one OPD; an unknown id (or a unit that is not an OPD) is a 404, never a 500."""
    opd_id = request.args.get("opd", type=query_int)
    if not opd_id:
        return None
    unit = db.session.get(Unit, opd_id)
    if unit is None or unit.kind != UnitKind.OPD:
        abort(404)
    return unit


@bp.get("/")
def index():
    """Peta talenta (9-box): counts per box, drill-down list of one box, filter by OPD."""
    periods = grid.periods()
    wanted = request.args.get("periode", type=query_int)
    period = next((p for p in periods if p.id == wanted), periods[0] if periods else None)
    opd = _opd_from_args()
    ctx = {"periods": periods, "period": period, "opd": opd, "opds": grid.opds(), "selected": None}
    if period is not None:
        rows = grid.talent_rows(period, opd)
        ctx["grid"] = grid.grid(rows)
        ctx["missing"] = [r for r in rows if r.box is None]
        raw_box = request.args.get("kotak", "")
        if raw_box:
            try:
                ctx["selected"] = kotak(int(raw_box))
            except ValueError:
                flash("Kotak talenta harus angka 1 sampai 9.", "error")
    return render_template("talent/index.html", **ctx)


def _load(period_id: int, employee_id: int):
    period = db.get_or_404(Period, period_id)
    return period, access.get_employee_or_404(employee_id)


def _employee_page(period, employee, form: PotensialForm, status: int = 200):
    return (
        render_template(
            "talent/employee.html",
            period=period,
            employee=employee,
            form=form,
            predikat=boxes.final_predikat(employee.id, period.id),
            current=boxes.potensial_of(employee.id, period.id),
            source=boxes.potensial_sources(period, [employee.id]).get(employee.id),
            evidence=boxes.potensial_from_assessments([employee.id], period.end_date).get(employee.id),
            box=boxes.talent_box(employee.id, period.id),
        ),
        status,
    )


@bp.get("/<int:period_id>/pegawai/<int:employee_id>")
def employee(period_id: int, employee_id: int):
    period, emp = _load(period_id, employee_id)
    form = PotensialForm()
    current = boxes.potensial_of(emp.id, period.id)
    if current is not None:
        form.potensial.data, form.dasar.data = current.potensial.value, current.dasar
    return _employee_page(period, emp, form)


@bp.post("/<int:period_id>/pegawai/<int:employee_id>")
def employee_post(period_id: int, employee_id: int):
    period, emp = _load(period_id, employee_id)
    access.require(access.is_hr(current_user))
    form = PotensialForm()
    if not form.validate():
        return _employee_page(period, emp, form, 422)
    with attempt(form) as done:
        potensial.set_potensial(emp, period, Potensial(form.potensial.data), current_user, form.dasar.data)
    if not done:
        return _employee_page(period, emp, form, 422)
    box = boxes.talent_box(emp.id, period.id)
    where = f" Posisi: {box.label}." if box else " Posisi 9-box muncul setelah predikat tahunan final."
    flash(f"Potensial {emp.full_name} disimpan.{where}", "success")
    return redirect(url_for("talent.employee", period_id=period.id, employee_id=emp.id), 303)


def _bulk_page(period, opd, form, rows, errors=None, posted=None, status=200):
    return (
        render_template(
            "talent/bulk.html",
            period=period,
            opd=opd,
            opds=grid.opds(),
            form=form,
            rows=rows,
            choices=POTENSIAL,
            errors=errors or {},
            posted=posted or {},
            stray=[m for emp_id, m in (errors or {}).items() if emp_id not in {r.employee.id for r in rows}],
        ),
        status,
    )


def _posted_values() -> dict[int, str]:
    """`p-<employee id>` fields of the table; a malformed key is reported, never a 500."""
    values: dict[int, str] = {}
    for key, raw in request.form.items():
        if key.startswith("p-"):
            try:
                values[int(key[2:])] = raw
            except ValueError:
                abort(400)
    return values


@bp.route("/<int:period_id>/potensial", methods=["GET", "POST"])
def bulk(period_id: int):
    """Potensial of a whole OPD in one table: all rows are saved, or none (errors shown next to each row)."""
    period = db.get_or_404(Period, period_id)
    opd = _opd_from_args()
    form = BulkPotensialForm()
    rows = grid.talent_rows(period, opd) if opd is not None else []
    if request.method == "GET" or opd is None:
        return _bulk_page(period, opd, form, rows)
    access.require(access.is_hr(current_user))
    posted = _posted_values()
    if not form.validate():
        return _bulk_page(period, opd, form, rows, posted=posted, status=422)
    # Row errors save nothing (every row is checked before any is written): the commit is empty then.
    errors: dict[int, str] = {}
    with attempt(form) as done:
        saved, errors = potensial.set_potensial_bulk(
            period, [r.employee for r in rows], posted, current_user, form.dasar.data
        )
    if errors:
        flash("Tidak ada yang disimpan: perbaiki baris yang ditandai.", "error")
    if errors or not done:
        return _bulk_page(period, opd, form, rows, errors=errors, posted=posted, status=422)
    flash(f"Potensial {saved} pegawai disimpan." if saved else "Tidak ada perubahan potensial.", "success")
    return redirect(url_for("talent.bulk", period_id=period.id, opd=opd.id), 303)


@bp.route("/<int:period_id>/impor", methods=["GET", "POST"])
def import_file(period_id: int):
    """Potensial from a CSV/XLSX (nip, potensial, dasar): checked line by line, saved all or nothing."""
    period = db.get_or_404(Period, period_id)
    form = ImportPotensialForm()
    line_errors: list[tuple[int, str]] = []
    if request.method == "POST":
        access.require(access.is_hr(current_user))
        if form.validate():
            upload = form.berkas.data
            # Line errors save nothing (every line is checked before any is written): the commit is empty then.
            with attempt(form) as done:
                rows = potensial.read_potensial_file(upload.filename, upload.read())
                saved, line_errors = potensial.import_potensial(period, rows, current_user)
            if done and not line_errors:
                flash(f"Impor selesai: potensial {saved} pegawai disimpan.", "success")
                return redirect(url_for("talent.import_file", period_id=period.id), 303)
        status = 422
    else:
        status = 200
    return render_template("talent/import.html", period=period, form=form, line_errors=line_errors), status
