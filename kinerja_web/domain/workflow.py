"""SKP approval workflow as a table (PermenPANRB 6/2022 Pasal 5–8: penyusunan dan penetapan SKP).

An SKP is drafted by the pegawai, submitted (diajukan) to the pejabat penilai, who approves
(disetujui, i.e. ditetapkan) it or returns it (dikembalikan) with comments. An approved SKP is never
edited: a change opens a new version, and when that version is approved the old one is replaced.
"""

from __future__ import annotations

from enum import StrEnum

from . import DomainError


class SkpStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "diajukan"
    RETURNED = "dikembalikan"
    APPROVED = "disetujui"
    REPLACED = "diganti"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[SkpStatus, str] = {
    SkpStatus.DRAFT: "Draf",
    SkpStatus.SUBMITTED: "Diajukan",
    SkpStatus.RETURNED: "Dikembalikan",
    SkpStatus.APPROVED: "Disetujui",
    SkpStatus.REPLACED: "Diganti versi baru",
}

ALLOWED: dict[SkpStatus, frozenset[SkpStatus]] = {
    SkpStatus.DRAFT: frozenset({SkpStatus.SUBMITTED}),
    SkpStatus.SUBMITTED: frozenset({SkpStatus.APPROVED, SkpStatus.RETURNED}),
    SkpStatus.RETURNED: frozenset({SkpStatus.SUBMITTED}),
    SkpStatus.APPROVED: frozenset({SkpStatus.REPLACED}),
    SkpStatus.REPLACED: frozenset(),
}

EDITABLE: frozenset[SkpStatus] = frozenset({SkpStatus.DRAFT, SkpStatus.RETURNED})

MESSAGES: dict[tuple[SkpStatus, SkpStatus], str] = {
    (SkpStatus.SUBMITTED, SkpStatus.SUBMITTED): "SKP ini sudah diajukan dan sedang menunggu persetujuan atasan.",
    (SkpStatus.APPROVED, SkpStatus.APPROVED): "SKP ini sudah disetujui.",
    (SkpStatus.APPROVED, SkpStatus.SUBMITTED): "SKP yang sudah disetujui tidak dapat diajukan lagi; buat versi baru.",
    (SkpStatus.RETURNED, SkpStatus.RETURNED): "SKP ini sudah dikembalikan kepada pegawai.",
}


def can_transition(current: SkpStatus, target: SkpStatus) -> bool:
    return target in ALLOWED[current]


def transition(current: SkpStatus, target: SkpStatus) -> SkpStatus:
    """Return `target` when the table allows the move, else raise DomainError with an Indonesian message."""
    if not can_transition(current, target):
        message = MESSAGES.get(
            (current, target),
            f"SKP berstatus {current.label} tidak dapat diubah menjadi {target.label}.",
        )
        raise DomainError(message, field="status")
    return target


def is_editable(status: SkpStatus) -> bool:
    """Only a draft or a returned SKP may be edited; an approved one is immutable."""
    return status in EDITABLE
