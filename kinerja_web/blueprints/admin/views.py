from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...htmx import render
from ...models import Role, User
from ...request_input import date_arg, page_arg, query_int
from ...services.accounts import administration, audit_trail, authentication
from ...web import attempt, form_targets_answer_get
from . import bp


@bp.get("/pengguna")
@login_required
def users():
    access.require(access.is_hr(current_user))
    q = request.args.get("q", "")
    page = db.paginate(administration.users_query(q), per_page=30, page=page_arg(), error_out=False)
    return render("admin/users.html", "results", page=page, q=q)


@bp.post("/pengguna/buat/<int:employee_id>")
@login_required
def create_account(employee_id: int):
    access.require(access.is_hr(current_user))
    emp = access.get_employee_or_404(employee_id)
    with attempt() as done:
        user, temp = administration.create_account_for(emp)
    if not done:
        return redirect(url_for("employees.show", employee_id=emp.id), 303)
    return render_template("admin/temp_password.html", user=user, temp=temp, created=True)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_detail(user_id: int):
    access.require(access.is_hr(current_user))
    user = db.get_or_404(User, user_id)
    if request.method == "POST":
        access.require(access.can_manage_account(current_user, user))
        wanted = {r for r in Role if request.form.get(f"role_{r.value}")}
        scope = request.form.get("pimpinan_unit", type=query_int)
        active = bool(request.form.get("active"))
        with attempt() as done:
            administration.update_account(user, wanted, active, current_user, access.can_assign_role, scope)
        if not done:  # the boxes and the scope as the administrator chose them, not as stored
            return _user_page(user, wanted, scope, done.field, active), 422
        flash("Akun diperbarui.", "success")
        return redirect(url_for("admin.user_detail", user_id=user.id), 303)
    return _user_page(user, user.roles, user.pimpinan_unit_id)


def _user_page(
    user: User, checked, scope_unit_id: int | None, error_field: str | None = None, active: bool | None = None
) -> str:
    """The account page; after a refused save it shows what the administrator ticked and chose."""
    return render_template(
        "admin/user.html",
        user=user,
        roles=list(Role),
        ticked=(set(checked), user.active if active is None else active),
        scope_units=administration.pimpinan_scope_units(),
        scope_unit_id=scope_unit_id,
        error_field=error_field,
        pimpinan=Role.PIMPINAN,
    )


@bp.post("/pengguna/<int:user_id>/atur-ulang-sandi")
@login_required
def reset_password(user_id: int):
    access.require(access.is_hr(current_user))
    user = db.get_or_404(User, user_id)
    access.require(access.can_reset_password(current_user, user))
    with attempt() as done:
        temp = authentication.reset_password(user, current_user)
    if not done:
        return redirect(url_for("admin.user_detail", user_id=user.id), 303)
    return render_template("admin/temp_password.html", user=user, temp=temp, created=False)


form_targets_answer_get(
    bp,
    {
        "create_account": lambda employee_id: url_for("employees.show", employee_id=employee_id),
        # The temporary password is shown once, in the answer to the POST; reloading that page shows the account.
        "reset_password": lambda user_id: url_for("admin.user_detail", user_id=user_id),
    },
)


def _audit_filters() -> tuple[dict, dict[str, str]]:
    """The audit page's filters from the query string, and a message per filter whose value is not usable."""
    errors: dict[str, str] = {}
    f = {
        "entity": request.args.get("entitas", ""),
        "action": request.args.get("aksi", ""),
        "actor": request.args.get("oleh", "").strip(),
        "entity_id": None,
    }
    f["date_from"], errors["dari"] = date_arg("dari")
    f["date_to"], errors["sampai"] = date_arg("sampai")
    if f["date_from"] and f["date_to"] and f["date_to"] < f["date_from"]:
        errors["sampai"] = "Tanggal akhir tidak boleh sebelum tanggal awal."
    raw_id = request.args.get("id", "").strip()
    if raw_id:
        if not (raw_id.isascii() and raw_id.isdigit()):
            errors["id"] = f"ID data “{raw_id}” tidak sah; isi dengan angka."
        else:
            f["entity_id"] = request.args.get("id", type=query_int)  # an id past any row's is simply not found
            if f["entity_id"] is None:
                errors["id"] = f"Tidak ada data dengan ID {raw_id}."
    if f["entity"] and f["entity"] not in administration.audit_entities():
        errors["entitas"] = "Jenis data ini tidak ada di log audit."
    if f["action"] and f["action"] not in administration.audit_actions():
        errors["aksi"] = "Aksi ini tidak ada di log audit."
    return f, {k: v for k, v in errors.items() if v}


@bp.get("/audit")
@login_required
def audit():
    access.require(access.is_hr(current_user))
    f, errors = _audit_filters()
    page = None
    if not errors:  # a filter that cannot be used is said so at its field, never ignored
        page = db.paginate(administration.audit_query(**f), per_page=50, page=page_arg(), error_out=False)
    return render(
        "admin/audit.html",
        "results",
        page=page,
        entries=[audit_trail.describe(a) for a in page.items] if page else [],
        f=f,
        errors=errors,
        entities=[(e, audit_trail.entity_label(e)) for e in administration.audit_entities()],
        actions=[(a, audit_trail.action_label(a)) for a in administration.audit_actions()],
        args=request.args,
    )
