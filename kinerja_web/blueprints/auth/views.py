from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_url, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ...extensions import db, login_manager
from ...htmx import is_htmx
from ...models import User
from ...request_input import safe_next
from ...services.accounts import authentication
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import ChangePasswordForm, LoginForm, SetPasswordForm


@login_manager.unauthorized_handler
def unauthorized():
    """To the sign-in page; an htmx request is told to load it as a whole page rather than swapping the
    sign-in form into a results table (e.g. a session that ended while searching)."""
    target = login_url(login_manager.login_view, next_url=request.url)
    if is_htmx():
        return "", 401, {"HX-Redirect": target}
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(target)


# One query for the user, their roles and their employee record: every page needs all three (menu,
# permission checks, the name in the header). Built once per process: `session.get(User, id, options=[...])`
# rebuilt the loader options on every request. It always runs (no identity-map shortcut), as it did in
# production, where each request starts with an empty session.
_LOAD_USER = (
    select(User).options(joinedload(User.role_rows), joinedload(User.employee)).where(User.id == bindparam("uid"))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    uid, _, token = user_id.partition(":")
    if not uid.isdigit():
        return None
    user = db.session.execute(_LOAD_USER, {"uid": int(uid)}).unique().scalar_one_or_none()
    if user is None or user.session_token != token:
        return None
    return user


@bp.before_app_request
def force_password_change():
    """After an HR reset the user may do nothing but choose a new password."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in ("auth.set_password", "auth.logout", "static")
    ):
        if is_htmx():  # load the page whole instead of swapping it into a fragment target
            return "", 204, {"HX-Redirect": url_for("auth.set_password")}
        return redirect(url_for("auth.set_password"))
    return None


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            user, refusal = authentication.sign_in(
                form.username.data,
                form.password.data,
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
        if done and refusal is None:
            login_user(user)
            _forget_csrf_token()
            if user.must_change_password:
                flash("Kata sandi Anda baru diatur ulang. Buat kata sandi baru sebelum melanjutkan.", "info")
                return redirect(url_for("auth.set_password"), 303)
            return redirect(safe_next(request.args.get("next"), url_for("dashboard.index")), 303)
        if done:
            form.form_errors.append(refusal)
        return render_template("auth/login.html", form=form), 422
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


def _forget_csrf_token() -> None:
    """A new CSRF token after sign-in (Flask-WTF makes one when the next page asks): a token that someone
    planted or read before the sign-in is worth nothing afterwards. The signed copy is cached in `g`."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(name, None)
    g.pop(name, None)


@bp.post("/keluar")
def logout():
    if current_user.is_authenticated:
        # A new server-side token: a copy of this cookie (another browser, a shared computer) stops working too.
        with attempt():
            authentication.end_sessions(current_user._get_current_object())
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"), 303)


@bp.post("/akun/keluar-semua")
@login_required
def logout_everywhere():
    with attempt():
        authentication.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    flash("Anda telah keluar dari semua perangkat.", "info")
    return redirect(url_for("auth.login"), 303)


form_targets_answer_get(
    bp, {"logout": lambda: url_for("dashboard.index"), "logout_everywhere": lambda: url_for("auth.account")}
)


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            authentication.change_password(current_user, form.current.data, form.new.data)
        if done:
            # keep this session valid with the new session token; pass the user, not the proxy: Flask-Login would
            # store the proxy in g and every later `current_user` lookup would recurse until the process dies.
            login_user(current_user._get_current_object())
            flash("Kata sandi berhasil diganti.", "success")
            return redirect(url_for("auth.account"), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/account.html", form=form), status


@bp.route("/akun/kata-sandi-baru", methods=["GET", "POST"])
@login_required
def set_password():
    form = SetPasswordForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            authentication.set_new_password(current_user, form.new.data)
        if done:
            login_user(current_user._get_current_object())
            flash("Kata sandi baru tersimpan.", "success")
            return redirect(url_for("dashboard.index"), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/set_password.html", form=form), status
