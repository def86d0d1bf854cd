"""Contributions: IWP Taspen, BPJS Kesehatan with the shared ceiling, JKK/JKM and Tapera (domain reference §4.3–4.4).

Employer-paid items (BPJS 4%, JKK, JKM) appear twice on the daftar gaji, as tunjangan and as potongan, so
the net is unchanged while they still count as taxable income (PMK 168/2023 Pasal 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .bases import dasar_iuran
from .gaji import make_line
from .lines import Bagian, Line, LineKind, to_rupiah
from .rules import RuleVersion
from .tables import BpjsKesehatanRates, IwpRates, JaminanTaspenRates, TaperaRates


def iwp(rates: RuleVersion[IwpRates], gapok: int, tunjangan_keluarga: int, tunjangan_jabatan: int = 0) -> Line:
    """IWP Taspen 8% = 4,75% pensiun + 3,25% THT of the row's base, by default gaji pokok + tunjangan keluarga
    (PP 25/1981)."""
    base = dasar_iuran(rates.data.dasar, gapok, tunjangan_keluarga, tunjangan_jabatan)
    amount = to_rupiah(base * rates.data.total)
    inputs = (("dasar", base), ("persen", rates.data.total))
    return make_line("POT_IWP", "Iuran wajib pegawai (IWP) 8%", amount, LineKind.POTONGAN, rates, inputs)


@dataclass(frozen=True)
class BpjsShares:
    """BPJS Kesehatan bases after the shared ceiling and the resulting lines for gaji and TPP."""

    dasar_gaji: int
    dasar_tpp: int
    lines: tuple[Line, ...]


def bpjs_dasar(rates: BpjsKesehatanRates, dasar_gaji: int, dasar_tpp: int) -> tuple[int, int]:
    """Split the Rp12 juta ceiling between gaji and TPP: gaji first, TPP gets what remains (Perpres 64/2020)."""
    gaji = min(max(dasar_gaji, 0), rates.batas_atas)
    tpp = min(max(dasar_tpp, 0), rates.batas_atas - gaji)
    return gaji, tpp


def bpjs_kesehatan(rates: RuleVersion[BpjsKesehatanRates], dasar_gaji: int, dasar_tpp: int) -> BpjsShares:
    """BPJS Kesehatan 4% pemberi kerja + 1% peserta on gaji and TPP within one shared Rp12 juta ceiling.

    Perpres 82/2018 as amended by Perpres 75/2019 Pasal 30 and 33, ceiling Perpres 64/2020: if gaji already
    uses Rp5 juta of the base, TPP can use only Rp7 juta.
    """
    r = rates.data
    gaji, tpp = bpjs_dasar(r, dasar_gaji, dasar_tpp)
    lines: list[Line] = []
    for bagian, base, used, suffix in ((Bagian.GAJI, gaji, 0, ""), (Bagian.TPP, tpp, gaji, "_TPP")):
        if base <= 0:
            continue
        label_tpp = " atas TPP" if bagian is Bagian.TPP else ""
        common = (("dasar", base), ("batas_atas", r.batas_atas), ("dasar_terpakai_gaji", used))
        employer = to_rupiah(base * r.pemberi_kerja)
        employee = to_rupiah(base * r.peserta)
        lines += [
            make_line(
                f"TJ_BPJS{suffix}",
                f"Tunjangan iuran BPJS Kesehatan 4%{label_tpp} (dibayar pemberi kerja)",
                employer,
                LineKind.PENGHASILAN,
                rates,
                (*common, ("persen", r.pemberi_kerja)),
                bagian,
            ),
            make_line(
                f"POT_BPJS4{suffix}",
                f"Potongan iuran BPJS Kesehatan 4%{label_tpp} (bagian pemberi kerja)",
                employer,
                LineKind.POTONGAN,
                rates,
                (*common, ("persen", r.pemberi_kerja)),
                bagian,
            ),
            make_line(
                f"POT_BPJS1{suffix}",
                f"Iuran BPJS Kesehatan 1%{label_tpp} (peserta)",
                employee,
                LineKind.POTONGAN,
                rates,
                (*common, ("persen", r.peserta)),
                bagian,
            ),
        ]
    return BpjsShares(gaji, tpp, tuple(lines))


def jkk_jkm(
    rates: RuleVersion[JaminanTaspenRates], gapok: int, tunjangan_keluarga: int = 0, tunjangan_jabatan: int = 0
) -> tuple[Line, ...]:
    """JKK 0,24% (PP 70/2015) and JKM 0,72% (PP 66/2017) of the row's base (by default gaji pokok), paid by the
    Pemda, shown as tunjangan and potongan."""
    base = dasar_iuran(rates.data.dasar, gapok, tunjangan_keluarga, tunjangan_jabatan)
    out: list[Line] = []
    for code, label, rate in (
        ("JKK", "jaminan kecelakaan kerja (JKK)", rates.data.jkk),
        ("JKM", "jaminan kematian (JKM)", rates.data.jkm),
    ):
        amount = to_rupiah(base * rate)
        inputs = (("dasar", base), ("persen", rate))
        out.append(make_line(f"TJ_{code}", f"Tunjangan iuran {label}", amount, LineKind.PENGHASILAN, rates, inputs))
        out.append(make_line(f"POT_{code}", f"Potongan iuran {label}", amount, LineKind.POTONGAN, rates, inputs))
    return tuple(out)


def tapera(
    rates: RuleVersion[TaperaRates], gapok: int, tunjangan_keluarga: int = 0, tunjangan_jabatan: int = 0
) -> tuple[Line, ...]:
    """Tapera 2,5% pekerja (potongan) + 0,5% pemberi kerja (information) when the Pemda applies it.

    PP 25/2020 as amended by PP 21/2024 Pasal 15; the start date for ASN daerah is set by MenKeu/MenPANRB [R],
    hence the `aktif` switch (and the version's `berlaku_mulai`). Base: the row's `dasar`, by default gaji pokok +
    tunjangan keluarga [M].
    """
    r = rates.data
    if not r.aktif:
        return ()
    dasar = dasar_iuran(r.dasar, gapok, tunjangan_keluarga, tunjangan_jabatan)
    base = Decimal(dasar)
    return (
        make_line(
            "POT_TAPERA",
            "Simpanan Tapera 2,5% (peserta)",
            to_rupiah(base * r.pekerja),
            LineKind.POTONGAN,
            rates,
            (("dasar", dasar), ("persen", r.pekerja)),
        ),
        make_line(
            "INFO_TAPERA_PEMBERI_KERJA",
            "Simpanan Tapera 0,5% (dibayar pemberi kerja)",
            to_rupiah(base * r.pemberi_kerja),
            LineKind.INFO,
            rates,
            (("dasar", dasar), ("persen", r.pemberi_kerja)),
        ),
    )
