"""Accounts (create, roles, activation) and audit-log queries."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...extensions import db
from ...models import AuditLog, Employee, Role, Unit, UnitKind, User
from ...timeutil import WIB


def users_query(q: str = "") -> Select:
    stmt = select(User).outerjoin(Employee, Employee.id == User.employee_id).options(joinedload(User.employee))
    if q.strip():
        stmt = stmt.where(or_(User.username.ilike(f"%{q.strip()}%"), Employee.name.ilike(f"%{q.strip()}%")))
    return stmt.order_by(User.username)


def create_account_for(employee: Employee) -> tuple[User, str]:
    """Every pegawai may get an account; the username is the NIP and the first password is temporary."""
    if db.session.scalar(select(User.id).where(User.employee_id == employee.id)):
        raise DomainError("Pegawai ini sudah mempunyai akun.")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == employee.nip.lower())):
        raise DomainError("Nama pengguna sama dengan NIP ini sudah dipakai akun lain; ubah akun tersebut dahulu.")
    temp = "-".join(secrets.token_hex(2) for _ in range(3))
    user = User(
        username=employee.nip, employee=employee, must_change_password=True, session_token=secrets.token_hex(16)
    )
    user.set_password(temp)
    user.set_roles({Role.PEGAWAI})
    db.session.add(user)
    return user, temp


def set_roles(user: User, roles: set[Role], actor: User, allowed) -> None:
    """Change roles; roles the actor may not grant or revoke stay as they were."""
    current = user.roles
    final = {r for r in current if not allowed(actor, r)} | {r for r in roles if allowed(actor, r)}
    if user.id == actor.id and Role.ADMINISTRATOR in current and Role.ADMINISTRATOR not in final:
        raise DomainError("Anda tidak dapat mencabut peran administrator dari akun Anda sendiri.")
    if user.employee_id:
        final.add(Role.PEGAWAI)
    user.set_roles(final)


def update_account(
    user: User, roles: set[Role], active: bool, actor: User, allowed, pimpinan_unit_id: int | None = None
) -> None:
    """Roles (see `set_roles`), the pimpinan grant's unit scope, and activation; nobody deactivates their own
    account."""
    set_roles(user, roles, actor, allowed)
    if Role.PIMPINAN in user.roles and allowed(actor, Role.PIMPINAN):
        if pimpinan_unit_id not in {u.id for u in pimpinan_scope_units()}:
            raise DomainError(
                "Pilih lingkup pimpinan: Pemerintah Kabupaten untuk Bupati/Sekda, atau OPD yang dipimpin.",
                field="pimpinan_unit",
            )
        user.set_pimpinan_unit(pimpinan_unit_id)
    if user.id != actor.id:
        user.active = active


def pimpinan_scope_units() -> list[Unit]:
    """What a pimpinan grant may cover: the Pemda (the whole regency: Bupati, Sekda) or one OPD (its Kepala)."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind.in_((UnitKind.PEMDA, UnitKind.OPD)))
            .order_by(Unit.kind.desc(), Unit.sort_order, Unit.name)
        )
    )


def audit_query(
    entity: str = "",
    action: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    entity_id: int | None = None,
) -> Select:
    stmt = select(AuditLog).options(joinedload(AuditLog.actor))
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if entity_id:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    if actor:
        stmt = stmt.join(User, User.id == AuditLog.actor_id).where(User.username.ilike(f"%{actor}%"))
    # Days are WIB days; bounds go to the database in UTC like the stored values (SQLite keeps no offset).
    if date_from:
        stmt = stmt.where(AuditLog.at >= datetime.combine(date_from, time.min, WIB).astimezone(UTC))
    if date_to:
        stmt = stmt.where(AuditLog.at < datetime.combine(date_to + timedelta(days=1), time.min, WIB).astimezone(UTC))
    return stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def audit_entities() -> list[str]:
    return list(db.session.scalars(select(AuditLog.entity).distinct().order_by(AuditLog.entity)))


def audit_actions() -> list[str]:
    """The actions the log holds, the usual ones first."""
    held = set(db.session.scalars(select(AuditLog.action).distinct()))
    usual = ["create", "update", "delete", "reset_password", "change_password", "lockout"]
    return usual + sorted(held - set(usual))


def account_of(employee: Employee) -> User | None:
    return db.session.scalars(select(User).where(User.employee_id == employee.id)).first()
