"""Pembinaan kinerja: the 6-month improvement plan after a low predikat (PP 30/2019 Pasal 56–58; domain §2.11).

A PNS whose performance does not reach the target gets **6 months** to improve (Pasal 57). After that
period the review decides: improved → the plan closes; not improved → the next step depends on the
jabatan (Pasal 58): JPT retake a competency test and may be moved or demoted; pejabat administrasi and
fungsional are moved to a suitable or lower vacant post, or placed temporarily for at most one year and then
honourably dismissed when there is still no vacancy. Pure rules: no clock, no database.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from . import DomainError
from .labels import LabeledEnum
from .lifecycle import Lifecycle
from .predikat import Predikat

IMPROVEMENT_MONTHS = 6  # PP 30/2019 Pasal 57: kesempatan perbaikan 6 bulan
# Predikat below "Baik" means the performance target was not reached (PermenPANRB 6/2022, Lampiran).
PREDIKAT_NEEDING_PLAN = frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG})
REVIEW_REMINDER_DAYS = 14  # to-do shown this many days before a check-in or the review is due


def needs_improvement_plan(predikat: Predikat) -> bool:
    """True for Butuh Perbaikan, Kurang/Misconduct and Sangat Kurang (target not reached, Pasal 56–57)."""
    return Predikat(predikat) in PREDIKAT_NEEDING_PLAN


class PlanStatus(LabeledEnum):
    RUNNING = "berjalan", "Berjalan"
    IMPROVED = "membaik", "Selesai – membaik"
    NOT_IMPROVED = "tidak_membaik", "Tidak membaik – menunggu tindak lanjut"
    FOLLOWED_UP = "ditindaklanjuti", "Selesai – tindak lanjut dicatat"
    CANCELLED = "dibatalkan", "Dibatalkan"

    @property
    def tone(self) -> str:
        """The tag colour of the status on the pages: "bad", "ok" or "" (neutral)."""
        return {"tidak_membaik": "bad", "membaik": "ok", "ditindaklanjuti": "ok"}.get(self.value, "")


ALLOWED: dict[PlanStatus, frozenset[PlanStatus]] = {
    PlanStatus.RUNNING: frozenset({PlanStatus.IMPROVED, PlanStatus.NOT_IMPROVED, PlanStatus.CANCELLED}),
    PlanStatus.NOT_IMPROVED: frozenset({PlanStatus.FOLLOWED_UP}),
    PlanStatus.IMPROVED: frozenset(),
    PlanStatus.FOLLOWED_UP: frozenset(),
    PlanStatus.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({PlanStatus.RUNNING, PlanStatus.NOT_IMPROVED})


LIFECYCLE = Lifecycle(ALLOWED, "Rencana pembinaan")


def transition(current: PlanStatus, target: PlanStatus) -> PlanStatus:
    """Return `target` when the lifecycle allows it, else a DomainError with an Indonesian message."""
    return LIFECYCLE.check(current, target)


class ReviewOutcome(LabeledEnum):
    IMPROVED = "membaik", "Membaik"
    NOT_IMPROVED = "tidak_membaik", "Tidak membaik"


OUTCOME_STATUS = {ReviewOutcome.IMPROVED: PlanStatus.IMPROVED, ReviewOutcome.NOT_IMPROVED: PlanStatus.NOT_IMPROVED}


class ActionStatus(LabeledEnum):
    PLANNED = "direncanakan", "Direncanakan"
    IN_PROGRESS = "berjalan", "Berjalan"
    DONE = "selesai", "Selesai"
    MISSED = "tidak_tercapai", "Tidak tercapai"

    @property
    def is_open(self) -> bool:
        """Planned or in progress: an open action past its target date is overdue."""
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day (31 Agustus + 6 → 28/29 Februari)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def review_date(start: date) -> date:
    """End of the improvement period: 6 months after the start (PP 30/2019 Pasal 57)."""
    return add_months(start, IMPROVEMENT_MONTHS)


def check_in_dates(start: date, every_months: int) -> list[date]:
    """Check-ins every `every_months` months inside the period; the review itself closes the period."""
    if every_months not in (1, 2, 3):
        raise DomainError("Jarak pertemuan pemantauan harus 1, 2, atau 3 bulan.", field="every_months")
    return [add_months(start, n) for n in range(every_months, IMPROVEMENT_MONTHS, every_months)]


def review_is_due(start: date, today: date) -> bool:
    """The review may be recorded once the 6 months have passed (Pasal 57 gives the full period)."""
    return today >= review_date(start)


@dataclass(frozen=True)
class NextStep:
    """The recommended follow-up shown to HR, with its legal basis."""

    title: str
    detail: str
    dasar_hukum: str


JABATAN_ADMINISTRASI = frozenset({"administrator", "pengawas", "pelaksana"})


def next_step(outcome: ReviewOutcome, position_kind: str | None, is_pppk: bool = False) -> NextStep:
    """Recommended next step after the 6-month review (PP 30/2019 Pasal 57–58; PP 49/2018 for PPPK).

    `position_kind` is the value of the employee's jabatan type ("jpt", "administrator", "pengawas",
    "pelaksana", "fungsional") or None when the record has no post.
    """
    outcome = ReviewOutcome(outcome)
    if outcome is ReviewOutcome.IMPROVED:
        return NextStep(
            "Pembinaan selesai",
            "Kinerja membaik dalam masa perbaikan; lanjutkan pemantauan melalui SKP dan penilaian periode berikutnya.",
            "PP 30/2019 Pasal 57",
        )
    if is_pppk:
        return NextStep(
            "Pertimbangkan dalam perpanjangan perjanjian kerja",
            "Kinerja PPPK yang tidak mencapai target menjadi pertimbangan untuk tidak memperpanjang perjanjian "
            "kerja; konfirmasi dengan ketentuan yang berlaku di BKPSDM.",
            "PP 49/2018 tentang Manajemen PPPK",
        )
    if position_kind == "jpt":
        return NextStep(
            "Uji kompetensi kembali",
            "Pejabat Pimpinan Tinggi yang tidak menunjukkan perbaikan wajib mengikuti uji kompetensi kembali; "
            "berdasarkan hasilnya dapat dipindahkan ke jabatan lain sesuai kompetensi atau diturunkan jabatannya.",
            "PP 30/2019 Pasal 57–58",
        )
    if position_kind in JABATAN_ADMINISTRASI or position_kind == "fungsional":
        jenis = "Pejabat fungsional" if position_kind == "fungsional" else "Pejabat administrasi"
        return NextStep(
            "Pindah ke jabatan yang sesuai atau lebih rendah",
            f"{jenis} yang tidak menunjukkan perbaikan dipindahkan ke jabatan yang sesuai kompetensinya atau "
            "jabatan yang lebih rendah yang lowong; bila tidak ada lowongan, ditempatkan sementara paling lama "
            "1 tahun, lalu diberhentikan dengan hormat bila tetap tidak ada lowongan.",
            "PP 30/2019 Pasal 58",
        )
    return NextStep(
        "Tentukan jabatan pegawai terlebih dahulu",
        "Data jabatan pegawai kosong, sehingga langkah lanjut menurut jenis jabatan belum dapat ditentukan; "
        "lengkapi data jabatan.",
        "PP 30/2019 Pasal 58",
    )
