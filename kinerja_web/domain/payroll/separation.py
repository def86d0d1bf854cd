"""Maker–checker–approver for a payroll run: the one statement of who may not verify, approve or finalise it.

Whoever prepared the run, computed or recomputed it, or entered the inputs its computation used (attendance
imported or corrected, predikat kinerja, TPP status periods) is a maker: no maker verifies, approves or
finalises that run, and the verifier does not approve or finalise it. So the three steps are taken by
different people even when one person holds several finance roles (or HR imports the inputs).

`access.refusal_of_run_step` (views and templates) and `services.payroll.runs.transition` (the state change) ask
`refusal`; the people come from `PayrollRun.contributions`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..labels import LabeledEnum


class RunPart(LabeledEnum):
    """What a person did for a run; the label is the first half of the refusal ("Anda …")."""

    PREPARED = "siapkan", "Anda menyiapkan proses penggajian ini"
    COMPUTED = "hitung", "Anda telah menghitung proses penggajian ini"
    ATTENDANCE = "kehadiran", "Anda mengimpor atau mengoreksi data kehadiran yang dipakai proses penggajian ini"
    PREDIKAT = "predikat", "Anda mengisi predikat kinerja yang dipakai proses penggajian ini"
    STATUS_TPP = "status_tpp", "Anda mencatat status TPP yang dipakai proses penggajian ini"
    VERIFIED = "verifikasi", "Anda telah memverifikasi proses penggajian ini"


# Parts recorded per computation from the month's inputs (the rest come from the run row itself).
INPUT_PARTS = (RunPart.ATTENDANCE, RunPart.PREDIKAT, RunPart.STATUS_TPP)

# step → (the parts that exclude a person from it, the step's name in the message)
_EXCLUDED = {
    "verify": (frozenset(RunPart) - {RunPart.VERIFIED}, "verifikasi"),
    "approve": (frozenset(RunPart), "persetujuan"),
    "finalise": (frozenset(RunPart), "finalisasi"),
}


def refusal(step: str, user_id: int | None, contributions: Iterable[tuple[int | None, RunPart]]) -> str | None:
    """None when the user may take `step` ("verify", "approve" or "finalise") as far as separation of duties
    goes (the role is checked by `access`), else the Indonesian reason naming what they did for the run."""
    excluded, noun = _EXCLUDED[step]
    mine = {part for uid, part in contributions if uid is not None and uid == user_id and part in excluded}
    if not mine:
        return None
    first = next(p for p in RunPart if p in mine)  # the most direct involvement, in the enum's order
    return f"{first.label}; {noun} harus oleh orang lain (pembuat, pemeriksa, dan penyetuju proses penggajian harus tiga orang berbeda)."
