"""Competency development rules: the 20 JP right, referral workflow, eligibility and schedule clashes.

Pure functions over plain values (no Flask, no database). Legal basis: PP 11/2017 as amended by
PP 17/2020 Pasal 203 (at least 20 jam pelajaran per PNS per year, domain §3.1), Perlan LAN 10/2018
(forms of pengembangan kompetensi, §3.2) and PP 30/2019 Pasal 57 (6 months to improve, §2.11).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import DomainError
from .golongan import rank
from .labels import LabeledEnum, tanggal
from .lifecycle import Lifecycle

JP_TARGET = 20  # PP 17/2020 Pasal 203: at least 20 JP per year
IMPROVEMENT_MONTHS = 6  # PP 30/2019 Pasal 57: six months to improve performance
JP_MAX_PER_ENTRY = 1000  # a typo guard: even a year-long diklat is a few hundred JP


class ReferralStatus(LabeledEnum):
    DIUSULKAN = "diusulkan", "Diusulkan"
    DITUGASKAN = "ditugaskan", "Ditugaskan"
    BERJALAN = "berjalan", "Berjalan"
    SELESAI = "selesai", "Selesai"
    TIDAK_SELESAI = "tidak_selesai", "Tidak selesai"
    DITOLAK = "ditolak", "Tidak ditindaklanjuti"

    # State helpers for pages (templates ask these instead of comparing status strings).
    @property
    def is_suggestion(self) -> bool:
        return self is ReferralStatus.DIUSULKAN

    @property
    def is_assigned(self) -> bool:
        return self is ReferralStatus.DITUGASKAN

    @property
    def is_running(self) -> bool:
        return self is ReferralStatus.BERJALAN

    @property
    def is_completed(self) -> bool:
        return self is ReferralStatus.SELESAI

    @property
    def is_active(self) -> bool:
        """Assigned or running: it can still be completed or marked not completed."""
        return self in ACTIVE

    @property
    def takes_seat(self) -> bool:
        """Assigned, running or completed: it holds a seat (and may get a surat tugas)."""
        return self in OCCUPYING

    @property
    def ended_unfinished(self) -> bool:
        """Not completed, or not followed up."""
        return self in (ReferralStatus.TIDAK_SELESAI, ReferralStatus.DITOLAK)


S = ReferralStatus
# A suggestion is never an assignment: only HR turns DIUSULKAN into DITUGASKAN (or dismisses it).
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.DIUSULKAN: frozenset({S.DITUGASKAN, S.DITOLAK}),
    S.DITUGASKAN: frozenset({S.BERJALAN, S.TIDAK_SELESAI}),
    S.BERJALAN: frozenset({S.SELESAI, S.TIDAK_SELESAI}),
    S.SELESAI: frozenset(),
    S.TIDAK_SELESAI: frozenset(),
    S.DITOLAK: frozenset(),
}
# Statuses that take a seat in a programme and count for schedule clashes.
OCCUPYING = frozenset({S.DITUGASKAN, S.BERJALAN, S.SELESAI})
ACTIVE = frozenset({S.DITUGASKAN, S.BERJALAN})
OPEN = frozenset({S.DIUSULKAN, S.DITUGASKAN, S.BERJALAN})


LIFECYCLE = Lifecycle(TRANSITIONS, "Rujukan", field=None, repeat_message=False)


def transition(current: ReferralStatus, target: ReferralStatus) -> ReferralStatus:
    """Check one step of the referral workflow; raises DomainError with an Indonesian message."""
    return LIFECYCLE.check(current, target)


class ProgrammeBentuk(LabeledEnum):
    """Forms of pengembangan kompetensi (Perlan LAN 10/2018, domain §3.2)."""

    PELATIHAN_KLASIKAL = "pelatihan_klasikal", "Pelatihan klasikal"
    BIMTEK = "bimtek", "Bimbingan teknis"
    SEMINAR = "seminar", "Seminar/konferensi/workshop"
    KURSUS = "kursus", "Kursus/penataran"
    PELATIHAN_NONKLASIKAL = "pelatihan_nonklasikal", "Pelatihan nonklasikal"
    E_LEARNING = "e_learning", "E-learning"
    COACHING = "coaching", "Coaching"
    MENTORING = "mentoring", "Mentoring"
    PEMBINAAN_KINERJA = "pembinaan_kinerja", "Pembinaan kinerja"
    MAGANG = "magang", "Magang/praktik kerja"
    PELATIHAN_MANAJERIAL = "pelatihan_manajerial", "Pelatihan kepemimpinan/manajerial"
    BELAJAR_MANDIRI = "belajar_mandiri", "Belajar mandiri"


KLASIKAL = frozenset(
    {
        ProgrammeBentuk.PELATIHAN_KLASIKAL,
        ProgrammeBentuk.BIMTEK,
        ProgrammeBentuk.SEMINAR,
        ProgrammeBentuk.KURSUS,
        ProgrammeBentuk.PELATIHAN_MANAJERIAL,
    }
)


def jalur(bentuk: ProgrammeBentuk) -> str:
    """ "Klasikal" or "Nonklasikal" (Perlan LAN 10/2018)."""
    return "Klasikal" if bentuk in KLASIKAL else "Nonklasikal"


class ReasonKind(LabeledEnum):
    """Why a referral was suggested: the rule that fired, with the triggering result stored beside it."""

    PREDIKAT_RENDAH = "predikat_rendah", "Predikat di bawah Baik"
    BERAKHLAK_RENDAH = "berakhlak_rendah", "Nilai BerAKHLAK rendah (360)"
    PREDIKAT_TINGGI = "predikat_tinggi", "Predikat Sangat Baik / talenta"
    JP_KURANG = "jp_kurang", "JP belum mencapai 20"
    GAP_KOMPETENSI = "gap_kompetensi", "Kesenjangan kompetensi (penilaian kompetensi)"


# --- validation of plain input --------------------------------------------------------------------


def check_jp(jp: int | None, field: str = "jp") -> int:
    """JP are whole, non-negative hours of learning; a completed programme credits at least 1 JP."""
    if jp is None:
        raise DomainError("JP wajib diisi.", field=field)
    if jp < 0:
        raise DomainError("JP tidak boleh negatif.", field=field)
    if jp > JP_MAX_PER_ENTRY:
        raise DomainError(f"JP paling banyak {JP_MAX_PER_ENTRY} per kegiatan.", field=field)
    return jp


def check_schedule(start: date | None, end: date | None) -> None:
    if (start is None) != (end is None):
        raise DomainError("Isi tanggal mulai dan tanggal selesai, atau kosongkan keduanya (mandiri).", field="end_date")
    if start and end and end < start:
        raise DomainError("Tanggal selesai tidak boleh sebelum tanggal mulai.", field="end_date")


def check_completion_date(start: date | None, today: date) -> None:
    """A programme is completed on or after its first day: completing it earlier would credit its JP on a date (and
    possibly in a year) before it took place. Self-paced programmes (no dates) may be completed any day."""
    if start is not None and today < start:
        raise DomainError(
            f"Program ini baru dimulai {tanggal(start)}; rujukan belum dapat dicatat selesai sebelum tanggal mulai "
            "(JP diakui pada tanggal dan tahun penyelesaian)."
        )


# Minimum attendance for the JP of a completed programme. No national figure is given in the domain reference
# (§3.1 PP 17/2020 Pasal 203 sets the 20 JP right, §3.2 Perlan LAN 10/2018 the forms): the number is set by the
# BKPSDM or the training provider, so it is a versioned rule (RuleKind.KEHADIRAN_MINIMAL) that HR configures,
# and this default seeds its first version.
MIN_ATTENDANCE_DEFAULT = 80


def check_min_attendance(percent: int | None, field: str = "percent") -> int:
    if percent is None or not 1 <= percent <= 100:
        raise DomainError("Kehadiran minimal 1–100%.", field=field)
    return percent


def jp_for_attendance(jp: int, attendance_percent: int, minimum: int) -> int:
    """JP credited for a completed programme: all of them at or above the minimum attendance, none below it."""
    return jp if attendance_percent >= minimum else 0


def jp_progress(total: int) -> int:
    """Percent of the 20 JP target reached, capped at 100 (for the progress bar)."""
    return min(100, max(0, total) * 100 // JP_TARGET)


# --- eligibility, capacity, clashes -----------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """A programme's eligibility: jabatan types (empty = all) and an optional golongan range."""

    kinds: frozenset[str] = frozenset()
    min_golongan: str | None = None
    max_golongan: str | None = None

    def reasons(self, kind: str | None, kind_label: str, golongan: str) -> list[str]:
        """Why an employee is not eligible (empty when eligible), in Indonesian."""
        out = []
        if self.kinds and kind not in self.kinds:
            out.append(f"jenis jabatan {kind_label or 'tidak diketahui'} tidak termasuk sasaran program")
        r = rank(golongan)
        if self.min_golongan and r < rank(self.min_golongan):
            out.append(f"golongan {golongan} di bawah batas minimal {self.min_golongan}")
        if self.max_golongan and r > rank(self.max_golongan):
            out.append(f"golongan {golongan} di atas batas maksimal {self.max_golongan}")
        return out


