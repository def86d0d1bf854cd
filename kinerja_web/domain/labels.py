"""Enum base with Indonesian labels, and Indonesian formatting for domain messages.

`LabeledEnum` is the one labelled-enum base of the project: the domain uses it directly and the models
re-export it (`kinerja_web.models.base`), since models may import the domain but not the reverse. The number
and date formats are those used in documents (domain reference §7.5: `Rp1.234.567`, dot thousands, comma
decimals, Indonesian month names). These are the one home of those formats: the Jinja filters
(`kinerja_web/jinja.py`), the PDFs and the messages all call them, so a page, a document and a flash agree.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


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


NAMA_BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def ribuan(value: int | Decimal | str) -> str:
    """`1234567` → "1.234.567" (dot thousands); a Decimal (or its text, as read back from JSON) is rounded
    half-up to a whole number first."""
    if not isinstance(value, int):
        value = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def rupiah(amount: int | Decimal | str) -> str:
    """`1234567` → "Rp 1.234.567", `-1234567` → "-Rp 1.234.567" (whole rupiah, half-up)."""
    text = ribuan(amount)
    return "-Rp " + text[1:] if text.startswith("-") else "Rp " + text


def ukuran(size: int) -> str:
    """A file size: `512` → "512 B", `22221` → "21,7 KB", `5 * 1024 * 1024` → "5 MB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            amount = (Decimal(size) / scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            return f"{amount.normalize():f}".replace(".", ",") + f" {unit}"
    return f"{size} B"


def full_stop(text: str) -> str:
    """End a sentence with one full stop: "… Budi" gets it, "… Nurdin, S.Sos." keeps its own (no "S.Sos..")."""
    return text if text.endswith(".") else text + "."


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


def tanggal_singkat(d: date) -> str:
    """`date(2026, 11, 27)` → "27 Nov 2026" (tables and other dense places)."""
    return f"{d.day} {NAMA_BULAN_SINGKAT[d.month - 1]} {d.year}"


def bulan(d: date) -> str:
    """`date(2026, 10, 1)` → "Oktober 2026"."""
    return f"{NAMA_BULAN[d.month - 1]} {d.year}"
