"""Contribution bases as rule data: which gaji components a contribution is charged on.

Each contribution table (IWP, BPJS Kesehatan on gaji, JKK/JKM, Tapera) names its base in its rule row
(`dasar`), so a regulation that redefines "gaji" for one contribution is a new rule version, not code. A
stored version without the field decodes to the base used before the field existed, so months computed
earlier recompute identically (`flask payroll verify`).
"""

from __future__ import annotations

from ..labels import LabeledEnum


class DasarIuran(LabeledEnum):
    """The base of a contribution (persisted in rule rows as its value)."""

    GAJI_POKOK = "gaji_pokok", "gaji pokok"
    GAJI_POKOK_KELUARGA = "gaji_pokok_keluarga", "gaji pokok + tunjangan keluarga"
    PENGHASILAN_TETAP = (
        "gaji_pokok_keluarga_jabatan",
        "gaji pokok + tunjangan keluarga + tunjangan jabatan atau tunjangan umum",
    )


def dasar_iuran(dasar: DasarIuran, gapok: int, tunjangan_keluarga: int = 0, tunjangan_jabatan: int = 0) -> int:
    """The rupiah base of a contribution from the month's gaji components (`tunjangan_jabatan` = jabatan or
    umum, whichever is paid)."""
    if dasar is DasarIuran.GAJI_POKOK:
        return gapok
    if dasar is DasarIuran.GAJI_POKOK_KELUARGA:
        return gapok + tunjangan_keluarga
    return gapok + tunjangan_keluarga + tunjangan_jabatan
