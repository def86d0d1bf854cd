"""Shared column helpers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum


def utcnow() -> datetime:
    """Timestamps are stored in UTC (timezone-aware) and shown in WIB by the `waktu` filter."""
    return datetime.now(UTC)


class LabeledEnum(enum.StrEnum):
    """String enum whose members carry an Indonesian label: `Role.PEGAWAI.label == "Pegawai"`."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


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
