"""Select choices, labels and small helpers shared by the area's pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import flash

from ....domain import DomainError
from ....domain.development import ReasonKind
from ....services.development import catalogue, documents, lifecycle
from ....web import Outcome

REASON_LABELS = {r.value: r.label for r in ReasonKind}


def programme_choices(blank: str = "— pilih program —"):
    return [(None, blank)] + [
        (p.id, f"{p.name} ({p.bentuk.label}, {p.jp} JP)") for p in catalogue.programmes(include_inactive=False)
    ]


def issuer_choices():
    return [(u.id, u.name) for u in documents.issuer_units()]


def flash_issue_failure(outcome: Outcome) -> None:
    """A letter that could not be issued: one a simultaneous click issued first is news ("info"), else an error."""
    flash(outcome.message, "info" if outcome.conflict else "error")


@contextmanager
def bulk_rows(rows: dict[int, str]) -> Iterator[None]:
    """Keep the per-referral messages of a `BulkError` for the page; `attempt` reports its general message."""
    try:
        yield
    except lifecycle.BulkError as e:
        rows.update(e.rows)
        raise


def valid_reason(form) -> str:
    """The reason typed in a `ReasonForm`, or the one message the pages show for a missing or short reason."""
    if not form.validate():
        raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
    return form.reason.data
