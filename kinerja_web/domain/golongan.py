"""Golongan/ruang and pangkat (domain reference §8.1, `pangkat_golongan.csv`)."""

from __future__ import annotations

from . import DomainError

# Peraturan BKN / PP 99/2000: golongan/ruang → pangkat. Loaded as data would be overkill: 17 fixed rows
# that have not changed since 2000; the CSV in shared/domain is the source and a unit test compares them.
PANGKAT_PNS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
# PPPK golongan I–XVII (Perpres 98/2020); they have no pangkat.
GOLONGAN_PPPK: tuple[str, ...] = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)


def normalize(raw: str) -> str:
    """Accept "III/b", "iii/B", "III b", "3b" and return the canonical "III/b"."""
    s = (raw or "").strip().replace(" ", "/").replace("-", "/")
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    if len(s) == 2 and s[0] in roman and s[1].isalpha():
        s = f"{roman[s[0]]}/{s[1]}"
    if "/" in s:
        gol, ruang = s.split("/", 1)
        gol = roman.get(gol, gol)  # "3/b" as well as "3b"
        return f"{gol.upper()}/{ruang.lower()}"
    return s.upper()


def validate(golongan: str, *, is_pppk: bool) -> str:
    """Return the canonical golongan or raise DomainError (unknown golongan)."""
    g = normalize(golongan)
    if is_pppk:
        if g not in GOLONGAN_PPPK:
            raise DomainError(f"Golongan PPPK '{golongan}' tidak dikenal (I s.d. XVII).", field="golongan")
    elif g not in PANGKAT_PNS:
        raise DomainError(f"Golongan/ruang '{golongan}' tidak dikenal (contoh: III/b).", field="golongan")
    return g


def pangkat(golongan: str) -> str:
    return PANGKAT_PNS.get(golongan, "")


def pangkat_golongan(golongan: str) -> str:
    """Display form used on documents: "Penata Muda Tingkat I (III/b)"; PPPK: "Golongan IX"."""
    p = PANGKAT_PNS.get(golongan)
    return f"{p} ({golongan})" if p else f"Golongan {golongan}"


def rank(golongan: str) -> int:
    """Ordering key for sorting by seniority."""
    if golongan in PANGKAT_PNS:
        return list(PANGKAT_PNS).index(golongan) + 1
    if golongan in GOLONGAN_PPPK:
        return GOLONGAN_PPPK.index(golongan) + 1
    return 0
