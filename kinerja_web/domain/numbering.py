"""Nomor surat patterns (domain reference §7.3): a template with placeholders and a per-year counter.

Example: `800.1.13/{nomor}/BKPSDM/{tahun}` → `800.1.13/27/BKPSDM/2026`. The kode klasifikasi arsip
prefix comes from Permendagri 83/2022; the exact layout is set by the Perbup tata naskah dinas [R],
so it is data, not code.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from . import DomainError

PLACEHOLDERS = ("nomor", "tahun", "bulan", "bulan_romawi", "kode_unit")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Crockford-style alphabet without 0/O/1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16  # 31^16 ≈ 7·10^23 (≈ 79 bits): guessing is impractical even without the rate limit


def validate_pattern(pattern: str) -> str:
    """Return the stripped pattern or raise DomainError (missing {nomor}, unknown placeholder)."""
    p = (pattern or "").strip()
    if not p:
        raise DomainError("Pola nomor wajib diisi.", field="pattern")
    names = _PLACEHOLDER_RE.findall(p)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        allowed = ", ".join("{" + n + "}" for n in PLACEHOLDERS)
        raise DomainError(f"Penanda {{{unknown[0]}}} tidak dikenal. Yang tersedia: {allowed}.", field="pattern")
    if "nomor" not in names:
        raise DomainError(
            "Pola nomor harus memuat {nomor} (nomor urut), contoh: 800.1.13/{nomor}/BKPSDM/{tahun}.", field="pattern"
        )
    if p.count("{") != p.count("}") or p.count("{") != len(names):
        raise DomainError("Kurung kurawal pada pola nomor tidak seimbang.", field="pattern")
    return p


def format_number(pattern: str, seq: int, on: date, kode_unit: str) -> str:
    """Fill the pattern for sequence `seq` on date `on`."""
    values = {
        "nomor": str(seq),
        "tahun": str(on.year),
        "bulan": f"{on.month:02d}",
        "bulan_romawi": ROMAN_MONTHS[on.month - 1],
        "kode_unit": kode_unit,
    }
    return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], pattern)


def new_verification_code() -> str:
    """Random human code (16 characters from a 31-letter alphabet) from the OS CSPRNG."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """Accept codes typed with dashes, spaces or lower case."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())
