"""Organisation predikat, the unit leader's hasil kerja, the kurva check and calibration (SE MenPANRB 3/2023).

The predikat organisasi of a unit gives its leader's hasil kerja; the unit's ratings are checked against the curve
only by `domain.kurva.check()`. Functions flush, never commit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import aliased, joinedload

from ... import audit
from ...domain import DomainError, kurva
from ...domain.payroll.rules import RuleVersion
from ...domain.predikat import Ekspektasi, Predikat, PredikatOrganisasi, hasil_kerja_pimpinan
from ...extensions import db
from ...models import (
    ANNUAL,
    AuditLog,
    Employee,
    PerformanceRating,
    Period,
    Position,
    Unit,
    UnitKind,
    UnitPredikat,
    User,
    utcnow,
)
from .. import rating_rules
from ..org import appraisers, units
from .windows import is_locked, ratings_by_employee, window_label

# --- the unit leader's hasil kerja (SE MenPANRB 3/2023) ----------------------------------------------


@dataclass(frozen=True)
class LeaderPrefill:
    unit: Unit
    organisasi: PredikatOrganisasi
    hasil_kerja: Ekspektasi

    @property
    def kalimat(self) -> str:
        return (
            f"Pegawai ini memimpin {self.unit.name}. Capaian kinerja organisasi unit tersebut "
            f"«{self.organisasi.label}», sehingga rating hasil kerjanya «{self.hasil_kerja.label}» "
            "(SE MenPANRB 3/2023: capaian kinerja organisasi menjadi rating hasil kerja pimpinan unit)."
        )


def units_to_calibrate() -> list[Unit]:
    """Every unit below the pemda, by name (the caller keeps those the user may calibrate)."""
    return list(db.session.scalars(select(Unit).where(Unit.kind != UnitKind.PEMDA).order_by(Unit.name)))


def unit_predikat(unit_id: int, period_id: int, window_no: int = ANNUAL) -> UnitPredikat | None:
    return db.session.scalars(
        select(UnitPredikat).where(
            UnitPredikat.unit_id == unit_id, UnitPredikat.period_id == period_id, UnitPredikat.window_no == window_no
        )
    ).first()


def leader_prefill(employee: Employee, period: Period, window_no: int, on: date) -> LeaderPrefill | None:
    """When `employee` leads a unit whose organisation predikat is set, that predikat gives the hasil kerja."""
    pos = appraisers.position_of(employee, on)
    if pos is None or not pos.is_leader:
        return None
    up = unit_predikat(pos.unit_id, period.id, window_no)
    if up is None:
        return None
    return LeaderPrefill(pos.unit, up.predikat, hasil_kerja_pimpinan(up.predikat))


def calibrated_unit(employee: Employee, period: Period, window_no: int) -> UnitPredikat | None:
    """The calibrated unit (the employee's own or one above it) whose calibration froze free editing."""
    unit_ids, node = [], employee.unit
    while node is not None and len(unit_ids) < appraisers.MAX_CHAIN:
        unit_ids.append(node.id)
        node = node.parent
    if not unit_ids:
        return None
    return db.session.scalars(
        select(UnitPredikat).where(
            UnitPredikat.unit_id.in_(unit_ids),
            UnitPredikat.period_id == period.id,
            UnitPredikat.window_no == window_no,
            UnitPredikat.calibrated_at.is_not(None),
        )
    ).first()


# --- organisation predikat and calibration --------------------------------------------------------


def set_unit_predikat(
    unit: Unit, period: Period, window_no: int, organisasi: PredikatOrganisasi, actor: User, note: str | None = None
) -> UnitPredikat:
    """Set the capaian kinerja organisasi of a unit (SE MenPANRB 3/2023, step 1); audited via the model."""
    window_label(period, window_no)
    if is_locked(period.id, window_no):
        raise DomainError(
            "Periode penilaian ini sudah dikunci dan dokumen penetapan predikatnya terbit; "
            "predikat kinerja organisasi tidak dapat diubah lagi.",
            field="predikat",
        )
    row = unit_predikat(unit.id, period.id, window_no)
    if row is None:
        row = UnitPredikat(unit_id=unit.id, period_id=period.id, window_no=window_no)
        db.session.add(row)
    row.predikat = organisasi
    row.set_by_id = actor.id
    row.set_at = utcnow()
    row.note = (note or "").strip()[:500] or None
    db.session.flush()
    return row


def mark_calibrated(unit: Unit, period: Period, window_no: int, actor: User) -> UnitPredikat:
    row = unit_predikat(unit.id, period.id, window_no)
    if row is None:
        raise DomainError("Tetapkan dulu predikat kinerja organisasi unit ini.", field="predikat")
    version = rating_rules.kurva_for(period, row.kurva_rule_version)
    row.calibrated_at = utcnow()
    row.kurva_rule_version = version.version_id if version is not None else None
    db.session.flush()
    audit.record(
        db.session,
        "unit_calibrated",
        "unit_predikat",
        row.id,
        f"Kalibrasi {unit.name} selesai",
        after={"versi_aturan_kurva": row.kurva_rule_version},
    )
    return row


@dataclass(frozen=True)
class CalibrationRow:
    employee: Employee
    rating: PerformanceRating | None


@dataclass(frozen=True)
class Calibration:
    unit: Unit
    organisasi: UnitPredikat | None
    rows: tuple[CalibrationRow, ...]
    counts: dict
    warnings: tuple[kurva.KurvaWarning, ...]
    rules: tuple[kurva.KurvaRule, ...]
    kurva_version: RuleVersion | None = None  # the curve's version: recorded at calibration, else the period's


def calibration(unit: Unit, period: Period, window_no: int = ANNUAL) -> Calibration:
    """Employees of the unit (its leader excluded: rated by the organisation above), their predikat, the curve.

    SE MenPANRB 3/2023: shares are computed over the pegawai under the unit's leader. Constant queries.
    """
    ids = units.subtree_ids(unit)
    parent_post = aliased(Position)
    # The unit's own head: a leader post of this unit whose atasan post lies outside it (or none).
    is_head = and_(
        Position.is_leader.is_(True),
        Position.unit_id == unit.id,
        or_(Position.parent_id.is_(None), parent_post.unit_id != unit.id),
    )
    employees = db.session.scalars(
        select(Employee)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(parent_post, parent_post.id == Position.parent_id)
        .where(Employee.unit_id.in_(ids), Employee.active.is_(True), not_(func.coalesce(is_head, False)))
        .options(joinedload(Employee.position))
        .order_by(Employee.name)
    ).all()
    ratings = ratings_by_employee(period, window_no, [e.id for e in employees])
    rows = tuple(CalibrationRow(e, ratings.get(e.id)) for e in employees)
    counts = Counter(r.rating.predikat for r in rows if r.rating is not None)
    up = unit_predikat(unit.id, period.id, window_no)
    version = rating_rules.kurva_for(period, up.kurva_rule_version if up else None)
    if up is None or version is None:
        return Calibration(unit, up, rows, dict(counts), (), (), version)
    curve = version.data
    warnings = tuple(kurva.check(up.predikat, counts, curve.rules, curve.min_pegawai))
    return Calibration(unit, up, rows, dict(counts), warnings, kurva.rules_for(up.predikat, curve.rules), version)


# --- the calibration history ----------------------------------------------------------------------------

# The audited ways a final rating of the unit changes after the pejabat penilai (ratings._change), as the page
# names them.
CHANGE_PATHS = {"calibrate_rating": "Kalibrasi", "keberatan_decision": "Keputusan atas keberatan"}


@dataclass(frozen=True)
class RatingChange:
    at: datetime
    employee: Employee
    by: str
    path: str
    before: str
    after: str
    reason: str


def _as_printed(values: dict | None) -> str:
    if not values:
        return "–"
    return (
        f"{Predikat(values['predikat']).label} (hasil kerja {Ekspektasi(values['hasil_kerja']).label.lower()}, "
        f"perilaku kerja {Ekspektasi(values['perilaku_kerja']).label.lower()})"
    )


def calibration_history(cal: Calibration) -> list[RatingChange]:
    """Every audited change to the ratings on the calibration page, newest first: when, by whom, which way
    (calibration or a keberatan decision), from what to what, and why. One query."""
    employees = {r.rating.id: r.employee for r in cal.rows if r.rating is not None}
    if not employees:
        return []
    entries = db.session.scalars(
        select(AuditLog)
        .where(
            AuditLog.entity == "performance_rating",
            AuditLog.action.in_(CHANGE_PATHS),
            AuditLog.entity_id.in_(employees),
        )
        .options(joinedload(AuditLog.actor).joinedload(User.employee))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    return [
        RatingChange(
            at=e.at,
            employee=employees[e.entity_id],
            by=(e.actor.employee.full_name if e.actor.employee else e.actor.username) if e.actor else "–",
            path=CHANGE_PATHS[e.action],
            before=_as_printed(e.before),
            after=_as_printed(e.after),
            reason=e.summary,
        )
        for e in entries
    ]