def overlaps(a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None) -> bool:
    """Two dated programmes clash when their days overlap; self-paced ones (no dates) never clash."""
    if None in (a_start, a_end, b_start, b_end):
        return False
    return a_start <= b_end and b_start <= a_end


@dataclass(frozen=True)
class Seat:
    """One assignment to check: which row of the form, which employee, which programme and its dates."""

    row: int
    employee_id: int
    employee_name: str
    programme_id: int
    start: date | None
    end: date | None


def clashes(new: Sequence[Seat], existing: Iterable[Seat]) -> dict[int, str]:
    """Schedule clashes per form row: against the employee's running assignments and inside the batch."""
    errors: dict[int, str] = {}
    by_employee: dict[int, list[tuple[Seat, str]]] = {}
    for seat in existing:
        by_employee.setdefault(seat.employee_id, []).append((seat, "penugasan lain"))
    for seat in new:
        for other, where in by_employee.get(seat.employee_id, []):
            if other.programme_id == seat.programme_id:
                errors[seat.row] = f"{seat.employee_name} sudah ditugaskan pada program ini."
                break
            if overlaps(seat.start, seat.end, other.start, other.end):
                errors[seat.row] = f"Jadwal {seat.employee_name} bentrok dengan {where} pada tanggal yang sama."
                break
        by_employee.setdefault(seat.employee_id, []).append((seat, "baris lain yang dipilih"))
    return errors


