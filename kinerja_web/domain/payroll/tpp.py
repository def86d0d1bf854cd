"""TPP (Tambahan Penghasilan Pegawai): kinerja and disiplin parts, deductions and status factors (§6).

Legal frame: PP 12/2019 Pasal 58 and Kepmendagri 900-4700/2020; every number is regional configuration
from the Perbup TPP [R]. Skeleton (domain reference §6.8):

    komp_kinerja  = pagu × porsi_kinerja × persen(predikat) × faktor_status
    komp_disiplin = pagu × porsi_disiplin × max(0, 1 − Σ potongan) × faktor_status
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import DomainError
from ..labels import persen, tanggal
from ..predikat import Predikat
from .gaji import make_line
from .lines import Bagian, Line, LineKind, to_rupiah
from .rules import RuleVersion
from .tables import (
    DisiplinBand,
    JenisPotongan,
    TppFaktorStatus,
    TppKomposisi,
    TppPagu,
    TppPersenPredikat,
    TppPotonganDisiplin,
)


@dataclass(frozen=True)
class AttendanceEvent:
    """One day of the attendance-machine export: late minutes, early-leave minutes, absence code (TK, C, S, …)."""

    tanggal: date
    terlambat_menit: int = 0
    pulang_cepat_menit: int = 0
    kode_absen: str | None = None


@dataclass(frozen=True)
class PotonganItem:
    """One deduction behind the disiplin part: which event, which band, how much."""

    tanggal: date
    kode: str
    keterangan: str
    persen: Decimal

    def describe(self) -> str:
        return f"{tanggal(self.tanggal)}: {self.kode} ({self.keterangan}) {persen(self.persen)}"


@dataclass(frozen=True)
class PotonganDisiplin:
    items: tuple[PotonganItem, ...]
    total_persen: Decimal  # Σ of the bands, may exceed the cap
    persen_dipakai: Decimal  # min(total, cap)

    @property
    def capped(self) -> bool:
        return self.total_persen > self.persen_dipakai


def _minute_band(bands: Iterable[DisiplinBand], jenis: JenisPotongan, minutes: int) -> DisiplinBand | None:
    for b in bands:
        if b.jenis is jenis and b.menit_min is not None and minutes >= b.menit_min:
            if b.menit_max is None or minutes <= b.menit_max:
                return b
    return None


def potongan_disiplin(config: TppPotonganDisiplin, events: Iterable[AttendanceEvent]) -> PotonganDisiplin:
    """Deductions of the disiplin part from the month's attendance events, capped at 100% of that part [R].

    Per event: an absence code with a band (e.g. TK per day) deducts that band; codes in
    `kode_tanpa_potongan` (cuti, sakit, dinas luar…) deduct nothing; an unknown code stops the run.
    Otherwise late minutes match one TL band and early-leave minutes one PSW band (example bands from
    `tpp_disiplin_potongan_contoh.csv`: Kab. Toba / Kab. Tebo Perbup 1/2022).
    """
    items: list[PotonganItem] = []
    for ev in sorted(events, key=lambda e: (e.tanggal, e.kode_absen or "")):
        if ev.terlambat_menit < 0 or ev.pulang_cepat_menit < 0:
            raise DomainError(f"Menit terlambat/pulang cepat pada {tanggal(ev.tanggal)} tidak boleh negatif.")
        code = (ev.kode_absen or "").strip().upper()
        if code:
            band = next((b for b in config.bands if b.kode_absen and b.kode_absen.upper() == code), None)
            if band is not None:
                items.append(PotonganItem(ev.tanggal, band.kode, band.keterangan, band.persen))
                continue
            if code not in config.kode_tanpa_potongan:
                raise DomainError(
                    f"Kode kehadiran '{ev.kode_absen}' pada {tanggal(ev.tanggal)} tidak dikenal dalam aturan potongan "
                    f"TPP; perhitungan dihentikan agar tidak menebak."
                )
        for jenis, minutes in (
            (JenisPotongan.TERLAMBAT, ev.terlambat_menit),
            (JenisPotongan.PULANG_CEPAT, ev.pulang_cepat_menit),
        ):
            if minutes > 0:
                band = _minute_band(config.bands, jenis, minutes)
                if band is not None:
                    items.append(
                        PotonganItem(ev.tanggal, band.kode, f"{band.keterangan}, {minutes} menit", band.persen)
                    )
    total = sum((i.persen for i in items), Decimal(0))
    return PotonganDisiplin(tuple(items), total, min(total, config.batas_maksimal))


def faktor_status(config: TppFaktorStatus, statuses: Iterable[str]) -> Decimal:
    """Product of the factors of the employee's statuses (CPNS, cuti, tugas belajar, hukuman disiplin) [R]."""
    factor = Decimal(1)
    for s in statuses:
        if s not in config.faktor:
            raise DomainError(f"Status '{s}' belum diatur dalam faktor TPP.", field="status_tpp")
        factor *= config.faktor[s]
    return factor


