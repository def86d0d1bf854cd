"""A unit's catalogue of services and their standar pelayanan versions (berlaku mulai), and the unit operators."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...domain import DomainError
from ...domain.public_service import CompletionUnit
from ...extensions import db
from ...models import Employee, PublicService, ServiceOperator, ServiceStandard, Unit, User


def services_of(unit: Unit) -> list[PublicService]:
    return list(
        db.session.scalars(
            select(PublicService)
            .where(PublicService.unit_id == unit.id)
            .options(selectinload(PublicService.standards))
            .order_by(PublicService.name)
        )
    )


def add_service(unit: Unit, code: str, name: str) -> PublicService:
    code = code.strip().upper()
    if db.session.scalar(select(PublicService.id).where(PublicService.unit_id == unit.id, PublicService.code == code)):
        raise DomainError(f"Kode layanan “{code}” sudah dipakai di unit ini.", "code")
    service = PublicService(unit_id=unit.id, code=code, name=name.strip())
    db.session.add(service)
    db.session.flush()
    return service


def add_standard(
    service: PublicService, *, valid_from: date, completion_time: int, completion_unit: CompletionUnit | str,
    cost: int, product: str, requirements: str, user: User,
) -> ServiceStandard:  # fmt: skip
    """A new version of the standar pelayanan; versions are never edited, a later one replaces it from its date."""
    if any(s.valid_from == valid_from for s in service.standards):
        raise DomainError("Sudah ada standar yang berlaku mulai tanggal itu; pilih tanggal lain.", "valid_from")
    if completion_time <= 0:
        raise DomainError("Jangka waktu penyelesaian harus lebih dari 0.", "completion_time")
    std = ServiceStandard(
        service=service,
        valid_from=valid_from,
        completion_time=completion_time,
        completion_unit=CompletionUnit(completion_unit),
        cost=cost or 0,
        product=(product or "").strip(),
        requirements=(requirements or "").strip(),
        created_by_id=user.id,
    )
    db.session.add(std)
    db.session.flush()
    return std


def operators_of(unit: Unit) -> list[tuple[ServiceOperator, User]]:
    return list(
        db.session.execute(
            select(ServiceOperator, User).join(User, User.id == ServiceOperator.user_id)
            .where(ServiceOperator.unit_id == unit.id).order_by(User.username)
        )
    )  # fmt: skip


def add_operator(unit: Unit, who: str) -> ServiceOperator:
    """Grant `who` (an account name or an employee's NIP) the operator role for the unit."""
    key = who.strip().replace(" ", "")
    user = db.session.scalar(
        select(User).outerjoin(Employee, Employee.id == User.employee_id).where(
            or_(User.username == key, Employee.nip == key)
        )
    )  # fmt: skip
    if user is None:
        raise DomainError("Akun dengan NIP atau nama pengguna itu tidak ditemukan.", "who")
    if db.session.scalar(
        select(ServiceOperator.id).where(ServiceOperator.unit_id == unit.id, ServiceOperator.user_id == user.id)
    ):
        raise DomainError("Akun itu sudah menjadi operator unit ini.", "who")
    op = ServiceOperator(unit_id=unit.id, user_id=user.id)
    db.session.add(op)
    db.session.flush()
    return op


def remove_operator(op: ServiceOperator) -> None:
    db.session.delete(op)
    db.session.flush()
