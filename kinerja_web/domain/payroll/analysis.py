"""TPP analysis for the dashboards: what each stored TPP line lost to which cause, and rupiah input parsing.

Pure: works on a line's code, its inputs (as stored: `[code, value]` pairs, Decimal as text) and its amount.
The causes follow the TPP skeleton (§6.8): the status factor (CPNS, tugas belajar, …) scales both parts;
below it the kinerja part follows the predikat and the disiplin part loses the attendance deductions,
which `PotonganItem.describe` lists as "tanggal: KODE (keterangan) persen" joined by "; ".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .. import DomainError
from .lines import to_rupiah

CAUSE_STATUS = "status"
CAUSE_PREDIKAT = "predikat"
CAUSE_DISIPLIN_LAIN = "disiplin"
CAUSE_LABELS = {
    CAUSE_STATUS: "Faktor status (CPNS, tugas belajar, cuti, hukuman disiplin)",
    CAUSE_PREDIKAT: "Predikat kinerja (komponen kinerja di bawah 100%; negatif = tambahan)",
    "TL": "Disiplin: terlambat masuk (TL)",
    "PSW": "Disiplin: pulang sebelum waktunya (PSW)",
    "TK": "Disiplin: tidak masuk tanpa keterangan (TK)",
    CAUSE_DISIPLIN_LAIN: "Disiplin: kejadian lain",
}


def cause_label(cause: str) -> str:
    return CAUSE_LABELS.get(cause, f"Disiplin: {cause}")


def _events(kejadian: str) -> list[tuple[str, Decimal]]:
    """(band family such as TL/PSW/TK, percent) per listed event; [] for "tidak ada" or an unreadable text."""
    out = []
    if not kejadian or kejadian == "tidak ada":
        return out
    for item in kejadian.split("; "):
        try:
            code = item.split(": ", 1)[1].split(" ", 1)[0]
            pct = Decimal(item.rsplit(" ", 1)[1].rstrip("%").replace(".", "").replace(",", "."))
        except (IndexError, InvalidOperation):
            return []
        out.append((re.sub(r"\d+$", "", code) or code, pct))
    return out


def tpp_cuts(code: str, inputs: dict, amount: int) -> dict[str, int]:
    """Rupiah the TPP line lost, per cause, against its part of the pagu (pagu × porsi); {} for other lines
    (and for compensating deltas, whose inputs carry no pagu). The causes add up to (pagu × porsi) − amount."""
    if code not in ("TPP_KINERJA", "TPP_DISIPLIN") or "pagu" not in inputs or "porsi" not in inputs:
        return {}
    full = Decimal(inputs["pagu"]) * Decimal(inputs["porsi"])
    factor = Decimal(inputs.get("faktor_status", "1"))
    after_status = to_rupiah(full * factor)
    cuts = {CAUSE_STATUS: to_rupiah(full) - after_status}
    rest = after_status - amount
    if code == "TPP_KINERJA":
        cuts[CAUSE_PREDIKAT] = rest
        return {k: v for k, v in cuts.items() if v}
    events = _events(str(inputs.get("kejadian", "")))
    total_pct = sum((p for _, p in events), Decimal(0))
    if rest and total_pct > 0:
        shares: dict[str, Decimal] = {}
        for family, pct in events:
            shares[family] = shares.get(family, Decimal(0)) + pct
        given = 0
        families = sorted(shares)
        for family in families[:-1]:
            part = to_rupiah(Decimal(rest) * shares[family] / total_pct)
            cuts[family] = cuts.get(family, 0) + part
            given += part
        cuts[families[-1]] = cuts.get(families[-1], 0) + rest - given  # the remainder: sums stay exact
    elif rest:
        cuts[CAUSE_DISIPLIN_LAIN] = rest
    return {k: v for k, v in cuts.items() if v}


MAX_RUPIAH = 10**15


def parse_rupiah(text: str) -> int:
    """ "Rp1.250.000.000", "1 250 000 000", "1250000000,00" → 1250000000; `DomainError` (Indonesian) otherwise.

    Dots and spaces group thousands; a comma starts the sen, which must be zero (pagu is whole rupiah)."""
    raw = (text or "").strip()
    s = re.sub(r"^rp\.?\s*", "", raw, flags=re.IGNORECASE).replace(" ", "").replace("\u00a0", "")
    if s.startswith("-"):
        raise DomainError("Jumlah tidak boleh negatif.", "amount")
    whole, _, sen = s.partition(",")
    if not whole or not re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", whole) or (sen and not sen.isdigit()):
        raise DomainError(f"'{raw}' bukan jumlah rupiah yang sah (contoh: 1.250.000.000).", "amount")
    if sen and int(sen):
        raise DomainError("Pagu anggaran dalam rupiah penuh, tanpa sen.", "amount")
    value = int(whole.replace(".", ""))
    if value >= MAX_RUPIAH:
        raise DomainError("Jumlah terlalu besar.", "amount")
    return value
