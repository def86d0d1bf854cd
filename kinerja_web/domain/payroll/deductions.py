"""Voluntary and third-party deductions (*potongan lain-lain*) and the recovery of an overpayment.

Pure rules (issue 20 items 4 and 8): zakat profesi through BAZNAS by the regional rule (2,5 % of a base above
a nisab), infaq, koperasi, bank instalments and dues as standing orders of a fixed amount or a percentage, and
the *potongan kelebihan pembayaran* that carries a correction's overpayment into the next months. Every one of
them stays within the net-pay floor: a deduction that would push the take-home pay under the floor is not
made that month (it shows as an information line with the reason); a recovery takes what fits and carries the
rest.

Zakat paid through the employer to an official body (BAZNAS/LAZ formed or approved by the government) is a
deduction from gross income: UU PPh Pasal 9 ayat (1) huruf g, PP 60/2010 Pasal 1, and for the employer's annual
PPh 21 computation of the last tax month PMK 168/2023 Pasal 10 ayat (1) huruf c (neto = bruto − biaya jabatan
− iuran pensiun − zakat through the employer; domain reference §5.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .. import DomainError
from ..labels import LabeledEnum, persen, rupiah
from .lines import Bagian, Line, LineKind, to_rupiah

# Citations, named once (checked against the regulation texts; see the module docstring).
CITATION_ZAKAT_PPH = "UU PPh Pasal 9 ayat (1) huruf g; PP 60/2010 Pasal 1; PMK 168/2023 Pasal 10 ayat (1) huruf c"
CITATION_PERINTAH = "Perintah potong tetap dengan surat persetujuan pegawai"
CITATION_KELEBIHAN = "Pengembalian kelebihan pembayaran gaji (koreksi proses penggajian)"

CODE_ZAKAT = "POT_ZAKAT"
CODE_KELEBIHAN = "POT_KELEBIHAN"
CODE_INFO_TIDAK_DIPOTONG = "INFO_POT_DITUNDA"
CODE_PREFIX = "POT_LAIN_"  # + jenis, e.g. POT_LAIN_KOPERASI


class JenisPotonganLain(LabeledEnum):
    ZAKAT = "zakat", "Zakat profesi"
    INFAQ = "infaq", "Infaq/sedekah"
    KOPERASI = "koperasi", "Koperasi (iuran/angsuran)"
    BANK = "bank", "Angsuran pinjaman bank"
    IURAN = "iuran", "Iuran (Dharma Wanita, arisan, KORPRI)"
    LAINNYA = "lainnya", "Potongan lain"
    KELEBIHAN = "kelebihan", "Potongan kelebihan pembayaran"


# The kinds a standing order may have (a recovery is created by a correction, never typed in).
JENIS_PERINTAH = tuple(j for j in JenisPotonganLain if j is not JenisPotonganLain.KELEBIHAN)

# Order in which deductions take the room above the floor: the state's claim first, then zakat, then the
# third parties in a fixed order (the same every month, so a bendahara can explain a skipped instalment).
PRIORITAS = (
    JenisPotonganLain.KELEBIHAN,
    JenisPotonganLain.ZAKAT,
    JenisPotonganLain.BANK,
    JenisPotonganLain.KOPERASI,
    JenisPotonganLain.INFAQ,
    JenisPotonganLain.IURAN,
    JenisPotonganLain.LAINNYA,
)


class DasarZakat(LabeledEnum):
    GAJI_TPP = "gaji_tpp", "Penghasilan yang diterima (gaji dan TPP)"
    GAJI = "gaji", "Penghasilan gaji saja (tanpa TPP)"


class ModeZakat(LabeledEnum):
    OPT_IN = "opt_in", "Ikut bila pegawai menyatakan bersedia (opt-in)"
    OPT_OUT = "opt_out", "Semua pegawai muslim yang terdaftar ikut, kecuali menyatakan keberatan (opt-out)"


@dataclass(frozen=True)
class ZakatRule:
    """Zakat profesi through the employer, as the regency's Perbup/Instruksi Bupati sets it [R]."""

    persen: Decimal = Decimal("0.025")
    dasar: DasarZakat = DasarZakat.GAJI_TPP
    nisab_bulanan: int = 0  # base below this → no zakat that month
    mode: ModeZakat = ModeZakat.OPT_IN
    penerima: str = "BAZNAS Kabupaten"
    pengurang_pph: bool = True  # paid to an official body → deducted in the annual PPh 21 computation

    def problems(self) -> list[str]:
        found = []
        if not Decimal(0) < self.persen <= Decimal(1):
            found.append("Persentase zakat harus lebih dari 0% dan paling banyak 100%.")
        if self.nisab_bulanan < 0:
            found.append("Nisab zakat tidak boleh negatif.")
        if not self.penerima.strip():
            found.append("Nama badan amil zakat penerima wajib diisi.")
        return found


