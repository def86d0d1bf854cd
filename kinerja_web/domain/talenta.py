"""9-box talent mapping (PermenPANRB 3/2020 tentang Manajemen Talenta ASN; domain reference §3.3).

Numbering from `kotak_talenta_9box.csv` (corners and centre [V2], the rest [V1] from SIMATA-style code —
confirm against the figure in the Lampiran of PermenPANRB 3/2020). A unit test checks the shipped CSV
equals `KOTAK_TALENTA`.
"""

from __future__ import annotations

from .labels import LabeledEnum
from .predikat import Ekspektasi


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


def kotak_talenta(kinerja: Ekspektasi, potensial: Potensial) -> int:
    """Box number (1–9) for a kinerja level and a potensial level (PermenPANRB 3/2020)."""
    return KOTAK_TALENTA[Ekspektasi(kinerja), Potensial(potensial)]


def masuk_talent_pool(kotak: int) -> bool:
    """True when the box belongs to the talent pool (7, 8, 9)."""
    return kotak in KELOMPOK_RENCANA_SUKSESI