def pagu_tpp(pagu: TppPagu, kelas_jabatan: int) -> int:
    """TPP amount for a kelas jabatan from the Perbup (PP 12/2019 Pasal 58) [R]."""
    amount = pagu.per_kelas.get(kelas_jabatan)
    if amount is None:
        raise DomainError(f"Pagu TPP untuk kelas jabatan {kelas_jabatan} belum diatur.", field="kelas_jabatan")
    return amount


@dataclass(frozen=True)
class TppResult:
    lines: tuple[Line, ...]
    potongan: PotonganDisiplin
    bruto: int


def tpp(
    pagu: RuleVersion[TppPagu],
    komposisi: RuleVersion[TppKomposisi],
    persen_predikat: RuleVersion[TppPersenPredikat],
    potongan: RuleVersion[TppPotonganDisiplin],
    faktor: RuleVersion[TppFaktorStatus],
    kelas_jabatan: int,
    predikat: Predikat | None,
    events: Iterable[AttendanceEvent],
    statuses: tuple[str, ...],
) -> TppResult:
    """TPP kinerja and disiplin parts of the month (domain reference §6.8; Perbup TPP [R]).

    The kinerja part follows the predikat (no national mapping, §6.6); the disiplin part loses the
    attendance deductions (capped at 100% of that part); both are multiplied by the status factors.
    """
    if predikat is None:
        raise DomainError("Predikat kinerja pegawai belum ditetapkan; TPP kinerja tidak dapat dihitung.")
    base = pagu_tpp(pagu.data, kelas_jabatan)
    factor = faktor_status(faktor.data, statuses)
    pct = persen_predikat.data.persen[Predikat(predikat)]
    cuts = potongan_disiplin(potongan.data, events)
    status_text = ", ".join(faktor.data.label.get(s, s) for s in statuses) or "-"
    common = (("kelas_jabatan", kelas_jabatan), ("pagu", base))
    status_inputs = (("status_tpp", status_text), ("faktor_status", factor))
    kinerja = to_rupiah(base * komposisi.data.kinerja * pct * factor)
    disiplin = to_rupiah(base * komposisi.data.disiplin * (1 - cuts.persen_dipakai) * factor)
    kinerja_line = make_line(
        "TPP_KINERJA",
        "TPP komponen kinerja",
        kinerja,
        LineKind.PENGHASILAN,
        persen_predikat,
        (
            *common,
            ("porsi", komposisi.data.kinerja),
            ("predikat", Predikat(predikat).label),
            ("persen", pct),
            *status_inputs,
        ),
        Bagian.TPP,
    )
    disiplin_line = make_line(
        "TPP_DISIPLIN",
        "TPP komponen disiplin",
        disiplin,
        LineKind.PENGHASILAN,
        potongan,
        (
            *common,
            ("porsi", komposisi.data.disiplin),
            ("potongan_persen", cuts.total_persen),
            ("potongan_dipakai", cuts.persen_dipakai),
            ("kejadian", "; ".join(i.describe() for i in cuts.items) or "tidak ada"),
            *status_inputs,
        ),
        Bagian.TPP,
    )
    versions = f"{pagu.version_id}+{komposisi.version_id}+{faktor.version_id}"
    lines = tuple(
        Line(
            ln.code,
            ln.label,
            ln.amount,
            ln.kind,
            ln.bagian,
            f"{pagu.citation}; {ln.citation}",
            f"{versions}+{ln.rule_version}",
            ln.inputs,
        )
        for ln in (kinerja_line, disiplin_line)
    )
    return TppResult(lines, cuts, kinerja + disiplin)
