"""An allowed-transition table of a status lifecycle, with the Indonesian refusal every area words the same way.

Referrals (development), improvement plans (pembinaan) and award proposals (awards) each keep their own table
of allowed moves; this checks a move against such a table:

    LIFECYCLE = Lifecycle(ALLOWED, "Usulan")
    LIFECYCLE.check(AwardStatus.ISSUED, AwardStatus.SELECTED)
    # DomainError("Usulan berstatus «SK terbit» tidak dapat diubah menjadi «Dipilih».", field="status")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from . import DomainError
from .labels import LabeledEnum

E = TypeVar("E", bound=LabeledEnum)


class Lifecycle(Generic[E]):
    """`allowed[current]` lists the statuses a `current` one may become; `subject` names the thing in messages.

    `field`: the form field the refusal is shown at (None: the page). `repeat_message`: a move to the status the
    thing already has is refused as "… ini sudah berstatus «X»." (a double click), else like any other move.
    """

    def __init__(
        self,
        allowed: Mapping[E, frozenset[E]],
        subject: str,
        *,
        field: str | None = "status",
        repeat_message: bool = True,
    ) -> None:
        self.allowed = allowed
        self.subject = subject
        self.field = field
        self.repeat_message = repeat_message

    def allows(self, current: E | str, target: E) -> bool:
        return target in self.allowed[type(target)(current)]

    def check(self, current: E | str, target: E) -> E:
        """Return `target` when the table allows the move, else raise DomainError with an Indonesian message."""
        if self.allows(current, target):
            return target
        current = type(target)(current)
        if self.repeat_message and current == target:
            raise DomainError(f"{self.subject} ini sudah berstatus «{current.label}».", field=self.field)
        raise DomainError(
            f"{self.subject} berstatus «{current.label}» tidak dapat diubah menjadi «{target.label}».",
            field=self.field,
        )
