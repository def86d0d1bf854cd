from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...domain.nip import normalize
from ...extensions import db
from ...htmx import render, trigger_name, wants_fragment
from ...models import Employee
from ...request_input import page_arg, query_int
from ...services.accounts import administration, audit_trail
from ...services.documents import search
from ...services.employees import directory, editing
from ...services.org import appraisers
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import AppraiserLookupForm, EmployeeForm

CONCURRENT_EDIT = (
    "Data pegawai ini telah diubah oleh pengguna lain sejak formulir dibuka. "
    "Isian Anda belum disimpan; periksa data terbaru di bawah lalu simpan ulang."
)


@bp.get("/")
@login_required
def index():
    access.require(access.can_view_directory(current_user))
    q = request.args.get("q", "")
    opd_id = request.args.get("opd", type=query_int)
    page = directory.directory_page(q, opd_id, page=page_arg(), per_page=current_app.config["PAGE_SIZE"])
    opds = [] if wants_fragment() else directory.opd_choices()  # the OPD filter is outside the results block
    # A profile link is this prefix plus the id: one url_for per page instead of one per row (25 route
    # builds were a sixth of the search's cost).
    profile_prefix = url_for("employees.show", employee_id=0).removesuffix("0")
    return render(
        "employees/index.html", "results", page=page, q=q, opd_id=opd_id, opds=opds, profile_prefix=profile_prefix
    )


@bp.get("/<int:employee_id>")
@login_required
def show(employee_id: int):
    emp = access.get_employee_or_404(employee_id)
    today = today_wib()
    ctx = {
        "emp": emp,
        "work": access.can_view_employee_work(current_user, emp),
        "private": access.can_view_employee_private(current_user, emp),
    }
    if ctx["work"]:
        ctx.update(
            history=directory.history_of(emp),
            appraiser=appraisers.appraiser_of(emp, today),
            appraiser_supervisor=appraisers.appraiser_supervisor_of(emp, today),
            subordinates=appraisers.direct_subordinates(emp, today),
        )
    if access.is_hr(current_user):
        ctx["account"] = administration.account_of(emp)
    if access.is_hr(current_user) or access.is_self(current_user, emp):
        ctx["own_documents"] = search.own_copies(emp, access.OWN_COPY_TYPES)
    return render_template("employees/show.html", **ctx)


@bp.get("/<int:employee_id>/pejabat-penilai")
@login_required
def appraiser_on(employee_id: int):
    """Who appraises the employee on a date (today unless `?tanggal=`): for HR and the employee themself."""
    emp = access.get_employee_or_404(employee_id)
    access.require(access.can_view_own_records(current_user, emp))
    form = AppraiserLookupForm()
    if form.filled and not form.validate():
        return render_template("employees/appraiser_on.html", emp=emp, form=form, on=None), 422
    on = form.tanggal.data or today_wib()
    form.tanggal.data = on
    return render_template(
        "employees/appraiser_on.html",
        emp=emp,
        form=form,
        on=on,
        position=appraisers.position_of(emp, on),
        appraiser=appraisers.appraiser_of(emp, on),
        appraiser_supervisor=appraisers.appraiser_supervisor_of(emp, on),
    )


@bp.get("/<int:employee_id>/riwayat-perubahan")
@login_required
def change_history(employee_id: int):
    """ "Siapa yang mengubah data saya": who changed the employee's record, family, posts and account, and how.
    The employee sees their own; HR anyone's."""
    emp = access.get_employee_or_404(employee_id)
    access.require(access.can_view_own_records(current_user, emp))
    page = db.paginate(audit_trail.history_of(emp), per_page=50, page=page_arg(), error_out=False)
    entries = [audit_trail.describe(a) for a in page.items]
    own = access.is_self(current_user, emp)
    return render_template("employees/change_history.html", emp=emp, page=page, entries=entries, own=own)


