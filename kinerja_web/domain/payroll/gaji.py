"""Gaji and its allowances: one function per rule, each citing its regulation (domain reference §4.1–4.2)."""

from __future__ import annotations

from decimal import Decimal

from .. import DomainError
from ..org import StatusAsn
from .lines import Bagian, InputValue, JenisTunjanganJabatan, Line, LineKind, to_rupiah
from .rules import RuleVersion
from .tables import (
    GajiPokokTable,
    PersenCpns,
    TunjanganBerasRates,
    TunjanganKeluargaRates,
    TunjanganUmumRates,
)


def make_line(
    code: str,
    label: str,
    amount: int,
    kind: LineKind,
    version: RuleVersion,
    inputs: tuple[tuple[str, InputValue], ...] = (),
    bagian: Bagian = Bagian.GAJI,
) -> Line:
    """A payslip line citing the rule version it came from."""
    return Line(code, label, amount, kind, bagian, version.citation, version.version_id, inputs)


def lookup_gaji_pokok(table: GajiPokokTable, golongan: str, mkg: int) -> tuple[int, int]:
    """(mkg of the row used, gaji pokok) for a golongan and masa kerja golongan (PP 5/2024 Lampiran).

    Takes the row with the greatest `mkg ≤ MKG`: the table steps every 2 years and the first row differs
    by ruang (I/b–I/d and II/b–II/d start at 3, II/a has 0, 1 then odd steps; domain reference §4.1).
    An MKG below the first row is a data error, never guessed.
    """
    steps = table.steps(golongan)
    if not steps:
        raise DomainError(f"Golongan {golongan} tidak ada dalam tabel gaji pokok.", field="golongan")
    if mkg < steps[0][0]:
        raise DomainError(
            f"Kesalahan data: masa kerja golongan {mkg} tahun untuk golongan {golongan} di bawah baris pertama "
            f"tabel gaji pokok (mulai {steps[0][0]} tahun). Periksa MKG pada SK terakhir.",
            field="mkg",
        )
    row_mkg, amount = steps[0]
    for step_mkg, step_amount in steps:
        if step_mkg > mkg:
            break
        row_mkg, amount = step_mkg, step_amount
    return row_mkg, amount


def gaji_pokok(
    table: RuleVersion[GajiPokokTable],
    cpns: RuleVersion[PersenCpns],
    status: StatusAsn,
    golongan: str,
    mkg: int,
) -> Line:
    """Gaji pokok of the month (PP 5/2024 for PNS; PPPK table per Perpres 11/2024 [M]).

    CPNS receive 80% of the table value until appointed PNS (PP 7/1977 as amended; §4.1), rounded to rupiah.
    """
    row_mkg, amount = lookup_gaji_pokok(table.data, golongan, mkg)
    inputs: tuple[tuple[str, InputValue], ...] = (
        ("status", status.label),
        ("golongan", golongan),
        ("mkg", mkg),
        ("mkg_tabel", row_mkg),
        ("gaji_pokok_tabel", amount),
    )
    if status is StatusAsn.CPNS:
        paid = to_rupiah(Decimal(amount) * cpns.data.persen)
        line = make_line("GAPOK", "Gaji pokok (CPNS 80%)", paid, LineKind.PENGHASILAN, table, inputs)
        return Line(
            line.code,
            line.label,
            line.amount,
            line.kind,
            line.bagian,
            f"{table.citation}; {cpns.citation}",
            f"{table.version_id}+{cpns.version_id}",
            (*inputs, ("persen", cpns.data.persen)),
        )
    return make_line("GAPOK", "Gaji pokok", amount, LineKind.PENGHASILAN, table, inputs)


