"""PPh 21: monthly TER (PP 58/2023) and the December/last-month Pasal 17 true-up (PMK 168/2023; §5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import DomainError
from .lines import RIBUAN, ROUNDING_PKP, to_rupiah
from .tables import BiayaJabatanRates, Bracket, Pasal17Table, PtkpRow, PtkpTable, TerTable


def ptkp_row(table: PtkpTable, ptkp_status: str | None) -> PtkpRow:
    """The PTKP row for a status (PMK 101/2016); a missing or unknown status stops the computation."""
    if not ptkp_status:
        raise DomainError("Status PTKP pegawai belum diisi; PPh 21 tidak dapat dihitung.", field="status_ptkp")
    row = table.rows.get(ptkp_status.strip().upper())
    if row is None:
        raise DomainError(f"Status PTKP '{ptkp_status}' tidak dikenal (contoh: TK/0, K/1).", field="status_ptkp")
    return row


def kategori_ter(table: PtkpTable, ptkp_status: str | None) -> str:
    """TER category A/B/C from the PTKP status at the start of the tax year (PP 58/2023 Pasal 2 ayat 2)."""
    row = ptkp_row(table, ptkp_status)
    if not row.kategori_ter:
        raise DomainError(
            f"Status PTKP {row.status} hanya dipakai pada SPT tahunan, bukan untuk pemotongan bulanan.",
            field="status_ptkp",
        )
    return row.kategori_ter


def find_bracket(brackets: tuple[Bracket, ...], amount: int) -> Bracket:
    """The bracket with `lower < amount ≤ upper` (first bracket from 0 inclusive)."""
    if amount < 0:
        raise DomainError("Penghasilan bruto tidak boleh negatif.")
    for i, b in enumerate(brackets):
        if b.contains(amount, first=i == 0):
            return b
    raise DomainError("Tabel tarif tidak mencakup jumlah ini.")


def ter_rate(table: TerTable, kategori: str, bruto: int) -> Decimal:
    """Monthly TER for a category and gross monthly income (PP 58/2023 Lampiran): lower exclusive, upper inclusive."""
    brackets = table.categories.get(kategori)
    if not brackets:
        raise DomainError(f"Tabel TER kategori {kategori} tidak tersedia.")
    return find_bracket(brackets, bruto).rate


def pph21_ter(table: TerTable, kategori: str, bruto: int) -> int:
    """PPh 21 for masa Januari–November = TER × penghasilan bruto of the month (PP 58/2023 Pasal 2; PMK 168/2023).

    Applied to the gross, not the net, and not annualised (domain reference §5.3).
    """
    return to_rupiah(ter_rate(table, kategori, bruto) * bruto)


def pasal17(table: Pasal17Table, pkp: int) -> int:
    """Annual PPh on PKP with the progressive rates of UU PPh Pasal 17 ayat 1 huruf a (UU 7/2021 HPP).

    5% up to Rp60 juta; 15% to Rp250 juta; 25% to Rp500 juta; 30% to Rp5 miliar; 35% above.
    """
    if pkp <= 0:
        return 0
    tax = Decimal(0)
    for b in table.brackets:
        if pkp <= b.lower:
            break
        top = pkp if b.upper is None else min(pkp, b.upper)
        tax += (top - b.lower) * b.rate
    return to_rupiah(tax)


def round_down_pkp(amount: Decimal | int) -> int:
    """PKP rounded down to whole thousands (UU PPh Pasal 17 ayat 4; PMK 168/2023)."""
    if amount <= 0:
        return 0
    return int((Decimal(amount) / RIBUAN).quantize(Decimal(1), rounding=ROUNDING_PKP) * RIBUAN)


def biaya_jabatan(rates: BiayaJabatanRates, bruto_setahun: int, bulan_bekerja: int = 12) -> int:
    """Biaya jabatan 5% of annual bruto, at most Rp6 juta a year, i.e. Rp500.000 per month worked (PMK 168/2023 Pasal 10)."""
    cap = Decimal(rates.maks_setahun) * bulan_bekerja / 12
    return to_rupiah(min(Decimal(bruto_setahun) * rates.persen, cap))


@dataclass(frozen=True)
class PphSetahun:
    """An annual Pasal 17 computation, every intermediate figure kept for the explanation."""

    bruto_setahun: int
    biaya_jabatan: int
    iuran_pensiun: int
    neto: int
    ptkp: int
    pkp: int
    pph_setahun: int


@dataclass(frozen=True)
class PphTahunan(PphSetahun):
    """The last-tax-month computation: the year's tax less what was withheld January .. previous month."""

    pph_sebelumnya: int
    pph_masa_terakhir: int  # may be negative: lebih bayar, refunded per PMK 168/2023
    # zakat paid through the employer to an official body this tax year (PMK 168/2023 Pasal 10 ayat 1 huruf c)
    zakat: int = 0