def _position_choices(form: EmployeeForm) -> None:
    opds = directory.opd_choices()
    form.opd_id.choices = [(None, "– pilih –")] + [(u.id, u.name) for u in opds]
    positions = directory.positions_in_opd(form.opd_id.data) if form.opd_id.data else []
    form.position_id.choices = [(None, "– tanpa jabatan –")] + [
        (p.id, f"{p.name} {p.jenjang or ''}".strip() + f" — {p.unit_name}") for p in positions
    ]


def _form_data(form: EmployeeForm) -> dict:
    data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "version_id", "opd_id")}
    data["nip"] = normalize(data["nip"] or "")
    return data


def _save(form: EmployeeForm, emp: Employee | None):
    """Validate across fields and save; returns a redirect on success, else None (errors on the form)."""
    data = _form_data(form)
    for field, message in editing.validate_fields(data, existing_id=emp.id if emp else None):
        form.add_error(field, message)
    if form.errors or form.form_errors:
        return None
    creating = emp is None
    if not creating and str(emp.version_id) != (form.version_id.data or ""):
        form.form_errors.append(CONCURRENT_EDIT)
        return None
    with attempt(form, conflict=CONCURRENT_EDIT) as done:
        emp = editing.save_employee(emp, data, today=today_wib())
    if not done:
        return None
    flash("Data pegawai tersimpan." if not creating else "Pegawai baru tersimpan.", "success")
    return redirect(url_for("employees.show", employee_id=emp.id), 303)


@bp.route("/baru", methods=["GET", "POST"])
@login_required
def create():
    access.require(access.can_edit_employee(current_user))
    return _form_page(EmployeeForm(), None)


@bp.route("/<int:employee_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(employee_id: int):
    emp = access.get_employee_or_404(employee_id)
    access.require(access.can_edit_employee(current_user, emp))
    if request.method == "GET":
        form = EmployeeForm(obj=emp)
        form.opd_id.data = emp.unit.opd.id if emp.unit else None
    else:
        form = EmployeeForm()
    return _form_page(form, emp)


def _form_page(form: EmployeeForm, emp: Employee | None):
    """The new/edit form: saved and redirected when valid ("Muat daftar jabatan" only reloads the posts), else
    shown again with what was typed (after a concurrent edit, with the latest version counter)."""
    _position_choices(form)
    if request.method == "POST" and request.form.get("action") != "muat" and form.validate():
        resp = _save(form, emp)
        if resp:
            return resp
        if emp is not None and CONCURRENT_EDIT in form.form_errors:
            db.session.refresh(emp)
            form.version_id.data = str(emp.version_id)
    status = 422 if request.method == "POST" and (form.errors or form.form_errors) else 200
    return render("employees/form.html", "form", form=form, emp=emp), status


@bp.post("/validasi")
@login_required
def validate_field():
    """Inline validation for one field of the employee form: validates, saves nothing."""
    access.require(access.can_edit_employee(current_user))
    form = EmployeeForm()
    _position_choices(form)
    form.validate()
    emp_id = request.args.get("id", type=query_int)
    for field, message in editing.validate_fields(_form_data(form), existing_id=emp_id):
        form.add_error(field, message)
    name = trigger_name() or ""
    if name not in form._fields:
        return "", 204
    return render_template(
        "employees/_field.html", f=form[name], validate_url=url_for("employees.validate_field", id=emp_id)
    )


# The employees blueprint's POST-only form targets (views, family.py, import_views.py) → the page of the form.
form_targets_answer_get(
    bp,
    {
        "validate_field": lambda: (
            url_for("employees.edit", employee_id=request.args.get("id", type=query_int))
            if request.args.get("id", type=query_int)
            else url_for("employees.create")
        ),
        "family_delete": lambda employee_id, member_id: url_for("employees.family", employee_id=employee_id),
        "import_job_retry": lambda job_id: url_for("employees.import_job", job_id=job_id),
    },
)