@dataclass(frozen=True)
class BatasGajiBersih:
    """The net-pay floor: after every voluntary deduction the take-home pay stays at least
    max(`minimum_rupiah`, `persen_penghasilan` × the pay received) [R]."""

    persen_penghasilan: Decimal = Decimal("0.3")
    minimum_rupiah: int = 0

    def problems(self) -> list[str]:
        found = []
        if not Decimal(0) <= self.persen_penghasilan <= Decimal(1):
            found.append("Batas gaji bersih harus 0% s.d. 100% dari penghasilan.")
        if self.minimum_rupiah < 0:
            found.append("Batas gaji bersih minimum tidak boleh negatif.")
        return found


@dataclass(frozen=True)
class PotonganTetap:
    """One standing order (or recovery) as it applies to a month, snapshotted in `EmployeeInputs`."""

    ref: str  # "PT#12" (standing order 12) or "KB" (recovery), for the transfer list and the explanation
    jenis: JenisPotonganLain
    penerima: str
    jumlah: int = 0  # fixed amount per month
    persen: Decimal | None = None  # of the pay received (instead of `jumlah`); zakat: None → the rule's rate
    sisa: int = 0  # recovery: amount still to recover
    dasar: str = ""  # consent document / source runs, shown in the explanation


def check_order_values(jenis: JenisPotonganLain, jumlah: int | None, persen_: Decimal | None) -> None:
    """Refuse a standing order whose amount cannot be right, with the field to show the message next to."""
    if persen_ is not None:
        if persen_ <= 0:
            raise DomainError("Persentase harus lebih dari 0%.", field="persen")
        if persen_ > 1:
            raise DomainError("Persentase tidak boleh lebih dari 100%.", field="persen")
        if jumlah:
            raise DomainError("Isi jumlah tetap atau persentase, bukan keduanya.", field="jumlah")
        return
    if jumlah is None or jumlah == 0:
        if jenis is JenisPotonganLain.ZAKAT:
            return  # by the zakat rule
        raise DomainError("Isi jumlah potongan per bulan atau persentasenya.", field="jumlah")
    if jumlah < 0:
        raise DomainError("Jumlah potongan tidak boleh negatif.", field="jumlah")


def diterima(lines: tuple[Line, ...], bagian: Bagian | None = None) -> int:
    """The pay the employee actually receives before deductions: penghasilan lines without the employer's
    premiums and the tax allowance, which come back out as potongan on the same slip (gross-up)."""
    return sum(
        ln.amount
        for ln in lines
        if ln.kind is LineKind.PENGHASILAN
        and (bagian is None or ln.bagian is bagian)
        and not ln.code.startswith(("TJ_BPJS", "TJ_JKK", "TJ_JKM", "TJ_PPH"))
    )


_NOT_RECEIVED = ("TJ_BPJS", "TJ_JKK", "TJ_JKM", "TJ_PPH")


class Totals(NamedTuple):
    """The figures of a slip the deductions need, in one pass over its lines."""

    penghasilan: int
    potongan: int
    diterima: int  # `diterima(lines)`
    diterima_gaji: int  # `diterima(lines, Bagian.GAJI)`

    @property
    def net(self) -> int:
        return self.penghasilan - self.potongan


def totals(lines: tuple[Line, ...]) -> Totals:
    pen = pot = got = got_gaji = 0
    for ln in lines:
        kind = ln.kind
        if kind is LineKind.PENGHASILAN:
            pen += ln.amount
            if not ln.code.startswith(_NOT_RECEIVED):
                got += ln.amount
                if ln.bagian is Bagian.GAJI:
                    got_gaji += ln.amount
        elif kind is LineKind.POTONGAN:
            pot += ln.amount
    return Totals(pen, pot, got, got_gaji)


def zakat_base(rule: ZakatRule, t: Totals) -> int:
    return t.diterima_gaji if rule.dasar is DasarZakat.GAJI else t.diterima


def zakat_due(rule: ZakatRule | None, items: tuple[PotonganTetap, ...], lines: tuple[Line, ...]) -> int:
    """This month's zakat before the floor (0 without a zakat order, or under the nisab)."""
    if rule is None or not any(i.jenis is JenisPotonganLain.ZAKAT for i in items):
        return 0
    t = totals(lines)
    return sum(_amount(i, rule, t)[0] for i in items if i.jenis is JenisPotonganLain.ZAKAT)


def _amount(item: PotonganTetap, rule: ZakatRule | None, t: Totals) -> tuple[int, tuple]:
    """(amount due, inputs to show) of one item before the floor."""
    if item.jenis is JenisPotonganLain.KELEBIHAN:
        return item.sisa, (("sisa_kelebihan", item.sisa), ("run_asal", item.dasar))
    if item.jenis is JenisPotonganLain.ZAKAT and item.persen is None and not item.jumlah:
        if rule is None:
            raise DomainError("Aturan zakat belum dimuat; jalankan `flask payroll muat-aturan`.", field="zakat")
        base = zakat_base(rule, t)
        inputs = (("dasar_zakat", rule.dasar.label), ("dasar", base), ("nisab", rule.nisab_bulanan))
        if base < rule.nisab_bulanan:
            return 0, inputs
        return to_rupiah(rule.persen * base), (*inputs, ("persen", rule.persen))
    if item.persen is not None:
        base = t.diterima
        return to_rupiah(item.persen * base), (("dasar", base), ("persen", item.persen))
    return item.jumlah, (("jumlah_tetap", item.jumlah),)


