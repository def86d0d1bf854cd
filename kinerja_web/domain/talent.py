"""9-box talent mapping (PermenPANRB 3/2020 tentang Manajemen Talenta ASN; domain reference §3.3).

Numbering from `kotak_talenta_9box.csv` (corners and centre [V2], the rest [V1] from SIMATA-style code —
confirm against the figure in the Lampiran of PermenPANRB 3/2020). A unit test checks the shipped CSV
equals `KOTAK_TALENTA`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .labels import LabeledEnum
from .predikat import Ekspektasi, Predikat


class Potensial(LabeledEnum):
    RENDAH = "rendah", "Rendah"
    MENENGAH = "menengah", "Menengah"
    TINGGI = "tinggi", "Tinggi"


_E = Ekspektasi
_P = Potensial

# (kinerja, potensial) → box number 1–9.
KOTAK_TALENTA: dict[tuple[Ekspektasi, Potensial], int] = {
    (_E.DI_ATAS, _P.TINGGI): 9,
    (_E.SESUAI, _P.TINGGI): 8,
    (_E.DI_ATAS, _P.MENENGAH): 7,
    (_E.DI_BAWAH, _P.TINGGI): 6,
    (_E.SESUAI, _P.MENENGAH): 5,
    (_E.DI_ATAS, _P.RENDAH): 4,
    (_E.DI_BAWAH, _P.MENENGAH): 3,
    (_E.SESUAI, _P.RENDAH): 2,
    (_E.DI_BAWAH, _P.RENDAH): 1,
}

# Boxes 7, 8, 9 form the talent pool for promotion/succession (domain reference §3.3 [V1]).
KELOMPOK_RENCANA_SUKSESI = frozenset({7, 8, 9})


Penomoran = Mapping[tuple[Ekspektasi, Potensial], int]


def kotak_talenta(kinerja: Ekspektasi, potensial: Potensial, penomoran: Penomoran = KOTAK_TALENTA) -> int:
    """Box number (1–9) for a kinerja level and a potensial level (PermenPANRB 3/2020); `penomoran` is a version
    of the rule table `kotak_talenta` (`domain.rating_rules`)."""
    return penomoran[Ekspektasi(kinerja), Potensial(potensial)]


def numbering_problems(penomoran: Penomoran) -> list[tuple[Ekspektasi, Potensial, str]]:
    """Cells of a proposed numbering that are wrong (each of the 9 cells, numbers 1–9, each number once)."""
    out = []
    seen: dict[int, int] = {}
    for value in penomoran.values():
        seen[value] = seen.get(value, 0) + 1
    for k in Ekspektasi:
        for p in Potensial:
            n = penomoran.get((k, p))
            if n is None:
                out.append((k, p, "Nomor kotak wajib diisi."))
            elif not 1 <= n <= 9:
                out.append((k, p, "Nomor kotak 1–9."))
            elif seen[n] > 1:
                out.append((k, p, f"Nomor {n} dipakai lebih dari satu kotak."))
    return out


def masuk_talent_pool(kotak: int) -> bool:
    """True when the box belongs to the talent pool (7, 8, 9)."""
    return kotak in KELOMPOK_RENCANA_SUKSESI


# The 9-box kinerja axis has three levels; the final predikat has five (PermenPANRB 6/2022). Sangat Baik is
# above expectation, Baik meets it, and the three lower predikat are all below it (domain reference §3.3:
# the kinerja axis is "Di Bawah / Sesuai / Di Atas Ekspektasi") [M: confirm with BKPSDM's talent guideline].
KINERJA_DARI_PREDIKAT: dict[Predikat, Ekspektasi] = {
    Predikat.SANGAT_BAIK: Ekspektasi.DI_ATAS,
    Predikat.BAIK: Ekspektasi.SESUAI,
    Predikat.BUTUH_PERBAIKAN: Ekspektasi.DI_BAWAH,
    Predikat.KURANG_MISCONDUCT: Ekspektasi.DI_BAWAH,
    Predikat.SANGAT_KURANG: Ekspektasi.DI_BAWAH,
}


def kinerja_dari_predikat(p: Predikat) -> Ekspektasi:
    """The kinerja level of the 9-box for a final predikat kinerja pegawai (see `KINERJA_DARI_PREDIKAT`)."""
    return KINERJA_DARI_PREDIKAT[Predikat(p)]


# Recommended follow-up per box, after the rekomendasi in the Lampiran of PermenPANRB 3/2020 as quoted by
# public SIMATA-style implementations [M: check the Lampiran before go-live; the CSV carries numbering only].
TINDAK_LANJUT: dict[int, str] = {
    9: "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi; diberi penghargaan.",
    8: "Dipertahankan; masuk kelompok rencana suksesi; rotasi/perluasan jabatan; bimbingan kinerja.",
    7: "Dipertahankan; masuk kelompok rencana suksesi; rotasi/pengayaan jabatan; pengembangan kompetensi.",
    6: "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja.",
    5: "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi.",
    4: "Rotasi; pengembangan kompetensi.",
    3: "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai.",
    2: "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai.",
    1: "Diproses sesuai ketentuan peraturan perundang-undangan.",
}

_AXES: dict[int, tuple[Ekspektasi, Potensial]] = {v: k for k, v in KOTAK_TALENTA.items()}


@dataclass(frozen=True)
class KotakTalenta:
    """One box of the 9-box with everything the screen and other areas show about it."""

    nomor: int
    kinerja: Ekspektasi
    potensial: Potensial
    tindak_lanjut: str

    @property
    def label(self) -> str:
        return f"Kotak {self.nomor}: kinerja {self.kinerja.label.lower()}, potensial {self.potensial.label.lower()}"

    @property
    def talent_pool(self) -> bool:
        return masuk_talent_pool(self.nomor)


def kotak(nomor: int, penomoran: Penomoran = KOTAK_TALENTA) -> KotakTalenta:
    """Box `nomor` (1–9) with its axes and recommended follow-up; ValueError for any other number."""
    axes = _AXES if penomoran is KOTAK_TALENTA else {v: k for k, v in penomoran.items()}
    if nomor not in axes:
        raise ValueError(f"Kotak talenta {nomor} tidak ada (1–9).")
    kinerja, potensial = axes[nomor]
    return KotakTalenta(nomor, kinerja, potensial, TINDAK_LANJUT[nomor])


def posisi(predikat_final: Predikat, potensial: Potensial, penomoran: Penomoran = KOTAK_TALENTA) -> KotakTalenta:
    """The box of an employee from the final predikat and the potensial entered by HR (PermenPANRB 3/2020)."""
    return kotak(kotak_talenta(kinerja_dari_predikat(predikat_final), potensial, penomoran), penomoran)


# Screen layout: potensial rows top (Tinggi) to bottom, kinerja columns left (Di Bawah) to right, as in the
# Lampiran's figure (box 9 top right, box 1 bottom left).
BARIS_POTENSIAL = (Potensial.TINGGI, Potensial.MENENGAH, Potensial.RENDAH)
KOLOM_KINERJA = (Ekspektasi.DI_BAWAH, Ekspektasi.SESUAI, Ekspektasi.DI_ATAS)
