"""Rating rules as versioned data, like the payroll rules (`domain.payroll.rules`): the predikat matrix, the kurva
distribusi, the keberatan deadline, the NIP checks' parameters and the 9-box numbering.

Each rule is a `RuleTable` of `RuleVersion`s with `berlaku_mulai`, an optional `berlaku_sampai` and a citation; the
payload is the plain value the pure rule functions take (`predikat.predikat(..., matriks)`, `kurva.check(...,
rules, min_pegawai)`, `keberatan.batas_keberatan(..., aturan)`, `nip.parse(..., rules)`, `talent.posisi(...,
penomoran)`). Which version applies:

- predikat matrix, kurva, 9-box: the version in force on the first day of the rating period (the rules the year was
  planned under); a rating and a calibration record the version they used, so a past year re-evaluates identically
  after a new version is added;
- keberatan deadline: the version in force on the day the result was given;
- NIP checks: the version in force on the day of the check.

The shipped defaults (`default_tables`) are today's constants; a migration stores them as the first versions and
the services fall back to them while a table has no stored version (a fresh test database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from . import DomainError
from .keberatan import SUMBER_BATAS, BatasKeberatan
from .kurva import KURVA_DISTRIBUSI, MIN_PEGAWAI_PERSENTASE, SUMBER_KURVA, KurvaRule
from .labels import tanggal
from .nip import NipRules
from .payroll.rules import RuleTable, RuleVersion
from .predikat import MATRIKS_PREDIKAT, SUMBER_MATRIKS, Ekspektasi, Predikat, PredikatOrganisasi
from .talent import KOTAK_TALENTA, Potensial

PREDIKAT = "predikat_matriks"
KURVA = "kurva_distribusi"
KEBERATAN = "batas_keberatan"
NIP = "aturan_nip"
KOTAK = "kotak_talenta"

LABELS = {
    PREDIKAT: "Matriks predikat kinerja pegawai",
    KURVA: "Kurva distribusi predikat",
    KEBERATAN: "Batas waktu keberatan",
    NIP: "Pemeriksaan NIP",
    KOTAK: "Penomoran kotak talenta (9-box)",
}
CODES = tuple(LABELS)

# The first versions Kinerja ships: today's constants, with their legal source. Kinerja's rating history starts with
# the 2022 rating year (PermenPANRB 6/2022); the curve with SE MenPANRB 3/2023 (signed 31 January 2023).
FIRST_DAY = {PREDIKAT: date(2022, 1, 1), KURVA: date(2023, 1, 1), KEBERATAN: date(2022, 1, 1)}
FIRST_DAY |= {NIP: date(2022, 1, 1), KOTAK: date(2022, 1, 1)}
CITATIONS = {
    PREDIKAT: SUMBER_MATRIKS,
    KURVA: SUMBER_KURVA,
    KEBERATAN: SUMBER_BATAS,
    NIP: "Peraturan Kepala BKN 22/2007",
    KOTAK: "PermenPANRB 3/2020 tentang Manajemen Talenta ASN, Lampiran (penomoran kotak: kotak_talenta_9box.csv)",
}

Matriks = dict[tuple[Ekspektasi, Ekspektasi], Predikat]
Penomoran = dict[tuple[Ekspektasi, Potensial], int]


@dataclass(frozen=True)
class KurvaSet:
    """One version of the curve: its constraints and the unit size below which percentages are guidance only."""

    rules: tuple[KurvaRule, ...]
    min_pegawai: int = MIN_PEGAWAI_PERSENTASE


# --- codec: payload ⇄ JSON ---------------------------------------------------------------------------------


def _share(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def encode(code: str, data: Any) -> dict:
    """The JSON stored in `RatingRuleVersion.data` for a payload."""
    if code == PREDIKAT:
        return {"sel": {f"{h.value}|{p.value}": v.value for (h, p), v in data.items()}}
    if code == KURVA:
        return {
            "min_pegawai": data.min_pegawai,
            "aturan": [
                {
                    "organisasi": r.organisasi.value,
                    "kelompok": [p.value for p in r.kelompok],
                    "min": _share(r.min_share),
                    "max": _share(r.max_share),
                    "harus_ada": r.must_exist,
                    "terbesar": r.largest_group,
                }
                for r in data.rules
            ],
        }
    if code == KEBERATAN:
        return {"hari": data.hari, "hari_kerja": data.hari_kerja, "libur": sorted(d.isoformat() for d in data.libur)}
    if code == NIP:
        return {
            "kode_laki": data.kode_laki,
            "kode_perempuan": data.kode_perempuan,
            "selisih_minimal_bulan": data.selisih_minimal_bulan,
            "periksa_tmt_pppk": data.periksa_tmt_pppk,
            "nomor_urut_minimal": data.nomor_urut_minimal,
        }
    if code == KOTAK:
        return {"kotak": {f"{k.value}|{p.value}": n for (k, p), n in data.items()}}
    raise DomainError(f"Tabel aturan '{code}' tidak dikenal.")


def decode(code: str, raw: dict, citation: str = "") -> Any:
    """The payload of a stored version; `DomainError` for a malformed one."""
    try:
        if code == PREDIKAT:
            out: Any = {}
            for key, v in raw["sel"].items():
                h, p = key.split("|")
                out[Ekspektasi(h), Ekspektasi(p)] = Predikat(v)
            return out
        if code == KURVA:
            rules = tuple(
                KurvaRule(
                    PredikatOrganisasi(r["organisasi"]),
                    tuple(Predikat(p) for p in r["kelompok"]),
                    min_share=None if r.get("min") is None else Decimal(r["min"]),
                    max_share=None if r.get("max") is None else Decimal(r["max"]),
                    must_exist=bool(r.get("harus_ada")),
                    largest_group=bool(r.get("terbesar")),
                )
                for r in raw["aturan"]
            )
            return KurvaSet(rules, int(raw["min_pegawai"]))
        if code == KEBERATAN:
            return BatasKeberatan(
                int(raw["hari"]),
                bool(raw["hari_kerja"]),
                frozenset(date.fromisoformat(d) for d in raw.get("libur", [])),
                citation or SUMBER_BATAS,
            )
        if code == NIP:
            return NipRules(
                int(raw["kode_laki"]),
                int(raw["kode_perempuan"]),
                int(raw["selisih_minimal_bulan"]),
                bool(raw["periksa_tmt_pppk"]),
                int(raw["nomor_urut_minimal"]),
                citation or CITATIONS[NIP],
            )
        if code == KOTAK:
            out = {}
            for key, n in raw["kotak"].items():
                k, p = key.split("|")
                out[Ekspektasi(k), Potensial(p)] = int(n)
            return out
    except (KeyError, ValueError, TypeError, InvalidOperation, AttributeError):
        raise DomainError(f"Data versi aturan {LABELS.get(code, code)} tidak sah.") from None
    raise DomainError(f"Tabel aturan '{code}' tidak dikenal.")


DEFAULT_DATA: dict[str, Any] = {
    PREDIKAT: dict(MATRIKS_PREDIKAT),
    KURVA: KurvaSet(KURVA_DISTRIBUSI, MIN_PEGAWAI_PERSENTASE),
    KEBERATAN: BatasKeberatan(),
    NIP: NipRules(),
    KOTAK: dict(KOTAK_TALENTA),
}


def version_label(version: RuleVersion) -> str:
    """How a version is named for people: "versi 1 Januari 2022" (its start; the stored id is `code@date`)."""
    return f"versi {tanggal(version.berlaku_mulai)}"


def default_version_id(code: str) -> str:
    return f"{code}@{FIRST_DAY[code].isoformat()}"


def default_version(code: str) -> RuleVersion:
    return RuleVersion(default_version_id(code), FIRST_DAY[code], CITATIONS[code], DEFAULT_DATA[code])


def default_tables() -> dict[str, RuleTable]:
    """Every rating rule with its first version (today's constants)."""
    return {code: RuleTable(code, LABELS[code], (default_version(code),)) for code in CODES}


# --- which version applies ------------------------------------------------------------------------------------


def version_on(table: RuleTable, day: date) -> RuleVersion:
    """The version in force on `day` (latest `berlaku_mulai` ≤ day, not ended); `DomainError` when none."""
    candidates = [v for v in table.versions if v.berlaku_mulai <= day]
    if candidates:
        chosen = max(candidates, key=lambda v: v.berlaku_mulai)
        if chosen.berlaku_sampai is None or chosen.berlaku_sampai >= day:
            return chosen
    raise DomainError(
        f"Tidak ada versi aturan {table.label} yang berlaku pada {tanggal(day)}; tambahkan versinya di "
        "halaman Aturan penilaian."
    )


def new_version_problems(table: RuleTable, new: RuleVersion) -> list[tuple[str, str]]:
    """(field, Indonesian message) when `new` cannot be added to `table`: it must start after every existing
    version (history is not rewritten), must not overlap the last one's `berlaku_sampai`, nor leave a gap after it.
    """
    out: list[tuple[str, str]] = []
    if new.berlaku_sampai is not None and new.berlaku_sampai < new.berlaku_mulai:
        out.append(("berlaku_sampai", "Tanggal berlaku sampai tidak boleh sebelum tanggal berlaku mulai."))
    if not table.versions:
        return out
    last = max(table.versions, key=lambda v: v.berlaku_mulai)
    if new.berlaku_mulai <= last.berlaku_mulai:
        out.append(
            (
                "berlaku_mulai",
                f"Tumpang tindih: versi terakhir berlaku mulai {tanggal(last.berlaku_mulai)}; versi baru harus mulai "
                "sesudah tanggal itu (riwayat aturan tidak ditulis ulang).",
            )
        )
    elif last.berlaku_sampai is not None and new.berlaku_mulai <= last.berlaku_sampai:
        out.append(
            (
                "berlaku_mulai",
                f"Tumpang tindih: versi terakhir berlaku sampai {tanggal(last.berlaku_sampai)}; versi baru paling "
                "cepat mulai sehari sesudahnya.",
            )
        )
    elif last.berlaku_sampai is not None and (new.berlaku_mulai - last.berlaku_sampai).days > 1:
        out.append(
            (
                "berlaku_mulai",
                f"Ada celah: versi terakhir berakhir {tanggal(last.berlaku_sampai)}, sedangkan versi baru baru mulai "
                f"{tanggal(new.berlaku_mulai)}; tanggal di antaranya tidak memiliki aturan. Versi baru harus mulai "
                "tepat sehari sesudahnya.",
            )
        )
    return out


def describe_changes(code: str, before: Any, after: Any) -> list[str]:
    """What a version changes against the one before it, in words (the history on the rules page)."""
    if before is None:
        return ["Versi pertama."]
    out: list[str] = []
    if code == PREDIKAT:
        for key, p in after.items():
            if before.get(key) != p:
                old = before.get(key)
                out.append(
                    f"Hasil kerja {key[0].label.lower()} × perilaku {key[1].label.lower()}: "
                    f"{old.label if old else '–'} → {p.label}"
                )
    elif code == KOTAK:
        for key, n in after.items():
            if before.get(key) != n:
                out.append(
                    f"Kinerja {key[0].label.lower()} × potensial {key[1].label.lower()}: "
                    f"kotak {before.get(key, '–')} → {n}"
                )
    elif code == KURVA:
        if before.min_pegawai != after.min_pegawai:
            out.append(f"Jumlah pegawai minimal untuk persentase: {before.min_pegawai} → {after.min_pegawai}")
        old = {(r.organisasi, r.kelompok): r for r in before.rules}
        for r in after.rules:
            o = old.get((r.organisasi, r.kelompok))
            if o is None or o.describe() != r.describe():
                out.append(f"Organisasi {r.organisasi.label}, {r.label}: {o.describe() if o else '–'} → {r.describe()}")
    elif code == KEBERATAN:
        if (before.hari, before.hari_kerja) != (after.hari, after.hari_kerja):
            out.append(f"Batas keberatan: {before.hari} {before.satuan} → {after.hari} {after.satuan}")
        if before.libur != after.libur:
            out.append(f"Hari libur yang dilewati: {len(before.libur)} → {len(after.libur)} tanggal")
    elif code == NIP:
        labels = {
            "kode_laki": "Kode laki-laki",
            "kode_perempuan": "Kode perempuan",
            "selisih_minimal_bulan": "Selisih minimal lahir–TMT (bulan)",
            "periksa_tmt_pppk": "Periksa TMT pada NIP PPPK",
            "nomor_urut_minimal": "Nomor urut minimal",
        }
        b, a = encode(code, before), encode(code, after)

        def shown(v: Any) -> str:
            return ("ya" if v else "tidak") if isinstance(v, bool) else str(v)

        out += [f"{labels[k]}: {shown(b.get(k))} → {shown(v)}" for k, v in a.items() if b.get(k) != v]
    return out or ["Tidak ada perubahan isi (hanya tanggal atau dasar hukum)."]
