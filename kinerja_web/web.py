"""The request lifecycle: one place that ends a view's action (STYLE.md §2.17).

A view loads what it needs (404), authorizes (403/404), then does its action inside `attempt`:

    with attempt(form) as done:
        services.decide(proposal, target, form.reason.data, current_user)
    if not done:
        return _manage_page(proposal.period, 422, issue_form=form)
    flash("Usulan diputuskan.", "success")
    return redirect(url_for(...), 303)

On success the session is committed once. On a `DomainError` the transaction is rolled back and the message goes
on the form field it names (or the form, or the page's `#pesan` when no form is given); what the user typed stays
in the form. When the commit finds that another user changed the row meanwhile (a version-counter conflict, or a
unique key someone else took first when `conflict_on_integrity` is set), the transaction is rolled back and the
"telah diubah" message is shown the same way. A database that is busy past its lock timeout or unreachable (an
`OperationalError`) is rolled back and reported in words (BUSY_MESSAGE), its SQL only in the log. Nothing else is
caught: a bug stays a 500 with its traceback logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Blueprint, Flask, flash, redirect
from flask_login import login_required
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import Rule

from .domain import DomainError
from .extensions import db

# A lock another process held past the busy timeout ("database is locked" on SQLite), a lost connection: the
# user reads this, never the SQL (which goes to the log).
BUSY_MESSAGE = (
    "Basis data sedang sibuk dipakai proses lain atau tidak dapat dihubungi. Isian Anda belum disimpan; coba "
    "lagi beberapa saat lagi."
)
log = logging.getLogger(__name__)

CONFLICT_MESSAGE = (
    "Data ini telah diubah oleh pengguna lain sejak halaman dibuka. Isian Anda belum disimpan; "
    "periksa lalu simpan ulang."
)


@dataclass
class Outcome:
    """How an attempted action ended: truthy when it was committed."""

    ok: bool = True
    message: str | None = None
    field: str | None = None
    conflict: bool = False

    def __bool__(self) -> bool:
        return self.ok

    @property
    def failed(self) -> bool:
        return not self.ok


@contextmanager
def attempt(
    form=None,
    *,
    flash_category: str | None = "error",
    conflict: str = CONFLICT_MESSAGE,
    conflict_on_integrity: bool = False,
    commit: bool = True,
) -> Iterator[Outcome]:
    """Run the block as one unit of work: commit on success, roll back and report on a domain error or conflict.

    - `form`: a `forms.BaseForm` that receives the message on `DomainError.field` (or as a form error). Without a
      form the message is flashed into `#pesan` with `flash_category` (None: the caller shows `outcome.message`).
    - `conflict`: the message for a stale-data conflict, when the area words it its own way.
    - `commit=False`: the caller still has work in the same transaction and commits later (rare; a view that
      renders from objects it must not expire). Errors are still rolled back and reported.
    """
    outcome = Outcome()
    try:
        yield outcome
        if commit:
            db.session.commit()
    except DomainError as e:
        db.session.rollback()
        outcome.ok, outcome.message, outcome.field = False, e.message, e.field
    except StaleDataError:
        db.session.rollback()
        outcome.ok, outcome.message, outcome.conflict = False, conflict, True
    except IntegrityError:
        if not conflict_on_integrity:
            raise
        db.session.rollback()
        outcome.ok, outcome.message, outcome.conflict = False, conflict, True
    except OperationalError:
        log.warning("Database busy or unreachable; the action was rolled back", exc_info=True)
        db.session.rollback()
        outcome.ok, outcome.message = False, BUSY_MESSAGE
    if outcome.ok:
        return
    if form is not None:
        form.add_error(outcome.field, outcome.message)
    elif flash_category is not None:
        flash(outcome.message, flash_category)


@dataclass(frozen=True)
class FormPages:
    """Where each POST-only form target of one blueprint sends a GET: `pages` maps a POST view's endpoint (without
    the blueprint's name) to `page(**url values)`, the URL of the page that holds its form; `default` serves every
    other POST-only target of the blueprint. The page function may authorize (403/404) as the form's page would."""

    pages: dict[str, Callable[..., str]]
    default: Callable[..., str] | None = None

    def page_for(self, endpoint: str) -> Callable[..., str] | None:
        return self.pages.get(endpoint, self.default)


# blueprint name → its form pages (declared next to the blueprint's views, applied by `answer_get_on_form_targets`)
FORM_PAGES: dict[str, FormPages] = {}


def form_targets_answer_get(bp: Blueprint, pages: dict[str, Callable[..., str]], default=None) -> None:
    """Every POST-only form target of `bp` also answers GET, with a 303 to the page that holds the form: the address
    a boosted POST left in the bar, reloaded after a failed save (or bookmarked, or typed), is never a 405.
    One declaration per blueprint, read once every route is on the app (`answer_get_on_form_targets`)."""
    if bp.name in FORM_PAGES:
        raise RuntimeError(f"Form pages of {bp.name} declared twice")
    FORM_PAGES[bp.name] = FormPages(dict(pages), default)


def form_page_url(endpoint: str, view_args: dict) -> str:
    """The URL of the page holding the form that posts to `endpoint` ("bp.view")."""
    blueprint, _, name = endpoint.partition(".")
    return FORM_PAGES[blueprint].page_for(name)(**view_args)


def post_only_rules(app: Flask, blueprint: str) -> list[Rule]:
    """The blueprint's rules that accept POST while no rule of the same address accepts GET."""
    methods: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods.setdefault(rule.rule, set()).update(rule.methods or ())
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.partition(".")[0] == blueprint and "POST" in rule.methods and "GET" not in methods[rule.rule]
    ]


def _to_form_page(endpoint: str):
    def to_page(**values):
        return redirect(form_page_url(endpoint, values), 303)

    return login_required(to_page)


def answer_get_on_form_targets(app: Flask) -> None:
    """Called by `create_app` after every blueprint is registered: adds the GET rule of each declared blueprint's
    POST-only targets (endpoint "<post endpoint>__page"). A target without a page, or a page for no POST-only
    target, stops the start: the table stays the one statement of the rule."""
    for blueprint, declared in FORM_PAGES.items():
        if blueprint not in app.blueprints:
            continue
        rules = post_only_rules(app, blueprint)
        names = {rule.endpoint.partition(".")[2] for rule in rules}
        if stale := set(declared.pages) - names:
            raise RuntimeError(f"{blueprint}: form pages for no POST-only target: {sorted(stale)}")
        views = {}
        for rule in rules:
            if declared.page_for(rule.endpoint.partition(".")[2]) is None:
                raise RuntimeError(f"{blueprint}: the form target {rule.rule} has no page for GET")
            view = views.setdefault(rule.endpoint, _to_form_page(rule.endpoint))
            app.add_url_rule(rule.rule, f"{rule.endpoint}__page", view, methods=["GET"])
