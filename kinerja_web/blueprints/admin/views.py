from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...extensions import db
from ...htmx import render
from ...models import Role, User
from ...request_input import page_arg, query_int
from ...services.accounts import administration, authentication
from ...web import attempt, form_target_answers_get
from . import bp


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        flash(f"Tanggal “{raw}” tidak sah; gunakan format TTTT-BB-HH.", "error")
        return None


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
        active = bool(request.form.get("active"))
        with attempt() as done:
            administration.update_account(user, wanted, active, current_user, access.can_assign_role)
        if not done:  # the boxes as the user ticked them, not as stored
            return render_template("admin/user.html", user=user, roles=list(Role), ticked=(wanted, active)), 422
        flash("Akun diperbarui.", "success")
        return redirect(url_for("admin.user_detail", user_id=user.id), 303)
    return render_template("admin/user.html", user=user, roles=list(Role))


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


form_target_answers_get(
    bp,
    "/pengguna/buat/<int:employee_id>",
    "create_account_page",
    lambda employee_id: url_for("employees.show", employee_id=employee_id),
)
# The temporary password is shown once, in the answer to the POST; reloading that page shows the account.
form_target_answers_get(
    bp,
    "/pengguna/<int:user_id>/atur-ulang-sandi",
    "reset_password_page",
    lambda user_id: url_for("admin.user_detail", user_id=user_id),
)


@bp.get("/audit")
@login_required
def audit():
    access.require(access.is_hr(current_user))
    f = {
        "entity": request.args.get("entitas", ""),
        "action": request.args.get("aksi", ""),
        "actor": request.args.get("oleh", ""),
        "date_from": _date_arg("dari"),
        "date_to": _date_arg("sampai"),
        "entity_id": request.args.get("id", type=query_int),
    }
    page = db.paginate(administration.audit_query(**f), per_page=50, page=page_arg(), error_out=False)
    return render(
        "admin/audit.html", "results", page=page, f=f, entities=administration.audit_entities(), args=request.args
    )
