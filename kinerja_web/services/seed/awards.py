"""A penghargaan proposal by the atasan for a Sangat Baik annual rating."""

from __future__ import annotations

from sqlalchemy import select

from ...domain.awards import AwardSource, award_basis
from ...extensions import db
from ...models import AwardProposal, Employee, PerformanceRating, Period, RatingStatus, User


def proposal(employee: Employee, period: Period, rating: PerformanceRating, proposed_by: User) -> int:
    """Propose the employee for the rating's award basis, unless none applies or a proposal exists (0)."""
    basis = award_basis(rating.predikat)
    exists = db.session.scalar(
        select(AwardProposal.id).where(AwardProposal.employee_id == employee.id, AwardProposal.period_id == period.id)
    )
    if basis is None or rating.status != RatingStatus.FINAL or exists is not None:
        return 0
    db.session.add(
        AwardProposal(
            employee_id=employee.id,
            period_id=period.id,
            rating_id=rating.id,
            source=AwardSource.ATASAN,
            reason=f"{basis} — penilaian tahunan {period.year}: hasil kerja {rating.hasil_kerja.label}, "
            f"perilaku kerja {rating.perilaku_kerja.label}",
            note="Memimpin percepatan verifikasi usul kenaikan pangkat tanpa tunggakan.",
            proposed_by_id=proposed_by.id,
        )
    )
    return 1
