"""The unit's service catalogue with standar pelayanan versions, its operators, and the holiday calendar."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....extensions import db
from ....models import Holiday, PublicService, ServiceOperator
from ....request_input import query_int
from ....services.public_service import calendar
from ....services.public_service import catalogue as catalogue_service
from ....timeutil import today_wib
from ....web import attempt, form_targets_answer_get
from .. import bp
from ..forms import HolidayForm, OperatorForm, ServiceForm, StandardForm
from .common import load_unit


def _catalogue_page(unit, service_form=None, standard_forms=None, operator_form=None, status=200):
    services = catalogue_service.services_of(unit)
    forms = standard_forms or {}
    for s in services:
        forms.setdefault(s.id, StandardForm(formdata=None, prefix=f"s{s.id}"))
    return (
        render_template(
            "public_service/catalogue.html",
            unit=unit,
            services=services,
            service_form=service_form or ServiceForm(formdata=None),
            standard_forms=forms,
            operator_form=operator_form or OperatorForm(formdata=None),
            operators=catalogue_service.operators_of(unit)
            if access.can_manage_service_operators(current_user)
            else None,
            can_manage=access.can_manage_unit_services(current_user, unit),
            can_operators=access.can_manage_service_operators(current_user),
            today=today_wib(),
        ),
        status,
    )


@bp.get("/unit/<int:unit_id>/katalog")
@login_required
def catalogue(unit_id: int):
    return _catalogue_page(load_unit(unit_id, access.can_view_unit_dashboard))


@bp.post("/unit/<int:unit_id>/katalog")
@login_required
def catalogue_add(unit_id: int):
    unit = load_unit(unit_id, access.can_manage_unit_services)
    form = ServiceForm()
    if form.validate():
        with attempt(form):
            service = catalogue_service.add_service(unit, form.code.data, form.name.data)
        if not form.errors and not form.form_errors:
            flash(f"Layanan {service.name} ditambahkan; isi standar pelayanannya.", "success")
            return redirect(url_for("public_service.catalogue", unit_id=unit.id, _anchor=f"layanan-{service.id}"), 303)
    return _catalogue_page(unit, service_form=form, status=422)


@bp.post("/layanan/<int:service_id>/standar")
@login_required
def standard_add(service_id: int):
    service = db.get_or_404(PublicService, service_id)
    unit = load_unit(service.unit_id, access.can_manage_unit_services)
    form = StandardForm(prefix=f"s{service.id}")
    if form.validate():
        with attempt(form):
            catalogue_service.add_standard(
                service, valid_from=form.valid_from.data, completion_time=form.completion_time.data,
                completion_unit=form.completion_unit.data, cost=form.cost.data or 0, product=form.product.data,
                requirements=form.requirements.data, user=current_user,
            )  # fmt: skip
        if not form.errors and not form.form_errors:
            flash("Standar pelayanan versi baru disimpan.", "success")
            return redirect(url_for("public_service.catalogue", unit_id=unit.id, _anchor=f"layanan-{service.id}"), 303)
    return _catalogue_page(unit, standard_forms={service.id: form}, status=422)


@bp.post("/unit/<int:unit_id>/operator")
@login_required
def operator_add(unit_id: int):
    unit = load_unit(unit_id, lambda user, _unit: access.can_manage_service_operators(user))
    form = OperatorForm()
    if form.validate():
        with attempt(form):
            catalogue_service.add_operator(unit, form.who.data)
        if not form.errors and not form.form_errors:
            flash("Operator layanan ditambahkan.", "success")
            return redirect(url_for("public_service.catalogue", unit_id=unit.id, _anchor="operator"), 303)
    return _catalogue_page(unit, operator_form=form, status=422)


@bp.post("/operator/<int:operator_id>/hapus")
@login_required
def operator_remove(operator_id: int):
    access.require(access.can_manage_service_operators(current_user))
    op = db.get_or_404(ServiceOperator, operator_id)
    unit_id = op.unit_id
    with attempt():
        catalogue_service.remove_operator(op)
    flash("Operator layanan dicabut.", "success")
    return redirect(url_for("public_service.catalogue", unit_id=unit_id, _anchor="operator"), 303)


# --- holiday calendar ----------------------------------------------------------------------------------------


def _holidays_page(form=None, import_errors=None, status=200):
    year = request.args.get("tahun", type=query_int)
    return (
        render_template(
            "public_service/holidays.html",
            holidays=calendar.holidays(year),
            year=year,
            form=form or HolidayForm(formdata=None),
            import_errors=import_errors or [],
        ),
        status,
    )


@bp.get("/hari-libur")
@login_required
def holidays():
    access.require(access.can_manage_holidays(current_user))
    return _holidays_page()


@bp.post("/hari-libur")
@login_required
def holiday_add():
    access.require(access.can_manage_holidays(current_user))
    form = HolidayForm()
    if form.validate():
        with attempt(form):
            calendar.add_holiday(form.day.data, form.name.data, form.kind.data)
        if not form.errors and not form.form_errors:
            flash(
                "Hari libur ditambahkan. Waktu penyelesaian yang sudah diimpor dihitung ulang saat impor berikutnya.",
                "success",
            )
            return redirect(url_for("public_service.holidays"), 303)
    return _holidays_page(form=form, status=422)


@bp.post("/hari-libur/impor")
@login_required
def holiday_import():
    access.require(access.can_manage_holidays(current_user))
    upload = request.files.get("berkas")
    if upload is None or not upload.filename:
        return _holidays_page(import_errors=["Pilih berkas CSV atau XLSX."], status=422)
    with attempt(flash_category=None) as done:
        result = calendar.import_holidays(upload.filename, upload.read(2 * 1024 * 1024))
    if not done:
        return _holidays_page(import_errors=[done.message], status=422)
    if result.errors:  # nothing was written
        return _holidays_page(
            import_errors=["Berkas memuat baris yang salah; tidak ada yang disimpan.", *result.errors], status=422
        )
    flash(f"Kalender diperbarui: {result.added} hari libur baru, {result.updated} diperbarui.", "success")
    return redirect(url_for("public_service.holidays"), 303)


@bp.post("/hari-libur/<int:holiday_id>/hapus")
@login_required
def holiday_remove(holiday_id: int):
    access.require(access.can_manage_holidays(current_user))
    holiday = db.get_or_404(Holiday, holiday_id)
    with attempt():
        calendar.remove_holiday(holiday)
    flash("Hari libur dihapus.", "success")
    return redirect(url_for("public_service.holidays"), 303)


form_targets_answer_get(
    bp,
    {
        "standard_add": lambda service_id: url_for(
            "public_service.catalogue", unit_id=db.get_or_404(PublicService, service_id).unit_id
        ),
        "operator_remove": lambda operator_id: url_for(
            "public_service.catalogue", unit_id=db.get_or_404(ServiceOperator, operator_id).unit_id
        ),
        "holiday_import": lambda: url_for("public_service.holidays"),
        "holiday_remove": lambda holiday_id: url_for("public_service.holidays"),
        "operator_add": lambda unit_id: url_for("public_service.catalogue", unit_id=unit_id),
        "import_job_retry": lambda unit_id, job_id: url_for(
            "public_service.import_job_page", unit_id=unit_id, job_id=job_id
        ),
    },
)
