"""Versioned rule tables: every rate and table is data with `berlaku_mulai` and a legal citation.

Regulations change every year (domain reference, preamble: "treat every table as versioned data with a
`berlaku_mulai` date"). A `RuleTable` holds the successive versions of one rule; a version without
`berlaku_sampai` lasts until the next one starts. A payroll month uses the version in force on the first
day of the month, and the payslip records its `version_id` so a past month can be recomputed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from .. import DomainError
from ..labels import bulan, tanggal

T = TypeVar("T")


def first_of_month(month: date) -> date:
    """Payroll months are identified by their first day."""
    return month.replace(day=1)


@dataclass(frozen=True)
class RuleVersion(Generic[T]):
    """One version of a rule: its payload, when it applies and which regulation it comes from."""

    version_id: str
    berlaku_mulai: date
    citation: str
    data: T
    berlaku_sampai: date | None = None  # inclusive; None = until the next version starts

    def periode(self) -> str:
        """ "1 Januari 2024 s.d. 31 Desember 2024" or "mulai 1 Januari 2024"."""
        if self.berlaku_sampai is None:
            return f"mulai {tanggal(self.berlaku_mulai)}"
        return f"{tanggal(self.berlaku_mulai)} s.d. {tanggal(self.berlaku_sampai)}"


@dataclass(frozen=True)
class RuleTable(Generic[T]):
    """All versions of one rule, e.g. the gaji pokok PNS table (PP 15/2019, then PP 5/2024)."""

    code: str
    label: str  # Indonesian, for messages and the admin screen
    versions: tuple[RuleVersion[T], ...]

    def problems(self) -> list[str]:
        """Indonesian descriptions of what is wrong with the effective dates; empty when valid.

        Rejected: no version at all, a version ending before it starts, two versions whose periods overlap
        (including the same `berlaku_mulai`), and a gap between an explicit `berlaku_sampai` and the next
        version (a month in the gap would have no rule, and a run must refuse rather than guess).
        """
        if not self.versions:
            return [f"Tabel {self.label} belum memiliki versi yang berlaku."]
        found: list[str] = []
        ordered = sorted(self.versions, key=lambda v: (v.berlaku_mulai, v.version_id))
        ids = [v.version_id for v in ordered]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            found.append(f"Tabel {self.label}: kode versi '{dup}' dipakai lebih dari sekali.")
        for v in ordered:
            if v.berlaku_sampai is not None and v.berlaku_sampai < v.berlaku_mulai:
                found.append(
                    f"Tabel {self.label}: versi '{v.version_id}' berakhir ({tanggal(v.berlaku_sampai)}) sebelum "
                    f"mulai berlaku ({tanggal(v.berlaku_mulai)})."
                )
        for prev, nxt in zip(ordered, ordered[1:], strict=False):
            if nxt.berlaku_mulai == prev.berlaku_mulai or (
                prev.berlaku_sampai is not None and nxt.berlaku_mulai <= prev.berlaku_sampai
            ):
                found.append(
                    f"Tabel {self.label}: versi '{prev.version_id}' ({prev.periode()}) tumpang tindih dengan "
                    f"versi '{nxt.version_id}' ({nxt.periode()})."
                )
            elif prev.berlaku_sampai is not None and nxt.berlaku_mulai > prev.berlaku_sampai + timedelta(days=1):
                found.append(
                    f"Tabel {self.label}: ada celah antara versi '{prev.version_id}' (berakhir "
                    f"{tanggal(prev.berlaku_sampai)}) dan versi '{nxt.version_id}' (mulai "
                    f"{tanggal(nxt.berlaku_mulai)}); tanggal di antaranya tidak memiliki aturan."
                )
        return found

    def validate(self) -> None:
        """Raise `DomainError` listing every problem with the effective dates."""
        found = self.problems()
        if found:
            raise DomainError(" ".join(found), field=self.code)

    def in_force(self, month: date) -> RuleVersion[T]:
        """The version in force on the first day of `month`; `DomainError` when there is none."""
        day = first_of_month(month)
        candidates = [v for v in self.versions if v.berlaku_mulai <= day]
        if candidates:
            chosen = max(candidates, key=lambda v: v.berlaku_mulai)
            if chosen.berlaku_sampai is None or chosen.berlaku_sampai >= day:
                return chosen
        raise DomainError(
            f"Tidak ada versi tabel {self.label} yang berlaku untuk bulan {bulan(day)}; "
            f"perhitungan dihentikan agar tidak menebak.",
            field=self.code,
        )


def single(code: str, label: str, citation: str, berlaku_mulai: date, data: T, version_id: str = "") -> RuleTable[T]:
    """A table with one open-ended version (the usual case for a fresh install)."""
    vid = version_id or f"{code}@{berlaku_mulai.isoformat()}"
    return RuleTable(code, label, (RuleVersion(vid, berlaku_mulai, citation, data),))
