"""Measured values an SKP indikator (IKI) can be linked to: `measured_value(kind, ref_id, start, end)`.

Each `SignalKind` has a source here: how to measure it for a period and which references an employee may pick
(the services of their unit, ...). Other areas add their kinds to `SOURCES`. A measured value is evidence the
employee may take into their realisasi or overrule with a reason; it is never a score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...domain.public_service import SignalKind
from ...extensions import db
from ...models import Employee, PublicService, Unit
from ..complaints import register as complaints
from ..org import units
from ..skm import surveys
from . import stats


@dataclass(frozen=True)
class MeasuredValue:
    """A signal's value for a period, with what it rests on and where its data is shown."""

    kind: SignalKind
    ref_id: int
    label: str  # "Persentase layanan selesai sesuai standar: Perekaman KTP-el"
    value: Decimal | None  # None: nothing measured in the period
    satuan: str  # "%"
    basis: str  # "131 dari 140 permohonan selesai dalam standar"
    link_endpoint: str
    link_args: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.value}".replace(".", ",") if self.value is not None else "–"


@dataclass(frozen=True)
class Choice:
    kind: SignalKind
    ref_id: int
    label: str

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.ref_id}"


@dataclass(frozen=True)
class Source:
    measure: Callable[[int, date, date], MeasuredValue | None]
    choices: Callable[[Employee], list[Choice]]


def _service_completion(service_id: int, start: date, end: date) -> MeasuredValue | None:
    service = db.session.get(PublicService, service_id)
    if service is None:
        return None
    summary = stats.summarize(stats.month_rows(start, end, unit_ids=[service.unit_id], service_id=service_id))
    return MeasuredValue(
        kind=SignalKind.COMPLETION_WITHIN_STANDARD,
        ref_id=service_id,
        label=f"{SignalKind.COMPLETION_WITHIN_STANDARD.label}: {service.name}",
        value=summary.within_share,
        satuan="%",
        basis=f"{summary.within} dari {summary.completed} permohonan selesai dalam standar",
        link_endpoint="public_service.unit_dashboard",
        link_args={"unit_id": service.unit_id, "dari": start.isoformat(), "sampai": end.isoformat()},
    )


def _services_of(employee: Employee) -> list[Choice]:
    """The services of the employee's OPD (their unit's subtree from the OPD down)."""
    if employee.position is None:
        return []
    opd_of, _ = units.opd_map()
    unit_ids = units.subtree_ids(opd_of.get(employee.position.unit_id, employee.position.unit_id))
    rows = db.session.scalars(
        select(PublicService)
        .where(PublicService.unit_id.in_(unit_ids), PublicService.active.is_(True))
        .order_by(PublicService.name)
    )
    kind = SignalKind.COMPLETION_WITHIN_STANDARD
    return [Choice(kind, s.id, f"{kind.label}: {s.name} ({s.unit.name})") for s in rows]


def _unit_ikm(unit_id: int, start: date, end: date) -> MeasuredValue | None:
    """The converted IKM of the unit's latest SKM period overlapping the dates (PermenPANRB 14/2017)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        return None
    found = surveys.latest_result([unit.id], start, end)
    kind = SignalKind.UNIT_IKM
    return MeasuredValue(
        kind=kind,
        ref_id=unit.id,
        label=f"{kind.label}: {unit.name}",
        value=found.result.converted if found else None,
        satuan="",
        basis=(
            f"SKM {found.period.name}: {found.result.respondents} responden, mutu {found.result.mutu.value} "
            f"({found.result.mutu.label})"
            if found
            else "Belum ada hasil SKM pada periode ini"
        ),
        link_endpoint="skm.trend",
        link_args={"unit_id": unit.id},
    )


def _survey_units_of(employee: Employee) -> list[Choice]:
    """The employee's unit and its OPD, when they run surveys."""
    if employee.unit is None:
        return []
    kind = SignalKind.UNIT_IKM
    candidates = list(dict.fromkeys([employee.unit, employee.unit.opd]))
    with_survey = surveys.units_with_periods([u.id for u in candidates])
    return [Choice(kind, u.id, f"{kind.label}: {u.name}") for u in candidates if u.id in with_survey]


def _substantiated(employee_id: int, start: date, end: date) -> MeasuredValue | None:
    """Verified, substantiated complaints naming the employee received in the period (never the unverified)."""
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        return None
    n = complaints.count_substantiated(None, employee.id, start, end)
    kind = SignalKind.SUBSTANTIATED_COMPLAINTS
    return MeasuredValue(
        kind=kind,
        ref_id=employee.id,
        label=f"{kind.label}: {employee.name}",
        value=Decimal(n),
        satuan="pengaduan",
        basis=f"{n} pengaduan yang menyebut Anda dinyatakan terbukti setelah verifikasi",
        link_endpoint="complaints.index",
    )


def _self(employee: Employee) -> list[Choice]:
    kind = SignalKind.SUBSTANTIATED_COMPLAINTS
    return [Choice(kind, employee.id, f"{kind.label} (pengaduan yang menyebut saya)")]


SOURCES: dict[SignalKind, Source] = {
    SignalKind.COMPLETION_WITHIN_STANDARD: Source(_service_completion, _services_of),
    SignalKind.UNIT_IKM: Source(_unit_ikm, _survey_units_of),
    SignalKind.SUBSTANTIATED_COMPLAINTS: Source(_substantiated, _self),
}


def measured_value(kind: SignalKind | str, ref_id: int, start: date, end: date) -> MeasuredValue | None:
    """The signal's value over [start, end] (whole months), or None when the reference does not exist."""
    source = SOURCES.get(SignalKind(kind))
    return source.measure(ref_id, start, end) if source else None


def choices_for(employee: Employee) -> list[Choice]:
    """Every signal the employee may link an IKI to."""
    return [c for source in SOURCES.values() for c in source.choices(employee)]
