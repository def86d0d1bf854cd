"""Payloads of the rule tables: plain frozen data, one class per rule.

Each payload may define `problems() -> list[str]` (Indonesian) for checks on its content (e.g. TER
brackets must be contiguous); `PayrollRules.validate()` runs them together with the date checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..labels import LabeledEnum, rupiah
from ..predikat import Predikat
from .bases import DasarIuran

D = Decimal


# ---------------------------------------------------------------------------------------------- gaji


@dataclass(frozen=True)
class GajiPokokRow:
    golongan: str  # "III/b" for PNS, "IX" for PPPK
    mkg: int
    gaji_pokok: int


@dataclass(frozen=True)
class GajiPokokTable:
    """Gaji pokok by golongan and masa kerja golongan (PP 5/2024 Lampiran; PPPK: Perpres 11/2024 [M])."""

    rows: tuple[GajiPokokRow, ...]
    _index: Mapping[str, tuple[tuple[int, int], ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[int, int]]] = {}
        for r in self.rows:
            index.setdefault(r.golongan, []).append((r.mkg, r.gaji_pokok))
        object.__setattr__(self, "_index", {g: tuple(sorted(v)) for g, v in index.items()})

    def steps(self, golongan: str) -> tuple[tuple[int, int], ...]:
        """(mkg, gaji pokok) rows of one golongan in MKG order; empty when the golongan is unknown."""
        return self._index.get(golongan, ())

    def problems(self) -> list[str]:
        found = []
        for gol, steps in self._index.items():
            mkgs = [m for m, _ in steps]
            if len(set(mkgs)) != len(mkgs):
                found.append(f"Golongan {gol}: masa kerja golongan yang sama muncul lebih dari sekali.")
            if any(b[1] < a[1] for a, b in zip(steps, steps[1:], strict=False)):
                found.append(f"Golongan {gol}: gaji pokok turun ketika masa kerja bertambah.")
        return found


@dataclass(frozen=True)
class PersenCpns:
    """CPNS receive 80% of gaji pokok until appointed PNS (PP 7/1977 as amended; domain reference §4.1 [M])."""

    persen: Decimal = D("0.80")


@dataclass(frozen=True)
class TunjanganKeluargaRates:
    """Tunjangan suami/istri 10% and anak 2% per child of gaji pokok (PP 7/1977 Pasal 16 as amended)."""

    suami_istri: Decimal = D("0.10")
    anak: Decimal = D("0.02")
    maks_anak: int = 2  # current practice 2; PP 7/1977 original text 3 [R]


@dataclass(frozen=True)
class TunjanganUmumRates:
    """Tunjangan umum per golongan for PNS without a struktural/fungsional tunjangan (Perpres 12/2006)."""

    per_golongan: Mapping[str, int]  # "I".."IV" → rupiah per month
    # PPPK golongan → PNS golongan group for the tunjangan umum (Perpres 98/2020 [M] — confirm).
    pppk_ke_pns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TunjanganBerasRates:
    """10 kg per jiwa × Rp7.242/kg = Rp72.420 per jiwa per month (Perdirjen Perbendaharaan PER-3/PB/2015)."""

    kg_per_jiwa: Decimal = D(10)
    harga_per_kg: Decimal = D(7242)


# ------------------------------------------------------------------------------------------ iuran


@dataclass(frozen=True)
class IwpRates:
    """Iuran wajib pegawai Taspen: 4,75% pensiun + 3,25% THT of gaji pokok + tunjangan keluarga (PP 25/1981)."""

    pensiun: Decimal = D("0.0475")
    tht: Decimal = D("0.0325")
    dasar: DasarIuran = DasarIuran.GAJI_POKOK_KELUARGA

    @property
    def total(self) -> Decimal:
        return self.pensiun + self.tht


@dataclass(frozen=True)
class BpjsKesehatanRates:
    """4% pemberi kerja + 1% peserta, base capped at Rp12 juta shared by gaji and TPP (Perpres 75/2019 Pasal 30, 33;
    Perpres 64/2020)."""

    pemberi_kerja: Decimal = D("0.04")
    peserta: Decimal = D("0.01")
    batas_atas: int = 12_000_000
    dasar_gaji: DasarIuran = DasarIuran.PENGHASILAN_TETAP  # the gaji part; TPP is added within the ceiling


@dataclass(frozen=True)
class JaminanTaspenRates:
    """JKK 0,24% (PP 70/2015) and JKM 0,72% (PP 66/2017, amending PP 70/2015) of the base, paid by the Pemda."""

    jkk: Decimal = D("0.0024")
    jkm: Decimal = D("0.0072")
    dasar: DasarIuran = DasarIuran.GAJI_POKOK


@dataclass(frozen=True)
class TaperaRates:
    """Tapera 2,5% pekerja + 0,5% pemberi kerja (PP 25/2020 as amended by PP 21/2024 Pasal 15); start for ASN [R]."""

    aktif: bool = False
    pekerja: Decimal = D("0.025")
    pemberi_kerja: Decimal = D("0.005")
    dasar: DasarIuran = DasarIuran.GAJI_POKOK_KELUARGA


# ------------------------------------------------------------------------------------------- pajak


@dataclass(frozen=True)
class Bracket:
    """`lower < amount ≤ upper`; the first bracket starts at 0 inclusive; `upper=None` = no limit."""

    lower: int
    upper: int | None
    rate: Decimal  # fraction, e.g. Decimal("0.0125")

    def contains(self, amount: int | Decimal, first: bool) -> bool:
        above = amount >= self.lower if first else amount > self.lower
        return above and (self.upper is None or amount <= self.upper)


def _bracket_problems(name: str, brackets: tuple[Bracket, ...]) -> list[str]:
    found = []
    if not brackets:
        return [f"{name}: tidak ada lapisan tarif."]
    if brackets[0].lower != 0:
        found.append(f"{name}: lapisan pertama harus mulai dari Rp0.")
    for a, b in zip(brackets, brackets[1:], strict=False):
        if a.upper is None or b.lower != a.upper:
            if a.upper is not None and b.lower > a.upper:
                found.append(f"{name}: ada celah antara {rupiah(a.upper)} dan {rupiah(b.lower)}.")
            else:
                found.append(f"{name}: lapisan mulai {rupiah(b.lower)} tumpang tindih dengan lapisan sebelumnya.")
    if brackets[-1].upper is not None:
        found.append(f"{name}: lapisan terakhir harus tanpa batas atas.")
    return found


class MetodePph21(LabeledEnum):
    """How the PPh 21 of the months before the last tax month is withheld."""

    TER = "ter", "Tarif efektif rata-rata bulanan (PP 58/2023, mulai 2024)"
    DISETAHUNKAN = "disetahunkan", "Pasal 17 atas penghasilan neto disetahunkan, dibagi 12 (sebelum 2024)"


@dataclass(frozen=True)
class TerTable:
    """Tarif efektif rata-rata bulanan per category A/B/C (PP 58/2023 Lampiran).

    `metode` selects the monthly computation: TER (from 2024), or, for months before 2024, the annualised
    method of PMK 262/PMK.03/2010 and PER-16/PJ/2016 (no TER table: `categories` is empty).
    """

    categories: Mapping[str, tuple[Bracket, ...]]
    metode: MetodePph21 = MetodePph21.TER

    def problems(self) -> list[str]:
        found = []
        if self.metode is MetodePph21.TER and not self.categories:
            found.append("Metode TER dipilih tetapi tabel TER tidak memiliki kategori.")
        for cat, brackets in sorted(self.categories.items()):
            found.extend(_bracket_problems(f"TER kategori {cat}", brackets))
        return found


@dataclass(frozen=True)
class PtkpRow:
    status: str
    ptkp_setahun: int
    kategori_ter: str | None  # None for K/I/* (annual SPT only)


@dataclass(frozen=True)
class PtkpTable:
    """PTKP per status (PMK 101/2016) and its TER category (PP 58/2023 Pasal 2)."""

    rows: Mapping[str, PtkpRow]


@dataclass(frozen=True)
class Pasal17Table:
    """Progressive annual rates on PKP (UU PPh Pasal 17 ayat 1 as amended by UU 7/2021 HPP)."""

    brackets: tuple[Bracket, ...]

    def problems(self) -> list[str]:
        return _bracket_problems("Tarif Pasal 17", self.brackets)


@dataclass(frozen=True)
class BiayaJabatanRates:
    """Biaya jabatan 5% of bruto, max Rp6.000.000 a year / Rp500.000 a month (PMK 168/2023 Pasal 10)."""

    persen: Decimal = D("0.05")
    maks_setahun: int = 6_000_000


class ModePph(LabeledEnum):
    DITANGGUNG = "ditanggung", "Ditanggung pemerintah/APBD (tunjangan PPh)"
    DIPOTONG = "dipotong", "Dipotong dari penghasilan"


@dataclass(frozen=True)
class ModePphConfig:
    """Who bears PPh 21: on gaji of PNS the government (PP 80/2010; PMK 168/2023); on TPP per Perkada [R]."""

    gaji: ModePph = ModePph.DITANGGUNG
    tpp: ModePph = ModePph.DIPOTONG


# --------------------------------------------------------------------------------------------- TPP


@dataclass(frozen=True)
class TppPagu:
    """TPP amount per kelas jabatan from the Perbup TPP (PP 12/2019 Pasal 58; Kepmendagri 900-4700/2020) [R]."""

    per_kelas: Mapping[int, int]


@dataclass(frozen=True)
class TppKomposisi:
    """Split of the TPP into kinerja and disiplin parts [R]; commonly 60/40 (domain reference §6.4)."""

    kinerja: Decimal = D("0.60")
    disiplin: Decimal = D("0.40")

    def problems(self) -> list[str]:
        if self.kinerja < 0 or self.disiplin < 0 or self.kinerja + self.disiplin != 1:
            return ["Komposisi TPP: porsi kinerja dan disiplin harus berjumlah 100%."]
        return []


@dataclass(frozen=True)
class TppPersenPredikat:
    """Share of the kinerja part paid per predikat [R]; there is no national table (domain reference §6.6)."""

    persen: Mapping[Predikat, Decimal]

    def problems(self) -> list[str]:
        missing = [p.label for p in Predikat if p not in self.persen]
        return [f"Persentase TPP belum diatur untuk predikat: {', '.join(missing)}."] if missing else []


class JenisPotongan(LabeledEnum):
    TERLAMBAT = "terlambat", "Terlambat masuk"
    PULANG_CEPAT = "pulang_cepat", "Pulang sebelum waktunya"
    KODE = "kode", "Kode kehadiran"


@dataclass(frozen=True)
class DisiplinBand:
    """One deduction band of the disiplin part, per event [R] (example: `tpp_disiplin_potongan_contoh.csv`).

    Minute bands match `menit_min ≤ minutes ≤ menit_max` (`menit_max=None`: no limit). `kode_absen` makes
    the band also match an attendance code (e.g. TL4 for "tidak mengisi daftar hadir").
    """

    kode: str
    keterangan: str
    jenis: JenisPotongan
    persen: Decimal  # fraction of the disiplin part, e.g. Decimal("0.005")
    menit_min: int | None = None
    menit_max: int | None = None
    kode_absen: str | None = None


@dataclass(frozen=True)
class TppPotonganDisiplin:
    """Deduction bands, the codes that carry no deduction, and the cap (100% of the disiplin part) [R]."""

    bands: tuple[DisiplinBand, ...]
    kode_tanpa_potongan: frozenset[str] = frozenset()
    batas_maksimal: Decimal = D(1)

    def problems(self) -> list[str]:
        found = []
        for jenis in (JenisPotongan.TERLAMBAT, JenisPotongan.PULANG_CEPAT):
            bands = sorted((b for b in self.bands if b.jenis is jenis and b.menit_min is not None), key=_min)
            for a, b in zip(bands, bands[1:], strict=False):
                if a.menit_max is None or b.menit_min != a.menit_max + 1:
                    found.append(f"Potongan disiplin {jenis.label}: band {a.kode} dan {b.kode} tidak bersambung.")
        return found


def _min(band: DisiplinBand) -> int:
    return band.menit_min or 0


@dataclass(frozen=True)
class TppFaktorStatus:
    """Factor applied to the whole TPP per status code (CPNS, cuti, tugas belajar, hukuman disiplin) [R]."""

    faktor: Mapping[str, Decimal]
    label: Mapping[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------------- tunjangan jabatan


@dataclass(frozen=True)
class TunjanganJabatanRow:
    """One amount of tunjangan jabatan for a kind of post.

    `jenis_jabatan` is the position kind ("jpt", "administrator", "pengawas", "fungsional"); `nama` and
    `jenjang` narrow it ("" = any): struktural rows by eselon per kind (Perpres 26/2007), fungsional rows
    per JF name and jenjang (per-JF Perpres [R]). `eselon` is shown on the payslip ("" for JF).
    """

    jenis_jabatan: str
    nama: str
    jenjang: str
    eselon: str
    amount: int
    keterangan: str = ""


@dataclass(frozen=True)
class TunjanganJabatanTable:
    """Tunjangan jabatan struktural (Perpres 26/2007 [M]) and fungsional (per-JF Perpres [R]) per post."""

    rows: tuple[TunjanganJabatanRow, ...]

    def match(self, jenis_jabatan: str, nama: str, jenjang: str | None) -> TunjanganJabatanRow | None:
        """The most specific row for a post: name + jenjang, then name, then jenjang, then kind only."""
        kind, name, level = jenis_jabatan.strip().lower(), nama.strip().lower(), (jenjang or "").strip().lower()
        best, best_score = None, -1
        for r in self.rows:
            if r.jenis_jabatan.strip().lower() != kind:
                continue
            rn, rj = r.nama.strip().lower(), r.jenjang.strip().lower()
            if (rn and rn != name) or (rj and rj != level):
                continue
            score = 2 * bool(rn) + bool(rj)
            if score > best_score:
                best, best_score = r, score
        return best

    def problems(self) -> list[str]:
        found = []
        seen = set()
        for r in self.rows:
            key = (r.jenis_jabatan.strip().lower(), r.nama.strip().lower(), r.jenjang.strip().lower())
            if key in seen:
                found.append(f"Tunjangan jabatan: baris {' / '.join(k or '*' for k in key)} muncul lebih dari sekali.")
            seen.add(key)
            if r.amount <= 0:
                found.append(
                    f"Tunjangan jabatan {r.jenis_jabatan} {r.nama or ''} {r.jenjang or ''}: besaran harus > 0."
                )
            if r.jenis_jabatan.strip().lower() not in ("jpt", "administrator", "pengawas", "fungsional", "pelaksana"):
                found.append(f"Tunjangan jabatan: jenis jabatan '{r.jenis_jabatan}' tidak dikenal.")
        return found