def pph21_masa_terakhir(
    pasal17_table: Pasal17Table,
    biaya_jabatan_rates: BiayaJabatanRates,
    ptkp: PtkpRow,
    bruto_setahun: int,
    iuran_pensiun_setahun: int,
    pph_sebelumnya: int,
    bulan_bekerja: int = 12,
    zakat_setahun: int = 0,
) -> PphTahunan:
    """December (or last tax month) PPh 21 = annual Pasal 17 tax − PPh withheld Jan..previous month (PMK 168/2023).

    neto = bruto setahun − biaya jabatan − iuran pensiun/THT paid by the employee (BPJS Kesehatan 1% is not
    deductible) − zakat paid through the employer to an official body (UU PPh Pasal 9 ayat 1 huruf g; PP 60/2010;
    PMK 168/2023 Pasal 10 ayat 1 huruf c); PKP = neto − PTKP rounded down to thousands; the result may be
    negative (lebih bayar).
    """
    bj = biaya_jabatan(biaya_jabatan_rates, bruto_setahun, bulan_bekerja)
    neto = bruto_setahun - bj - iuran_pensiun_setahun - zakat_setahun
    pkp = round_down_pkp(neto - ptkp.ptkp_setahun)
    tax = pasal17(pasal17_table, pkp)
    return PphTahunan(
        bruto_setahun=bruto_setahun,
        biaya_jabatan=bj,
        iuran_pensiun=iuran_pensiun_setahun,
        neto=neto,
        ptkp=ptkp.ptkp_setahun,
        pkp=pkp,
        pph_setahun=tax,
        pph_sebelumnya=pph_sebelumnya,
        pph_masa_terakhir=tax - pph_sebelumnya,
        zakat=zakat_setahun,
    )


@dataclass(frozen=True)
class PphDisetahunkan(PphSetahun):
    """A month's PPh 21 before 2024: the month's income annualised, Pasal 17, divided by 12."""

    pph_sebulan: int


def pph21_disetahunkan(
    pasal17_table: Pasal17Table, biaya_jabatan_rates: BiayaJabatanRates, ptkp: PtkpRow, bruto: int, iuran_pensiun: int
) -> PphDisetahunkan:
    """PPh 21 of a regular month before 2024 (PMK 262/PMK.03/2010 for PNS; PER-16/PJ/2016 for pegawai tetap).

    bruto and iuran pensiun/THT of the month × 12; biaya jabatan 5% at most Rp500.000 a month (Rp6.000.000 a
    year); PKP = neto − PTKP rounded down to thousands; Pasal 17 rates of the year; the month's tax is the
    annual tax / 12, rounded to the rupiah.
    """
    bruto_setahun = 12 * bruto
    bj = biaya_jabatan(biaya_jabatan_rates, bruto_setahun)
    iuran_setahun = 12 * iuran_pensiun
    neto = bruto_setahun - bj - iuran_setahun
    pkp = round_down_pkp(neto - ptkp.ptkp_setahun)
    tax = pasal17(pasal17_table, pkp)
    return PphDisetahunkan(
        bruto_setahun, bj, iuran_setahun, neto, ptkp.ptkp_setahun, pkp, tax, to_rupiah(Decimal(tax) / 12)
    )
