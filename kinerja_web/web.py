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

from flask import Blueprint, flash, redirect
from flask_login import login_required
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

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


def form_target_answers_get(bp: Blueprint, rule: str, endpoint: str, page: Callable[..., str]) -> None:
    """A POST-only form target also answers GET, with a 303 to the page that holds the form (`page(**url values)`
    builds its URL): the address a boosted POST left in the bar, reloaded after a failed save, is never a 405."""

    def to_page(**values):
        return redirect(page(**values), 303)

    to_page.__name__ = endpoint
    bp.add_url_rule(rule, endpoint, login_required(to_page), methods=["GET"])
