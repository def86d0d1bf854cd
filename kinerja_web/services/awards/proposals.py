"""Penghargaan: proposals from top results, HR selection and the SK Penghargaan (documents service).

Functions flush, never commit. Eligibility comes only from `domain.awards.award_basis`; the SK is
the existing SK Penghargaan document type, issued through `services.documents.issue` (domain §7.2:
one Keputusan with a Lampiran listing the recipients, or one Keputusan per person).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from flask import url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ... import audit
from ...domain import DomainError
from ...domain.awards import AwardSource, AwardStatus, award_basis, transition
from ...domain.documents import DocType
from ...extensions import db
from ...models import (
    AwardProposal,
    Employee,
    IssuedDocument,
    PerformanceRating,
    Period,
    Role,
    User,
    utcnow,
)
from ..documents import issuing as docs
from ..notifications.notify import Todo, notify
from ..org import appraisers
from ..rating.windows import final_in
from ..skp.records import user_of

NOTIFY_KIND = "penghargaan"
MAX_PER_PERSON = 25  # one Keputusan per person is rendered in the request; more → one SK with a Lampiran


def periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


def _reason(rating: PerformanceRating, basis: str) -> str:
    return (
        f"{basis} — penilaian tahunan {rating.period.year}: hasil kerja {rating.hasil_kerja.label}, "
        f"perilaku kerja {rating.perilaku_kerja.label}"
    )[:300]


def annual_rating(employee_id: int, period_id: int) -> PerformanceRating | None:
    return db.session.scalar(
        select(PerformanceRating).where(PerformanceRating.employee_id == employee_id, *final_in(period_id))
    )


def proposal_of(employee_id: int, period_id: int) -> AwardProposal | None:
    return db.session.scalar(
        select(AwardProposal).where(AwardProposal.employee_id == employee_id, AwardProposal.period_id == period_id)
    )


def candidates(
    period: Period, employee_ids: Sequence[int] | None = None, kotak_by_employee: Mapping[int, int] | None = None
) -> list[tuple[PerformanceRating, str, AwardProposal | None]]:
    """Final annual ratings of the period that qualify (Sangat Baik, or box 9 when given), with any proposal.

    `kotak_by_employee` carries 9-box numbers where a potensial assessment exists (PermenPANRB 3/2020).
    """
    kotak_by_employee = kotak_by_employee or {}
    stmt = (
        select(PerformanceRating)
        .join(Employee, Employee.id == PerformanceRating.employee_id)
        .where(*final_in(period.id), Employee.active.is_(True))
        .options(
            joinedload(PerformanceRating.employee).joinedload(Employee.position), joinedload(PerformanceRating.period)
        )
        .order_by(Employee.name)
    )
    if employee_ids is not None:
        stmt = stmt.where(PerformanceRating.employee_id.in_(list(employee_ids)))
    ratings = list(db.session.scalars(stmt))
    proposals = {
        p.employee_id: p
        for p in db.session.scalars(
            select(AwardProposal).where(
                AwardProposal.period_id == period.id, AwardProposal.employee_id.in_([r.employee_id for r in ratings])
            )
        )
    }
    out = []
    for r in ratings:
        basis = award_basis(r.predikat, kotak_by_employee.get(r.employee_id))
        if basis is not None:
            out.append((r, basis, proposals.get(r.employee_id)))
    return out


def propose(
    employee: Employee, period: Period, actor: User, note: str | None = None, kotak: int | None = None
) -> tuple[AwardProposal, bool]:
    """The atasan proposes a subordinate; the result must qualify. Returns (proposal, created)."""
    existing = proposal_of(employee.id, period.id)
    if existing is not None:
        return existing, False
    rating = annual_rating(employee.id, period.id)
    if rating is None:
        raise DomainError(f"{employee.name} belum memiliki penilaian kinerja tahunan {period.year} yang final.")
    basis = award_basis(rating.predikat, kotak)
    if basis is None:
        raise DomainError(
            f"Predikat {rating.predikat.label} belum memenuhi syarat usulan penghargaan "
            "(hanya Sangat Baik, atau kotak talenta 9)."
        )
    p = _add_proposal(rating, basis, kotak, AwardSource.ATASAN, actor, note=(note or "").strip() or None)
    db.session.flush()
    return p, True


def propose_for_reason(
    employee: Employee, period: Period, actor: User, reason: str, note: str | None = None
) -> tuple[AwardProposal, bool]:
    """A proposal whose reason is not a rating result but a recorded achievement (an accepted innovation); HR still
    selects. One proposal per employee per period, as for every proposal. Returns (proposal, created)."""
    existing = proposal_of(employee.id, period.id)
    if existing is not None:
        return existing, False
    p = AwardProposal(
        employee_id=employee.id,
        period_id=period.id,
        rating_id=None,
        source=AwardSource.INNOVATION,
        reason=reason[:300],
        note=(note or "").strip() or None,
        proposed_by_id=actor.id,
    )
    db.session.add(p)
    db.session.flush()
    return p, True


def _add_proposal(
    rating: PerformanceRating, basis: str, kotak: int | None, source: AwardSource, actor: User, note: str | None = None
) -> AwardProposal:
    """A new proposal for a qualifying final rating (`basis`: why it qualifies), added to the session."""
    p = AwardProposal(
        employee_id=rating.employee_id,
        period_id=rating.period_id,
        rating_id=rating.id,
        source=source,
        reason=_reason(rating, basis),
        kotak=kotak,
        note=note,
        proposed_by_id=actor.id,
    )
    db.session.add(p)
    return p


def generate_suggestions(period: Period, actor: User, kotak_by_employee: Mapping[int, int] | None = None) -> int:
    """Suggestions for HR: every qualifying result of the period without a proposal yet. Idempotent."""
    created = 0
    for rating, basis, existing in candidates(period, kotak_by_employee=kotak_by_employee):
        if existing is not None:
            continue
        _add_proposal(rating, basis, (kotak_by_employee or {}).get(rating.employee_id), AwardSource.SUGGESTION, actor)
        created += 1
    db.session.flush()
    return created


def decide(proposal: AwardProposal, target: AwardStatus, reason: str | None, actor: User) -> None:
    """HR selects or rejects (a rejection needs a reason); audited through the model."""
    reason = (reason or "").strip()
    if target == AwardStatus.REJECTED and len(reason) < 5:
        raise DomainError("Alasan penolakan wajib diisi.", field="reason")
    proposal.status = transition(proposal.status, target)
    proposal.decision_reason = reason or None
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()


def issue_sk(
    proposals: Sequence[AwardProposal],
    *,
    unit_id: int,
    award_name: str,
    issued_on: date,
    per_person: bool,
    actor: User,
    base_url: str | None = None,
) -> list[IssuedDocument]:
    """Issue the SK Penghargaan for selected proposals: one Keputusan with a Lampiran, or one per person.

    The proposals are claimed first with a conditional UPDATE (SELECTED → ISSUED), so a double submit or
    a second officer issues nothing twice; any failure rolls the claim and the numbers back together.
    """
    award_name = (award_name or "").strip()
    if not award_name:
        raise DomainError("Nama penghargaan wajib diisi.", field="award_name")
    if not proposals:
        raise DomainError("Pilih minimal satu usulan yang sudah dipilih.", field="proposal_ids")
    if per_person and len(proposals) > MAX_PER_PERSON:
        raise DomainError(
            f"Paling banyak {MAX_PER_PERSON} SK per orang sekaligus; untuk lebih banyak, terbitkan satu SK "
            "dengan lampiran.",
            field="per_person",
        )
    ids = [p.id for p in proposals]
    claimed = db.session.execute(
        update(AwardProposal)
        .where(AwardProposal.id.in_(ids), AwardProposal.status == AwardStatus.SELECTED)
        .values(status=AwardStatus.ISSUED, award_name=award_name[:150])
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != len(ids):
        raise DomainError("Sebagian usulan sudah diterbitkan SK-nya atau belum berstatus Dipilih; muat ulang halaman.")
    period_id = proposals[0].period_id
    groups = [[p] for p in proposals] if per_person else [list(proposals)]
    issued = []
    for group in groups:
        ref = f"penghargaan:{group[0].id}" if per_person else f"penghargaan-periode:{period_id}"
        doc = docs.issue(
            DocType.SK_PENGHARGAAN,
            unit_id=unit_id,
            subjects=[p.employee for p in group],
            params={"penghargaan": award_name},
            issued_on=issued_on,
            user_id=actor.id,
            base_url=base_url,
            source_ref=ref,
        )
        db.session.execute(
            update(AwardProposal)
            .where(AwardProposal.id.in_([p.id for p in group]))
            .values(document_id=doc.id)
            .execution_options(synchronize_session=False)
        )
        issued.append(doc)
    for p in proposals:
        db.session.refresh(p)
        audit.record(
            db.session,
            "issue_award",
            "award_proposal",
            p.id,
            f"SK Penghargaan {award_name} untuk {p.employee.name}",
            after={"document_id": p.document_id},
        )
        user = user_of(p.employee_id)
        if user is not None:
            notify(
                user,
                NOTIFY_KIND,
                f"Selamat! Anda menerima penghargaan {award_name}.",
                url_for("awards.index", _external=False),
            )
    db.session.flush()
    return issued


def team_ids(superior: Employee | None, on: date) -> list[int] | None:
    """The employees below a superior's posts on `on` (None: not a superior)."""
    if superior is None:
        return None
    below = appraisers.subordinate_position_ids(superior, on)
    if not below:
        return None
    return list(db.session.scalars(select(Employee.id).where(Employee.position_id.in_(below))))