# --- closing the loop: did the next cycle's result improve? -------------------------------------------------


class OutcomeStatus(LabeledEnum):
    """The next cycle's result against the one that triggered a referral or an improvement plan."""

    MEMBAIK = "membaik", "Membaik"
    TETAP = "tetap", "Tetap"
    MENURUN = "menurun", "Menurun"
    BELUM_ADA_DATA = "belum_ada_data", "Belum ada data"

    @property
    def improved(self) -> bool:
        return self is OutcomeStatus.MEMBAIK

    @property
    def declined(self) -> bool:
        return self is OutcomeStatus.MENURUN

    @property
    def tone(self) -> str:
        """The tag colour of the outcome on the pages: "ok" (improved), "bad" (declined) or "" (neutral)."""
        return "ok" if self.improved else "bad" if self.declined else ""


def predikat_level(predikat: str) -> int:
    """The five predikat as steps 1 (Sangat Kurang) … 5 (Sangat Baik), so a change can be counted in steps."""
    order = ("sangat_kurang", "kurang_misconduct", "butuh_perbaikan", "baik", "sangat_baik")
    value = getattr(predikat, "value", predikat)
    return order.index(value) + 1


def compare(before: Decimal | int | None, after: Decimal | int | None) -> tuple[OutcomeStatus, Decimal | None]:
    """(status, change) of a result: higher is better; either side missing means no data yet."""
    if before is None or after is None:
        return OutcomeStatus.BELUM_ADA_DATA, None
    change = Decimal(after) - Decimal(before)
    if change > 0:
        return OutcomeStatus.MEMBAIK, change
    if change < 0:
        return OutcomeStatus.MENURUN, change
    return OutcomeStatus.TETAP, change