def tunjangan_suami_istri(rates: RuleVersion[TunjanganKeluargaRates], gapok: int, berhak: bool) -> Line | None:
    """Tunjangan suami/istri: 10% of gaji pokok for one entitled spouse (PP 7/1977 Pasal 16 as amended).

    If both spouses are PNS only the one with the higher gaji pokok receives it; the caller decides `berhak`.
    """
    if not berhak:
        return None
    amount = to_rupiah(gapok * rates.data.suami_istri)
    inputs = (("gaji_pokok", gapok), ("persen", rates.data.suami_istri))
    return make_line("TJ_ISTRI", "Tunjangan suami/istri", amount, LineKind.PENGHASILAN, rates, inputs)


def tunjangan_anak(rates: RuleVersion[TunjanganKeluargaRates], gapok: int, jumlah_anak: int) -> Line | None:
    """Tunjangan anak: 2% of gaji pokok per entitled child, at most `maks_anak` (PP 7/1977 Pasal 16) [R: max]."""
    paid = min(max(jumlah_anak, 0), rates.data.maks_anak)
    if paid == 0:
        return None
    amount = to_rupiah(gapok * rates.data.anak * paid)
    inputs = (
        ("gaji_pokok", gapok),
        ("persen", rates.data.anak),
        ("jumlah_anak", jumlah_anak),
        ("maks_anak", rates.data.maks_anak),
        ("jumlah_anak_dibayar", paid),
    )
    return make_line("TJ_ANAK", "Tunjangan anak", amount, LineKind.PENGHASILAN, rates, inputs)


def golongan_tunjangan_umum(rates: TunjanganUmumRates, status: StatusAsn, golongan: str) -> str:
    """The golongan group ("I".."IV") used for the tunjangan umum."""
    if status is StatusAsn.PPPK:
        group = rates.pppk_ke_pns.get(golongan)
        if group is None:
            raise DomainError(f"Tunjangan umum untuk golongan PPPK {golongan} belum diatur.", field="golongan")
        return group
    return golongan.split("/", 1)[0]


def tunjangan_umum(
    rates: RuleVersion[TunjanganUmumRates], status: StatusAsn, golongan: str, tunjangan_jabatan: int
) -> Line | None:
    """Tunjangan umum by golongan, only for those without a struktural/fungsional tunjangan (Perpres 12/2006)."""
    if tunjangan_jabatan > 0:
        return None
    group = golongan_tunjangan_umum(rates.data, status, golongan)
    amount = rates.data.per_golongan.get(group)
    if amount is None:
        raise DomainError(f"Tunjangan umum untuk golongan {group} belum diatur.", field="golongan")
    inputs = (("golongan", golongan), ("jenis_tunjangan", f"golongan {group}"))
    return make_line("TJ_UMUM", "Tunjangan umum", amount, LineKind.PENGHASILAN, rates, inputs)


def tunjangan_jabatan(amount: int, jenis: JenisTunjanganJabatan | None, citation: str, version_id: str) -> Line | None:
    """Tunjangan jabatan struktural (Perpres 26/2007) or fungsional (per-JF Perpres): the amount from the SK."""
    if amount <= 0:
        return None
    jenis = jenis or JenisTunjanganJabatan.FUNGSIONAL
    return Line(
        "TJ_JABATAN",
        jenis.label,
        amount,
        LineKind.PENGHASILAN,
        Bagian.GAJI,
        citation,
        version_id,
        (("jenis_tunjangan", jenis.label),),
    )


def tunjangan_beras(rates: RuleVersion[TunjanganBerasRates], jiwa: int) -> Line:
    """Tunjangan beras: kg per jiwa × price per kg × jiwa (10 kg × Rp7.242; PER-3/PB/2015).

    Jiwa = the employee + entitled spouse + entitled children listed in the daftar gaji.
    """
    per_jiwa = rates.data.kg_per_jiwa * rates.data.harga_per_kg
    amount = to_rupiah(per_jiwa * jiwa)
    inputs = (("jiwa", jiwa), ("kg_per_jiwa", rates.data.kg_per_jiwa), ("harga_per_kg", rates.data.harga_per_kg))
    return make_line("TJ_BERAS", "Tunjangan beras", amount, LineKind.PENGHASILAN, rates, inputs)