def proposals_in(period: Period, ids: Sequence[int]) -> list[AwardProposal]:
    return list(
        db.session.scalars(select(AwardProposal).where(AwardProposal.id.in_(ids), AwardProposal.period_id == period.id))
    )


def sk_pdf(proposal: AwardProposal) -> tuple[str, bytes]:
    """(file name, stored bytes) of the issued SK: never re-rendered."""
    doc = db.session.get(IssuedDocument, proposal.document_id)
    data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))
    name = "".join(ch if ch.isalnum() else "-" for ch in (doc.number or f"sk-{doc.verification_code}")) + ".pdf"
    return name, data


def proposals_for_hr(period: Period, status: AwardStatus | None = None) -> list[AwardProposal]:
    stmt = (
        select(AwardProposal)
        .where(AwardProposal.period_id == period.id)
        .options(
            joinedload(AwardProposal.employee).joinedload(Employee.unit),
            joinedload(AwardProposal.document),
            joinedload(AwardProposal.proposed_by),
        )
        .join(Employee, Employee.id == AwardProposal.employee_id)
        .order_by(Employee.name)
    )
    if status is not None:
        stmt = stmt.where(AwardProposal.status == status)
    return list(db.session.scalars(stmt))


def my_awards(employee_id: int) -> list[AwardProposal]:
    return list(
        db.session.scalars(
            select(AwardProposal)
            .where(AwardProposal.employee_id == employee_id, AwardProposal.status == AwardStatus.ISSUED)
            .options(joinedload(AwardProposal.document), joinedload(AwardProposal.period))
            .order_by(AwardProposal.id.desc())
        )
    )


def award_todos(user: User) -> list[Todo]:
    """HR: proposals waiting for a decision."""
    if not user.is_authenticated or not user.has_role(Role.ADMIN_KEPEGAWAIAN, Role.ADMINISTRATOR):
        return []
    n = db.session.scalar(select(func.count(AwardProposal.id)).where(AwardProposal.status == AwardStatus.PROPOSED))
    return (
        [
            Todo(
                n,
                f"{n} usulan penghargaan menunggu keputusan",
                url_for("awards.manage", _external=False, status="diusulkan"),
            )
        ]
        if n
        else []
    )
