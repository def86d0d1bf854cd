"""Enum base with Indonesian labels, and Indonesian formatting for domain messages.

`LabeledEnum` is the one labelled-enum base of the project: the domain uses it directly and the models
re-export it (`kinerja_web.models.base`), since models may import the domain but not the reverse. The number
and date formats are those used in documents (domain reference §7.5: `Rp1.234.567`, dot thousands, comma
decimals, Indonesian month names).
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal


class LabeledEnum(enum.StrEnum):
    """String enum whose members carry an Indonesian label: `Predikat.BAIK.label == "Baik"`."""

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


NAMA_BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def rupiah(amount: int | Decimal) -> str:
    """`-1234567` → "-Rp1.234.567" (whole rupiah)."""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{abs(value):,}".replace(",", ".")


def persen(fraction: Decimal) -> str:
    """A fraction as an Indonesian percentage: `Decimal("0.0475")` → "4,75%", `Decimal("0.6")` → "60%"."""
    pct = (Decimal(fraction) * 100).normalize()
    text = f"{pct:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def tanggal(d: date) -> str:
    """`date(2024, 1, 1)` → "1 Januari 2024"."""
    return f"{d.day} {NAMA_BULAN[d.month - 1]} {d.year}"


def bulan(d: date) -> str:
    """`date(2026, 10, 1)` → "Oktober 2026"."""
    return f"{NAMA_BULAN[d.month - 1]} {d.year}"
