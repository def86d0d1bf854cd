"""Accounts and roles. "Atasan" is not a role: it is derived from the organisation data."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow
from .org import Employee


class Role(LabeledEnum):
    PEGAWAI = "pegawai", "Pegawai"
    ADMIN_KEPEGAWAIAN = "admin_kepegawaian", "Admin Kepegawaian (BKPSDM)"
    OPERATOR_KEUANGAN = "operator_keuangan", "Operator Keuangan"
    VERIFIKATOR_KEUANGAN = "verifikator_keuangan", "Verifikator Keuangan"
    PEJABAT_KEUANGAN = "pejabat_keuangan", "Pejabat Keuangan"
    ADMINISTRATOR = "administrator", "Administrator"
    PIMPINAN = "pimpinan", "Pimpinan (Bupati/Sekda/Kepala OPD, baca saja)"


HR_ROLES = (Role.ADMIN_KEPEGAWAIAN, Role.ADMINISTRATOR)  # BKPSDM: `access.is_hr`


class UserRole(db.Model):
    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 30))
    # PIMPINAN only: the unit (with its sub-units) whose dashboards the grant opens; the Pemda unit for the
    # Bupati and Sekda (the whole regency), an OPD for its Kepala.
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    __table_args__ = (UniqueConstraint("user_id", "role"),)


class User(UserMixin, db.Model):
    """A login. Employees log in with their NIP; service accounts (e.g. `admin`) have no employee."""

    __tablename__ = "user_account"
    __audited__ = True
    __audit_exclude__ = ("password_hash", "failed_logins", "locked_until", "last_login_at", "session_token")
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(TZDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    # Changes on password change/reset, so other sessions of the same account are logged out.
    session_token: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    employee: Mapped[Employee | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    # Flask-Login
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        mine = self.roles
        return any(r in mine for r in roles)

    @property
    def pimpinan_unit_id(self) -> int | None:
        """The unit a pimpinan grant covers (None without the role or without a scope)."""
        return next((r.scope_unit_id for r in self.role_rows if r.role == Role.PIMPINAN), None)

    def set_pimpinan_unit(self, unit_id: int | None) -> None:
        for r in self.role_rows:
            if r.role == Role.PIMPINAN:
                r.scope_unit_id = unit_id

    def set_roles(self, roles: set[Role]) -> None:
        keep = [r for r in self.role_rows if r.role in roles]
        have = {r.role for r in keep}
        self.role_rows = keep + [UserRole(role=r) for r in roles - have]

    def set_password(self, password: str) -> None:
        # scrypt is werkzeug's default: a standard, memory-hard KDF.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def display_name(self) -> str:
        return self.employee.full_name if self.employee else self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"
