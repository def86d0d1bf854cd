"""Default rule set parsed from the CSV tables shipped in `kinerja_web/data/rules/`.

The CSVs are copies of the domain reference tables (a unit test keeps them equal to ../shared/domain).
Parsing is pure (text in, tables out); `default_rules()` only reads those package files, never the clock
or the network. Regional values ([R]: TPP pagu, split, predikat mapping, deduction bands, status factors,
PPh mode) are EXAMPLES from the reference, labelled "CONTOH" in their citation, until the Perbup TPP of
Kab. Lampung Utara is loaded by an administrator.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from importlib import resources

from ..predikat import Predikat
from .deductions import BatasGajiBersih, DasarZakat, ModeZakat, ZakatRule
from .rules import RuleTable, RuleVersion, T, single
from .slip import PayrollRules
from .tables import (
    BiayaJabatanRates,
    BpjsKesehatanRates,
    Bracket,
    DisiplinBand,
    GajiPokokRow,
    GajiPokokTable,
    IwpRates,
    JaminanTaspenRates,
    JenisPotongan,
    MetodePph21,
    ModePphConfig,
    Pasal17Table,
    PersenCpns,
    PtkpRow,
    PtkpTable,
    TaperaRates,
    TerTable,
    TppFaktorStatus,
    TppKomposisi,
    TppPagu,
    TppPersenPredikat,
    TppPotonganDisiplin,
    TunjanganBerasRates,
    TunjanganJabatanRow,
    TunjanganJabatanTable,
    TunjanganKeluargaRates,
    TunjanganUmumRates,
)

D = Decimal
HUNDRED = D(100)


def read_rule_csv(name: str) -> str:
    """Text of a shipped rule CSV, e.g. `read_rule_csv("pph21_ter.csv")`."""
    return resources.files("kinerja_web").joinpath("data", "rules", name).read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _pct(value: str) -> Decimal:
    """ "1.25" (percent) → Decimal("0.0125")."""
    return D(value) / HUNDRED


def _brackets(rows: list[dict[str, str]]) -> tuple[Bracket, ...]:
    return tuple(
        Bracket(int(r["lower_bound"]), int(r["upper_bound"]) if r["upper_bound"] else None, _pct(r["rate_percent"]))
        for r in rows
    )


def parse_gaji_pokok_pns(text: str) -> GajiPokokTable:
    """`gaji_pokok_pns.csv`: golongan, ruang, mkg_years, gaji_pokok_rupiah (PP 5/2024)."""
    return GajiPokokTable(
        tuple(
            GajiPokokRow(f"{r['golongan']}/{r['ruang']}", int(r["mkg_years"]), int(r["gaji_pokok_rupiah"]))
            for r in _rows(text)
        )
    )


def parse_gaji_pokok_pppk(text: str) -> GajiPokokTable:
    """`gaji_pokok_pppk.csv`: golongan_pppk, mkg_years, gaji_pokok_rupiah."""
    return GajiPokokTable(
        tuple(GajiPokokRow(r["golongan_pppk"], int(r["mkg_years"]), int(r["gaji_pokok_rupiah"])) for r in _rows(text))
    )


def parse_ter(text: str) -> TerTable:
    """`pph21_ter.csv`: category, lower_bound (exclusive), upper_bound (inclusive), rate_percent (PP 58/2023)."""
    rows = _rows(text)
    cats = sorted({r["category"] for r in rows})
    return TerTable({c: _brackets([r for r in rows if r["category"] == c]) for c in cats})


def parse_pasal17(text: str) -> Pasal17Table:
    """`pph21_pasal17_rates.csv` (UU HPP)."""
    return Pasal17Table(_brackets(_rows(text)))


def parse_ptkp(text: str) -> PtkpTable:
    """`ptkp_ter_mapping.csv`: status_ptkp, ptkp_annual_rupiah, ter_category (empty for K/I/*)."""
    return PtkpTable(
        {
            r["status_ptkp"]: PtkpRow(r["status_ptkp"], int(r["ptkp_annual_rupiah"]), r["ter_category"] or None)
            for r in _rows(text)
        }
    )


# Perpres 98/2020 [M]: PPPK golongan grouped like PNS golongan for the tunjangan umum — confirm locally.
PPPK_KE_GOLONGAN_PNS = {
    **dict.fromkeys(("I", "II", "III", "IV"), "I"),
    **dict.fromkeys(("V", "VI", "VII", "VIII"), "II"),
    **dict.fromkeys(("IX", "X", "XI", "XII"), "III"),
    **dict.fromkeys(("XIII", "XIV", "XV", "XVI", "XVII"), "IV"),
}


def parse_tunjangan_umum(text: str) -> TunjanganUmumRates:
    """`tunjangan_umum.csv`: golongan, tunjangan_umum_rupiah_per_bulan (Perpres 12/2006)."""
    return TunjanganUmumRates(
        {r["golongan"]: int(r["tunjangan_umum_rupiah_per_bulan"]) for r in _rows(text)}, PPPK_KE_GOLONGAN_PNS
    )


# Minute bands of the example table: TL1 "1 s.d. <31", TL2 "31 s.d. <61", TL3 "61 s.d. <91", TL4 ">=91".
_MINUTE_BANDS = {1: (1, 30), 2: (31, 60), 3: (61, 90), 4: (91, None)}
# Attendance codes that carry no deduction: cuti (C, CT, CB, CS, CM, CAP), sakit, izin, dinas luar.
KODE_TANPA_POTONGAN = frozenset({"C", "CT", "CB", "CS", "CM", "CAP", "S", "I", "DL"})
KODE_TIDAK_MENGISI_DAFTAR_HADIR = "TDH"
KODE_TANPA_KETERANGAN = "TK"
KODE_APEL = "APEL"
# TK (absent without valid reason): 3% per day is the common pattern (domain reference §6.5 [M]).
POTONGAN_TK_PER_HARI = D("0.03")


def parse_disiplin_contoh(text: str) -> TppPotonganDisiplin:
    """Bands from `tpp_disiplin_potongan_contoh.csv` (Kab. Toba app; Kab. Tebo Perbup 1/2022) [R example].

    PSW1–PSW4 use the TL bands ("sama dengan TL"); TL4 also covers "tidak mengisi daftar hadir"
    (code TDH); APEL is an attendance code; TK 3% per day comes from the reference table (§6.5).
    """
    by_code = {r["kode"]: r for r in _rows(text)}
    bands: list[DisiplinBand] = []
    for n, (lo, hi) in _MINUTE_BANDS.items():
        row = by_code[f"TL{n}"]
        pct = _pct(row["potongan_persen"])
        bands.append(
            DisiplinBand(
                f"TL{n}",
                row["keterangan"],
                JenisPotongan.TERLAMBAT,
                pct,
                lo,
                hi,
                KODE_TIDAK_MENGISI_DAFTAR_HADIR if n == 4 else None,
            )
        )
        bands.append(
            DisiplinBand(f"PSW{n}", f"pulang sebelum waktunya (band TL{n})", JenisPotongan.PULANG_CEPAT, pct, lo, hi)
        )
    apel = by_code["APEL"]
    bands.append(
        DisiplinBand(
            "APEL", apel["keterangan"], JenisPotongan.KODE, _pct(apel["potongan_persen"]), kode_absen=KODE_APEL
        )
    )
    bands.append(
        DisiplinBand(
            "TK",
            "tidak masuk kerja tanpa keterangan, per hari",
            JenisPotongan.KODE,
            POTONGAN_TK_PER_HARI,
            kode_absen=KODE_TANPA_KETERANGAN,
        )
    )
    return TppPotonganDisiplin(tuple(bands), KODE_TANPA_POTONGAN, D(1))


# Example TPP tariff per kelas jabatan: Pemprov Jawa Timur, TPP Prestasi Kerja (domain reference §6.3 [V1]).
CONTOH_PAGU_TPP = {
    16: 43_125_000,
    15: 38_025_000,
    14: 33_225_000,
    13: 22_980_000,
    12: 20_100_000,
    11: 17_820_000,
    10: 15_600_000,
    9: 13_320_000,
    8: 11_100_000,
    7: 9_720_000,
    6: 8_125_000,
    5: 6_500_000,
    4: 5_265_000,
    3: 4_485_000,
    2: 3_770_000,
    1: 3_185_000,
}
# Example predikat → % of the kinerja part (domain reference §6.6): SB/B 100% as in ministry tunjangan
# kinerja designs; BP/K/SK from a public tukin simulator (35/20/0). Illustrative, not a regulation.
CONTOH_PERSEN_PREDIKAT = {
    Predikat.SANGAT_BAIK: D("1.00"),
    Predikat.BAIK: D("1.00"),
    Predikat.BUTUH_PERBAIKAN: D("0.35"),
    Predikat.KURANG_MISCONDUCT: D("0.20"),
    Predikat.SANGAT_KURANG: D("0"),
}
# Example status factors (domain reference §6.5): CPNS reduced % in some regions; full-month leave and
# tugas belajar stop TPP (Wonogiri); hukuman disiplin cuts 20–100% (pattern of Permentan 68/2012).
CONTOH_FAKTOR_STATUS = {
    "CPNS": D("0.80"),
    "CUTI_SEBULAN": D("0"),
    "TUGAS_BELAJAR": D("0"),
    "HUKDIS_RINGAN": D("0.80"),
    "HUKDIS_SEDANG": D("0.50"),
    "HUKDIS_BERAT": D("0"),
}
LABEL_STATUS_TPP = {
    "CPNS": "CPNS",
    "CUTI_SEBULAN": "Cuti satu bulan penuh",
    "TUGAS_BELAJAR": "Tugas belajar",
    "HUKDIS_RINGAN": "Hukuman disiplin ringan",
    "HUKDIS_SEDANG": "Hukuman disiplin sedang",
    "HUKDIS_BERAT": "Hukuman disiplin berat",
}

CONTOH = "CONTOH [R] — ganti dengan Perbup TPP Kab. Lampung Utara"

# Tunjangan jabatan struktural, legacy eselon amounts of Perpres 26/2007 (domain reference §4.2 [M] — verify).
# Position kind → eselon in a kabupaten: Sekretaris Daerah II.a, other JPT Pratama II.b, administrator
# III.b (kepala bidang; sekretaris dinas/camat III.a by name where the SK says so), pengawas IV.a.
ESELON_PERPRES_26_2007 = {
    "II.a": 3_250_000,
    "II.b": 2_025_000,
    "III.a": 1_260_000,
    "III.b": 980_000,
    "IV.a": 540_000,
    "IV.b": 490_000,
}
_STRUKTURAL = (
    ("jpt", "Sekretaris Daerah", "", "II.a"),
    ("jpt", "", "", "II.b"),
    ("administrator", "", "", "III.b"),
    ("pengawas", "", "", "IV.a"),
)
KET_STRUKTURAL = "Perpres 26/2007 [M] — eselon menurut jenis jabatan; sesuaikan dengan SK"
# Tunjangan jabatan fungsional: fixed per JF and jenjang by a Perpres per JF [R]. ILLUSTRATIVE amounts only
# (CONTOH) until the per-JF Perpres table is loaded; JF not listed here keep the tunjangan umum.
KET_FUNGSIONAL = "CONTOH [R] — besaran per Perpres JF belum dimuat"
CONTOH_TUNJANGAN_FUNGSIONAL = (
    ("Analis Sumber Daya Manusia Aparatur", "Ahli Pertama", 540_000),
    ("Analis Sumber Daya Manusia Aparatur", "Ahli Muda", 1_100_000),
    ("Perencana", "Ahli Pertama", 540_000),
    ("Pranata Komputer", "Ahli Pertama", 540_000),
    ("Arsiparis", "Terampil", 350_000),
    ("Auditor", "Ahli Pertama", 540_000),
)


def default_tunjangan_jabatan() -> TunjanganJabatanTable:
    rows = [
        TunjanganJabatanRow(kind, nama, jenjang, eselon, ESELON_PERPRES_26_2007[eselon], KET_STRUKTURAL)
        for kind, nama, jenjang, eselon in _STRUKTURAL
    ]
    rows += [
        TunjanganJabatanRow("fungsional", nama, jenjang, "", amount, KET_FUNGSIONAL)
        for nama, jenjang, amount in CONTOH_TUNJANGAN_FUNGSIONAL
    ]
    return TunjanganJabatanTable(tuple(rows))


TAHUN_2024 = date(2024, 1, 1)
PP_15_2019_MULAI = date(2019, 1, 1)  # PP 15/2019 Pasal II: berlaku surut mulai 1 Januari 2019
# PP 15/2019 table (rapel and corrections back to 2019–2023). Sources and checks: data/rules/history/README.md.
GAJI_POKOK_PP_15_2019 = "history/gaji_pokok_pns_pp15_2019.csv"
# JKK 0,24% is the PP 70/2015 rate; the JKM 0,72% comes from its amendment PP 66/2017, not from the 2015 text
# (which set 0,30%). Base: gaji pokok, the practice Kinerja used since 2024 (`JaminanTaspenRates.dasar`).
CITATION_JKK_JKM = (
    "PP 70/2015 tentang Program JKK dan JKM bagi Pegawai ASN (JKK 0,24%) sebagaimana diubah PP 66/2017 "
    "(JKM 0,72%); dasar: gaji pokok [M — definisi 'gaji' dalam naskah belum dicocokkan]"
)
CITATION_TAPERA_2024 = "PP 25/2020 sebagaimana diubah PP 21/2024 Pasal 15 (belum diterapkan untuk ASN daerah [R])"
# PP 25/2020 as amended by PP 21/2024: employers register their workers at the latest 7 years after PP 25/2020
# came into force (20 May 2020) [M]; the first payroll month after that is June 2027. The Pemda may set an
# earlier start by adding a version (menu Aturan gaji).
TAPERA_ASN_MULAI = date(2027, 6, 1)
CITATION_TAPERA_ASN = (
    "PP 25/2020 sebagaimana diubah PP 21/2024 Pasal 15 (2,5% pekerja + 0,5% pemberi kerja); mulai bagi ASN "
    "daerah paling lambat 7 tahun sejak PP 25/2020 berlaku [M — konfirmasi tanggal dari Menteri/Perkada]"
)


def gaji_pokok_pns_history() -> RuleTable[GajiPokokTable]:
    """PP 15/2019 (1 Januari 2019 – 31 Desember 2023), then PP 5/2024 (from 1 Januari 2024)."""
    return RuleTable(
        "gaji_pokok_pns",
        "Gaji pokok PNS",
        (
            RuleVersion(
                "gaji_pokok_pns@2019-01-01",
                PP_15_2019_MULAI,
                "PP 15/2019 (perubahan kedelapan belas PP 7/1977), Lampiran",
                parse_gaji_pokok_pns(read_rule_csv(GAJI_POKOK_PP_15_2019)),
                date(2023, 12, 31),
            ),
            RuleVersion(
                "gaji_pokok_pns@2024-01-01",
                TAHUN_2024,
                "PP 5/2024 (perubahan kesembilan belas PP 7/1977), Lampiran",
                parse_gaji_pokok_pns(read_rule_csv("gaji_pokok_pns.csv")),
            ),
        ),
    )


# National tables before 2024 (rapel and corrections of 2022–2023 months; sources: data/rules/history/README.md).
# One version per table from 1 January 2022 (the UU HPP Pasal 17 rates start with tax year 2022) until the 2024
# version starts (no explicit end, so a later back-dated version, e.g. from November 2023, can still be added
# in Aturan gaji); earlier months are refused with the tables to add. Regional tables (TPP, zakat, net-pay floor) and the
# PPPK gaji pokok table get no pre-2024 version: an administrator adds them from the Perbup/Perpres of the year.
SEBELUM_2024_MULAI = date(2022, 1, 1)
CITATION_PPH21_DISETAHUNKAN = (
    "PMK 262/PMK.03/2010 (PNS, beban APBN/APBD) dan PER-16/PJ/2016: tanpa TER; PPh 21 sebulan = PPh Pasal 17 atas "
    "(penghasilan bruto sebulan − biaya jabatan − iuran pensiun/THT) × 12 − PTKP, dibagi 12 [M]"
)
CITATION_PASAL17_HPP = "UU PPh Pasal 17 ayat (1) huruf a sebagaimana diubah UU 7/2021 (HPP), mulai tahun pajak 2022"


def with_before_2024(code: str, label: str, citation_lama: str, data_lama: T, citation: str, data: T) -> RuleTable[T]:
    """The table's version of 2022–2023 (`citation_lama`, `data_lama`) and its open-ended 2024 version (the
    version ids `single` gives, so rows already stored keep matching)."""
    return RuleTable(
        code,
        label,
        (
            RuleVersion(
                f"{code}@{SEBELUM_2024_MULAI.isoformat()}",
                SEBELUM_2024_MULAI,
                citation_lama,
                data_lama,
            ),
            RuleVersion(f"{code}@{TAHUN_2024.isoformat()}", TAHUN_2024, citation, data),
        ),
    )


def unchanged_since(code: str, label: str, dasar_lama: str, citation: str, data: T) -> RuleTable[T]:
    """A table whose content did not change on 1 January 2024: the same data, cited for 2022–2023."""
    return with_before_2024(code, label, dasar_lama, data, citation, data)


def tapera_history() -> RuleTable[TaperaRates]:
    """Not applied to ASN daerah in 2024 (`aktif` false); applied from `TAPERA_ASN_MULAI`."""
    return RuleTable(
        "tapera",
        "Simpanan Tapera",
        (
            RuleVersion(
                f"tapera@{SEBELUM_2024_MULAI.isoformat()}",
                SEBELUM_2024_MULAI,
                "PP 25/2020 (Tapera belum diterapkan bagi ASN daerah; iuran Taperum-PNS Keppres 14/1993 tidak dihitung "
                "[M])",
                TaperaRates(),
            ),
            RuleVersion("tapera@2024-01-01", TAHUN_2024, CITATION_TAPERA_2024, TaperaRates()),
            RuleVersion(
                f"tapera@{TAPERA_ASN_MULAI.isoformat()}", TAPERA_ASN_MULAI, CITATION_TAPERA_ASN, TaperaRates(True)
            ),
        ),
    )


def default_rules() -> PayrollRules:
    """The rule set shipped with the app: national tables from the CSVs, regional values as examples."""
    s = single
    u = unchanged_since
    return PayrollRules(
        gaji_pokok_pns=gaji_pokok_pns_history(),
        gaji_pokok_pppk=s(
            "gaji_pokok_pppk",
            "Gaji pokok PPPK",
            "Perpres 98/2020 sebagaimana diubah (tabel 2024, Perpres 11/2024 [M]), Lampiran",
            TAHUN_2024,
            parse_gaji_pokok_pppk(read_rule_csv("gaji_pokok_pppk.csv")),
        ),
        cpns=u(
            "cpns",
            "Gaji pokok CPNS",
            "PP 7/1977 sebagaimana diubah terakhir PP 15/2019: CPNS menerima 80% gaji pokok",
            "PP 7/1977 sebagaimana diubah: CPNS menerima 80% gaji pokok",
            PersenCpns(),
        ),
        tunjangan_keluarga=u(
            "tunjangan_keluarga",
            "Tunjangan keluarga",
            "PP 7/1977 Pasal 16 sebagaimana diubah terakhir PP 15/2019 (suami/istri 10%, anak 2%, maksimal 2 anak [R])",
            "PP 7/1977 Pasal 16 sebagaimana diubah (suami/istri 10%, anak 2%, maksimal 2 anak [R])",
            TunjanganKeluargaRates(),
        ),
        tunjangan_umum=u(
            "tunjangan_umum",
            "Tunjangan umum",
            "Perpres 12/2006 (tidak diubah sampai 2023)",
            "Perpres 12/2006",
            parse_tunjangan_umum(read_rule_csv("tunjangan_umum.csv")),
        ),
        tunjangan_beras=u(
            "tunjangan_beras",
            "Tunjangan beras",
            "Perdirjen Perbendaharaan PER-3/PB/2015 (10 kg × Rp7.242 per jiwa; berlaku sejak 2015)",
            "Perdirjen Perbendaharaan PER-3/PB/2015 (10 kg × Rp7.242 per jiwa)",
            TunjanganBerasRates(),
        ),
        iwp=u(
            "iwp",
            "Iuran wajib pegawai (Taspen)",
            "PP 25/1981 (pensiun 4,75% + THT 3,25%; dasar gaji pokok + tunjangan keluarga)",
            "PP 25/1981 (pensiun 4,75% + THT 3,25%; dasar gaji pokok + tunjangan keluarga)",
            IwpRates(),
        ),
        bpjs_kesehatan=u(
            "bpjs_kesehatan",
            "Iuran BPJS Kesehatan",
            "Perpres 82/2018 sebagaimana diubah Perpres 75/2019 Pasal 30 dan 33 (bagi Pemda sejak 1 Januari 2020) dan "
            "Perpres 64/2020 (batas Rp12.000.000)",
            "Perpres 82/2018 sebagaimana diubah Perpres 75/2019 Pasal 30 dan 33; Perpres 64/2020 (batas Rp12.000.000)",
            BpjsKesehatanRates(),
        ),
        jkk_jkm=u("jkk_jkm", "Iuran JKK dan JKM", CITATION_JKK_JKM, CITATION_JKK_JKM, JaminanTaspenRates()),
        tapera=tapera_history(),
        ptkp=u(
            "ptkp",
            "PTKP dan kategori TER",
            "PMK 101/PMK.010/2016 (PTKP, sejak tahun pajak 2016); kategori TER tidak dipakai sebelum 2024",
            "PMK 101/2016 (PTKP); PP 58/2023 Pasal 2 (kategori TER)",
            parse_ptkp(read_rule_csv("ptkp_ter_mapping.csv")),
        ),
        ter=with_before_2024(
            "ter",
            "Tarif efektif rata-rata (TER) bulanan",
            CITATION_PPH21_DISETAHUNKAN,
            TerTable({}, MetodePph21.DISETAHUNKAN),
            "PP 58/2023 Lampiran; PMK 168/2023",
            parse_ter(read_rule_csv("pph21_ter.csv")),
        ),
        pasal17=u(
            "pasal17",
            "Tarif PPh Pasal 17",
            CITATION_PASAL17_HPP,
            "UU PPh Pasal 17 ayat (1) huruf a sebagaimana diubah UU 7/2021 (HPP); PMK 168/2023",
            parse_pasal17(read_rule_csv("pph21_pasal17_rates.csv")),
        ),
        biaya_jabatan=u(
            "biaya_jabatan",
            "Biaya jabatan",
            "PMK 250/PMK.03/2008 (5%, maksimal Rp500.000 sebulan / Rp6.000.000 setahun)",
            "PMK 168/2023 Pasal 10 (5%, maksimal Rp6.000.000 setahun)",
            BiayaJabatanRates(),
        ),
        mode_pph=u(
            "mode_pph",
            "Mode PPh 21 atas gaji dan TPP",
            f"PP 80/2010 dan PMK 262/PMK.03/2010 (gaji: ditanggung pemerintah); TPP menurut Perkada — {CONTOH}",
            f"PP 80/2010 dan PMK 168/2023 (gaji: ditanggung pemerintah); TPP menurut Perkada — {CONTOH}",
            ModePphConfig(),
        ),
        tpp_pagu=s(
            "tpp_pagu",
            "Pagu TPP per kelas jabatan",
            f"PP 12/2019 Pasal 58; Kepmendagri 900-4700/2020; tarif Pemprov Jawa Timur — {CONTOH}",
            TAHUN_2024,
            TppPagu(CONTOH_PAGU_TPP),
        ),
        tpp_komposisi=s(
            "tpp_komposisi",
            "Komposisi TPP kinerja/disiplin",
            f"Pola umum 60% kinerja / 40% disiplin — {CONTOH}",
            TAHUN_2024,
            TppKomposisi(),
        ),
        tpp_persen_predikat=s(
            "tpp_persen_predikat",
            "Persentase TPP kinerja per predikat",
            f"Tidak ada tabel nasional (referensi domain §6.6) — {CONTOH}",
            TAHUN_2024,
            TppPersenPredikat(CONTOH_PERSEN_PREDIKAT),
        ),
        tpp_potongan_disiplin=s(
            "tpp_potongan_disiplin",
            "Potongan TPP disiplin",
            f"Contoh Kab. Toba / Perbup Kab. Tebo 1/2022 — {CONTOH}",
            TAHUN_2024,
            parse_disiplin_contoh(read_rule_csv("tpp_disiplin_potongan_contoh.csv")),
        ),
        tpp_faktor_status=s(
            "tpp_faktor_status",
            "Faktor status TPP",
            f"Pola Perbup (CPNS, cuti, tugas belajar, hukuman disiplin PP 94/2021) — {CONTOH}",
            TAHUN_2024,
            TppFaktorStatus(CONTOH_FAKTOR_STATUS, LABEL_STATUS_TPP),
        ),
        tunjangan_jabatan=u(
            "tunjangan_jabatan",
            "Tunjangan jabatan struktural/fungsional",
            "Perpres 26/2007 (struktural, eselon; tidak diubah sampai 2023) [M]; tunjangan fungsional per Perpres JF "
            f"— baris fungsional {CONTOH}",
            "Perpres 26/2007 (struktural, eselon) [M]; tunjangan fungsional per Perpres JF — baris fungsional "
            f"{CONTOH}",
            default_tunjangan_jabatan(),
        ),
        zakat=s(
            "zakat",
            "Zakat profesi melalui pemberi kerja",
            f"UU 23/2011 (BAZNAS); nisab SK Ketua BAZNAS 1/2024 (Rp82.312.725 setahun, Rp6.859.394 sebulan [S]); "
            f"pengurang bruto: UU PPh Pasal 9 ayat (1) huruf g, PP 60/2010, PMK 168/2023 Pasal 10 — tarif, dasar dan "
            f"opt-in/opt-out menurut Perbup/Instruksi Bupati {CONTOH}",
            TAHUN_2024,
            ZakatRule(
                persen=D("0.025"),
                dasar=DasarZakat.GAJI_TPP,
                nisab_bulanan=6_859_394,
                mode=ModeZakat.OPT_IN,
                penerima="BAZNAS Kabupaten Lampung Utara",
            ),
        ),
        batas_gaji_bersih=s(
            "batas_gaji_bersih",
            "Batas gaji bersih setelah potongan lain-lain",
            f"Kebijakan bendahara/Perbup (gaji bersih minimal 30% penghasilan) — {CONTOH}",
            TAHUN_2024,
            BatasGajiBersih(persen_penghasilan=D("0.3"), minimum_rupiah=0),
        ),
    )
