"""Payroll months: parsing a month, its last day, the month before; the refusal every computation raises."""

from __future__ import annotations

from datetime import date, timedelta

from ...domain import DomainError


class PayrollRefused(DomainError):
    """The run refuses to compute: `problems` lists every reason (Indonesian); nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("Perhitungan ditolak: " + " ".join(problems[:20]) + (" …" if len(problems) > 20 else ""))
        self.problems = problems


# ------------------------------------------------------------------------------------------- months


def parse_month(text: str) -> date:
    """ "2026-10" → date(2026, 10, 1); `DomainError` otherwise."""
    try:
        year, month = text.strip().split("-")[:2]
        return date(int(year), int(month), 1)
    except (ValueError, AttributeError) as e:
        raise DomainError(f"Bulan '{text}' tidak sah; gunakan format TTTT-BB, misalnya 2026-10.", "month") from e


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)
