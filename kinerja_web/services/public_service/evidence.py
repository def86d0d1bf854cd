"""The "Bukti pelayanan publik" panel on the pejabat penilai's rating page: `evidence_for(employee_id, start, end)`.

The panel is a list of sections, each built by one function in `SECTION_BUILDERS` and shown by its own template
partial (the panel template loops over the sections). Sections show figures; none of them scores (§12.3: the
weight is the pejabat penilai's). Each builder runs a fixed number of queries, whatever the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Employee, Position, PublicService, Unit
from ..complaints import register as complaints
from ..innovations import register as innovations
from ..skm import surveys
from . import dashboards, stats


@dataclass(frozen=True)
class EvidenceSection:
    key: str  # "waktu_penyelesaian"
    title: str  # shown as the section's heading
    template: str  # the partial that shows `data`
    data: Any
    empty: bool = False  # nothing to show for the period (the partial says so)


@dataclass
class PublicServiceEvidence:
    employee_id: int
    start: date
    end: date
    sections: list[EvidenceSection] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return all(s.empty for s in self.sections)


@dataclass(frozen=True)
class ServiceLine:
    service: PublicService
    summary: stats.Summary


@dataclass(frozen=True)
class CompletionEvidence:
    officer: stats.Summary  # the employee as the officer who completed requests
    unit: Unit | None
    unit_summary: stats.Summary
    services: list[ServiceLine]


def _unit_of(employee_id: int, officer_rows: list) -> Unit | None:
    """The service unit the employee works for: where they completed most requests, else their position's."""
    if officer_rows:
        counts: dict[int, int] = {}
        for r in officer_rows:
            counts[r.unit_id] = counts.get(r.unit_id, 0) + r.received + r.completed
        return db.session.get(Unit, max(counts, key=counts.get))
    return db.session.scalar(
        select(Unit).join(Position, Position.unit_id == Unit.id).join(Employee, Employee.position_id == Position.id)
        .where(Employee.id == employee_id)
    )  # fmt: skip


def completion_section(employee_id: int, start: date, end: date) -> EvidenceSection:
    officer_rows = stats.month_rows(start, end, service_id=0, officer_id=employee_id)
    unit = _unit_of(employee_id, officer_rows)
    unit_rows = stats.month_rows(start, end, unit_ids=[unit.id], service_id=None, officer_id=0) if unit else []
    by_service: dict[int, list] = {}
    for r in unit_rows:
        by_service.setdefault(r.service_id, []).append(r)
    services = (
        list(
            db.session.scalars(
                select(PublicService)
                .where(PublicService.id.in_([k for k in by_service if k]))
                .options(selectinload(PublicService.standards))
            )
        )
        if by_service
        else []
    )
    data = CompletionEvidence(
        officer=stats.summarize(officer_rows),
        unit=unit,
        unit_summary=stats.summarize(by_service.get(0, [])),
        services=sorted(
            (ServiceLine(s, stats.summarize(by_service[s.id], dashboards.time_unit(s, end))) for s in services),
            key=lambda line: line.service.name,
        ),
    )
    return EvidenceSection(
        key="waktu_penyelesaian",
        title="Waktu penyelesaian layanan",
        template="public_service/evidence/_completion.html",
        data=data,
        empty=data.officer.empty and data.unit_summary.empty,
    )


def _units_of(employee_id: int) -> list[int]:
    emp = db.session.get(Employee, employee_id)
    if emp is None or emp.unit is None:
        return []
    return list(dict.fromkeys([emp.unit.id, emp.unit.opd.id]))


def ikm_section(employee_id: int, start: date, end: date) -> EvidenceSection:
    """The IKM of the employee's unit (or its OPD) from the latest SKM period in the dates (PermenPANRB 14/2017)."""
    found = surveys.latest_result(_units_of(employee_id), start, end)
    return EvidenceSection(
        key="ikm", title="Indeks Kepuasan Masyarakat (IKM) unit", template="skm/evidence/_ikm.html", data=found,
        empty=found is None,
    )  # fmt: skip


def complaints_section(employee_id: int, start: date, end: date) -> EvidenceSection:
    """Substantiated complaints naming the employee, each with the employee's written responses (§12.3)."""
    rows = complaints.substantiated_about(employee_id, start, end)
    return EvidenceSection(
        key="pengaduan", title="Pengaduan terbukti yang menyebut pegawai", template="complaints/evidence/_list.html",
        data=rows, empty=not rows,
    )  # fmt: skip


def innovations_section(employee_id: int, start: date, end: date) -> EvidenceSection:
    """Accepted innovations of the employee and of their unit started in the dates."""
    rows = innovations.accepted_for(employee_id, _units_of(employee_id), start, end)
    return EvidenceSection(
        key="inovasi", title="Inovasi", template="innovations/evidence/_list.html", data=rows, empty=not rows
    )


# One builder per section, in the panel's order.
SECTION_BUILDERS: list[Callable[[int, date, date], EvidenceSection | None]] = [
    completion_section,
    ikm_section,
    complaints_section,
    innovations_section,
]


def evidence_for(employee_id: int, start: date, end: date) -> PublicServiceEvidence:
    """Every section of the panel for the employee over [start, end]."""
    out = PublicServiceEvidence(employee_id, start, end)
    for build in SECTION_BUILDERS:
        section = build(employee_id, start, end)
        if section is not None:
            out.sections.append(section)
    return out
