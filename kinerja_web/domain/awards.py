"""Who may be proposed for a penghargaan from the performance results (PP 30/2019 Bab tindak lanjut; §2.11).

Results feed rewards (penghargaan). The app proposes only top results: the final predikat *Sangat Baik*
(PermenPANRB 6/2022), or box 9 of the 9-box talent map (kinerja di atas ekspektasi, potensial tinggi;
PermenPANRB 3/2020) when a potensial is known. The selection itself stays a human decision by BKPSDM.
"""

from __future__ import annotations

from .labels import LabeledEnum
from .lifecycle import Lifecycle
from .predikat import Predikat

TOP_PREDIKAT = Predikat.SANGAT_BAIK
TOP_BOX = 9  # kotak talenta 9: kinerja di atas ekspektasi, potensial tinggi (PermenPANRB 3/2020)


class AwardStatus(LabeledEnum):
    PROPOSED = "diusulkan", "Diusulkan"
    SELECTED = "dipilih", "Dipilih"
    REJECTED = "ditolak", "Ditolak"
    ISSUED = "sk_terbit", "SK terbit"

    @property
    def tone(self) -> str:
        """The tag colour of the status on the pages: "bad", "ok" or "" (neutral)."""
        return {"ditolak": "bad", "sk_terbit": "ok"}.get(self.value, "")

    @property
    def is_open(self) -> bool:
        """HR may still decide on the proposal (everything but an issued SK)."""
        return bool(ALLOWED[self])

    @property
    def can_select(self) -> bool:
        return AwardStatus.SELECTED in ALLOWED[self]

    @property
    def can_reject(self) -> bool:
        return AwardStatus.REJECTED in ALLOWED[self]


class AwardSource(LabeledEnum):
    ATASAN = "atasan", "Usulan atasan"
    SUGGESTION = "saran", "Saran sistem"
    INNOVATION = "inovasi", "Inovasi"  # an accepted innovation as the reason (domain reference §12.3)


ALLOWED: dict[AwardStatus, frozenset[AwardStatus]] = {
    AwardStatus.PROPOSED: frozenset({AwardStatus.SELECTED, AwardStatus.REJECTED}),
    AwardStatus.SELECTED: frozenset({AwardStatus.ISSUED, AwardStatus.REJECTED}),
    AwardStatus.REJECTED: frozenset({AwardStatus.SELECTED}),
    AwardStatus.ISSUED: frozenset(),
}


LIFECYCLE = Lifecycle(ALLOWED, "Usulan")


def transition(current: AwardStatus, target: AwardStatus) -> AwardStatus:
    """Check one step of a proposal's lifecycle; raises DomainError (at the status field) in Indonesian."""
    return LIFECYCLE.check(current, target)


def award_basis(predikat: Predikat, kotak: int | None = None) -> str | None:
    """The reason a result qualifies for a proposal, or None when it does not.

    Predikat Sangat Baik qualifies on its own; otherwise box 9 of the 9-box (when a potensial exists).
    """
    if Predikat(predikat) is TOP_PREDIKAT:
        return f"Predikat kinerja {TOP_PREDIKAT.label}"
    if kotak == TOP_BOX:
        return "Kotak talenta 9 (kinerja di atas ekspektasi, potensial tinggi)"
    return None
