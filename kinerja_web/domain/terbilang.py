"""Amounts in Indonesian words ("terbilang"), as printed under the total of a slip or payment list."""

from __future__ import annotations

_SATUAN = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")
_SKALA = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _words(n: int) -> str:
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{_SATUAN[n - 10]} belas"
    if n < 100:
        return f"{_SATUAN[n // 10]} puluh {_words(n % 10)}".strip()
    if n < 200:
        return f"seratus {_words(n - 100)}".strip()
    if n < 1000:
        return f"{_SATUAN[n // 100]} ratus {_words(n % 100)}".strip()
    if n < 2000:
        return f"seribu {_words(n - 1000)}".strip()
    if n < 10**6:
        return f"{_words(n // 1000)} ribu {_words(n % 1000)}".strip()
    for size, name in _SKALA:
        if n >= size:
            return f"{_words(n // size)} {name} {_words(n % size)}".strip()
    raise AssertionError(n)


def terbilang(amount: int) -> str:
    """1234567 → "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah"."""
    amount = int(amount)
    if amount == 0:
        return "nol rupiah"
    text = _words(abs(amount)) + " rupiah"
    return ("minus " + text) if amount < 0 else text