@dataclass(frozen=True)
class Hasil:
    lines: tuple[Line, ...]
    zakat: int  # zakat actually deducted this month (for the annual PPh 21 computation)
    floor: int


def floor_of(batas: BatasGajiBersih, lines: tuple[Line, ...] | Totals) -> int:
    got = lines.diterima if isinstance(lines, Totals) else diterima(lines)
    return max(batas.minimum_rupiah, to_rupiah(batas.persen_penghasilan * got))


def apply(
    items: tuple[PotonganTetap, ...],
    zakat: tuple[ZakatRule, str, str] | None,
    batas: tuple[BatasGajiBersih, str, str],
    lines: tuple[Line, ...],
) -> Hasil:
    """The deduction lines of a month on top of `lines` (the slip without them).

    `zakat` and `batas` are (payload, citation, version id) of the rules in force. Items go in `PRIORITAS`
    order; each takes the room left above the floor: a recovery takes what fits (the rest is carried to the
    next month), any other deduction is made whole or not at all (an INFO line says why)."""
    for item in items:
        if item.jumlah < 0 or item.sisa < 0 or (item.persen is not None and not 0 < item.persen <= 1):
            raise DomainError(f"Potongan {item.ref} ({item.jenis.label}) tidak sah: jumlah atau persentasenya.")
    rule = zakat[0] if zakat else None
    batas_rule, batas_cit, batas_vid = batas
    t = totals(lines)
    floor = floor_of(batas_rule, t)
    room = t.net - floor
    out: list[Line] = []
    zakat_total = 0
    rank = {j: n for n, j in enumerate(PRIORITAS)}
    for item in sorted(items, key=lambda i: (rank[i.jenis], i.ref)):
        due, shown = _amount(item, rule, t)
        label = _label(item)
        code, citation, vid = _code(item), CITATION_PERINTAH, item.ref
        if item.jenis is JenisPotonganLain.ZAKAT and zakat is not None:
            citation, vid = f"{zakat[1]}; {CITATION_ZAKAT_PPH}", f"{zakat[2]}+{item.ref}"
        elif item.jenis is JenisPotonganLain.KELEBIHAN:
            citation = CITATION_KELEBIHAN
        info = (*shown, ("penerima", item.penerima), ("dasar_potongan", item.dasar), ("batas_gaji_bersih", floor))
        if due <= 0:
            if item.jenis is JenisPotonganLain.ZAKAT:  # under the nisab: say so
                out.append(
                    Line(
                        CODE_INFO_TIDAK_DIPOTONG,
                        f"{label} (di bawah nisab)",
                        0,
                        LineKind.INFO,
                        Bagian.GAJI,
                        citation,
                        vid,
                        info,
                    )
                )
            continue
        take = min(due, max(room, 0)) if item.jenis is JenisPotonganLain.KELEBIHAN else due
        if take <= 0 or take > room:
            reason = f"gaji bersih akan di bawah batas {rupiah(floor)}"
            out.append(
                Line(
                    CODE_INFO_TIDAK_DIPOTONG,
                    f"{label} tidak dipotong bulan ini: {reason}",
                    due,
                    LineKind.INFO,
                    Bagian.GAJI,
                    f"{batas_cit}; {citation}",
                    f"{batas_vid}+{vid}",
                    info,
                )
            )
            continue
        if take < due:
            label = f"{label} (sebagian; sisa {rupiah(due - take)} bulan berikutnya)"
        out.append(Line(code, label, take, LineKind.POTONGAN, Bagian.GAJI, citation, vid, info))
        room -= take
        if item.jenis is JenisPotonganLain.ZAKAT:
            zakat_total += take
    return Hasil(tuple(out), zakat_total, floor)


def _code(item: PotonganTetap) -> str:
    if item.jenis is JenisPotonganLain.ZAKAT:
        return CODE_ZAKAT
    if item.jenis is JenisPotonganLain.KELEBIHAN:
        return CODE_KELEBIHAN
    return CODE_PREFIX + item.jenis.name


def _label(item: PotonganTetap) -> str:
    if item.jenis is JenisPotonganLain.KELEBIHAN:
        return "Potongan kelebihan pembayaran"
    if item.persen is not None:
        return f"{item.jenis.label} — {item.penerima} ({persen(item.persen)})"
    return f"{item.jenis.label} — {item.penerima}"


def net_after(lines: tuple[Line, ...]) -> int:
    return sum(ln.amount for ln in lines if ln.kind is LineKind.PENGHASILAN) - sum(
        ln.amount for ln in lines if ln.kind is LineKind.POTONGAN
    )
