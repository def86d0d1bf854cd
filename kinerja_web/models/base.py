"""Shared column helpers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum

from ..domain.labels import LabeledEnum  # noqa: F401  (re-exported: one labelled-enum base)


def utcnow() -> datetime:
    """Timestamps are stored in UTC (timezone-aware) and shown in WIB by the `waktu` filter."""
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum], length: int = 24) -> Enum:
    """Enums stored as their value in a VARCHAR + CHECK-free column: portable and readable in SQL."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


TZDateTime = DateTime(timezone=True)
