"""TPP status periods (cuti, tugas belajar, hukuman disiplin) and which of them count for a payroll month.

Domain reference §6.5 and §6.8: `tpp_bruto = (...) × faktor_status(CPNS, cuti, tubel, hukdis…)`; the factors
themselves are the versioned table `tpp_faktor_status` [R]. CPNS is derived from the employee's status;
the other codes come from periods recorded by HR with their SK.

Month rule (Perbup pattern, Kab. Wonogiri 2019 [V1]: "TPP stops for a full calendar month of leave"):

* ``CUTI_SEBULAN`` counts only when the leave covers EVERY day of the month (shorter leave is handled by
  the attendance codes of the disiplin part, which carry no deduction for cuti);
* ``TUGAS_BELAJAR`` and ``HUKDIS_*`` count when the period is in force on ANY day of the month (the
  punishment or study assignment applies to the months it touches; the Perbup may narrow this [R]).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .. import DomainError
from ..labels import tanggal

# Non-CPNS status codes, in the order they are listed on a payslip (keys of `tpp_faktor_status`).
STATUS_KINDS = ("CUTI_SEBULAN", "TUGAS_BELAJAR", "HUKDIS_RINGAN", "HUKDIS_SEDANG", "HUKDIS_BERAT")
WHOLE_MONTH_KINDS = frozenset({"CUTI_SEBULAN"})


@dataclass(frozen=True)
class StatusPeriod:
    kind: str
    mulai: date
    sampai: date | None = None  # inclusive; None = open-ended


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Whether two inclusive date ranges (None = open end) share at least one day."""
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def counts_for_month(period: StatusPeriod, month: date) -> bool:
    """Whether `period` gives its status code to the TPP of `month` (see the module's month rule)."""
    first, last = month.replace(day=1), last_day(month)
    if period.kind in WHOLE_MONTH_KINDS:
        return period.mulai <= first and (period.sampai is None or period.sampai >= last)
    return overlaps(period.mulai, period.sampai, first, last)


def statuses_for_month(periods: Iterable[StatusPeriod], month: date) -> tuple[str, ...]:
    """The status codes of one employee for `month`, each once, in `STATUS_KINDS` order."""
    found = {p.kind for p in periods if counts_for_month(p, month)}
    return tuple(k for k in STATUS_KINDS if k in found)


def check_period(new: StatusPeriod, existing: Iterable[tuple[StatusPeriod, str]]) -> None:
    """Refuse an unknown kind, an end before the start, or an overlap with a period of the same kind.

    `existing`: the employee's other periods with a short description (e.g. the SK number) for the message.
    Raises `DomainError` with the form field the message belongs next to.
    """
    if new.kind not in STATUS_KINDS:
        raise DomainError(f"Jenis status '{new.kind}' tidak dikenal.", field="kind")
    if new.sampai is not None and new.sampai < new.mulai:
        raise DomainError(
            f"Tanggal selesai ({tanggal(new.sampai)}) tidak boleh sebelum tanggal mulai ({tanggal(new.mulai)}).",
            field="sampai",
        )
    for other, desc in existing:
        if other.kind == new.kind and overlaps(new.mulai, new.sampai, other.mulai, other.sampai):
            until = tanggal(other.sampai) if other.sampai else "sekarang"
            raise DomainError(
                f"Periode tumpang tindih dengan status yang sama ({desc}: {tanggal(other.mulai)} s.d. {until}).",
                field="mulai",
            )
