"""One demo account per role, on employees that make sense for it."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Employee, Position, PositionKind, Role, StatusAsn, Unit, UnitKind, User

DEMO_PASSWORD = "demo12345"  # demo data only; the README says so


def create_demo_accounts(today: date) -> dict[str, str]:
    """One account per role, on employees that make sense for it; passwords are DEMO_PASSWORD."""

    def emp_in(opd_code: str, kind: PositionKind, leader: bool | None = None) -> Employee:
        stmt = (
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(Unit.code.like(f"{opd_code}%"), Position.kind == kind, Employee.active.is_(True))
            .order_by(Employee.id)
        )
        if leader is not None:
            stmt = stmt.where(Position.is_leader.is_(leader))
        return db.session.scalars(stmt).first()

    atasan = emp_in("BKPSDM-B3", PositionKind.ADMINISTRATOR, True)  # Kepala Bidang Penilaian Kinerja
    kasi = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.parent_id == atasan.position_id, Position.kind == PositionKind.PENGAWAS)
    ).first()
    staff = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.parent_id == kasi.position_id, Employee.status_asn == StatusAsn.PNS)
    ).first()
    plan = [
        ("pegawai", staff, {Role.PEGAWAI}),
        ("atasan", kasi, {Role.PEGAWAI}),
        ("kabid", atasan, {Role.PEGAWAI}),
        ("kepegawaian", emp_in("BKPSDM-B1", PositionKind.PELAKSANA), {Role.PEGAWAI, Role.ADMIN_KEPEGAWAIAN}),
        ("operator", emp_in("BPKAD-B2", PositionKind.PELAKSANA), {Role.PEGAWAI, Role.OPERATOR_KEUANGAN}),
        ("verifikator", emp_in("BPKAD-B2", PositionKind.PENGAWAS), {Role.PEGAWAI, Role.VERIFIKATOR_KEUANGAN}),
        ("pejabat", emp_in("BPKAD-B2", PositionKind.ADMINISTRATOR, True), {Role.PEGAWAI, Role.PEJABAT_KEUANGAN}),
        ("admin", None, {Role.ADMINISTRATOR}),
    ]
    # The Sekretaris Daerah reads the leadership dashboards for the whole regency (scope: the Pemda unit).
    pemda = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.PEMDA).order_by(Unit.id)).first()
    sekda = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.unit_id == pemda.id, Position.is_leader.is_(True), Employee.active.is_(True))
        .order_by(Position.kelas_jabatan.desc(), Employee.id)
    ).first()
    plan.append(("pimpinan", sekda, {Role.PIMPINAN} | ({Role.PEGAWAI} if sekda else set())))
    out: dict[str, str] = {}
    for username, emp, roles in plan:
        user = User(username=username, employee=emp, session_token=secrets.token_hex(16))
        user.set_password(DEMO_PASSWORD)
        user.set_roles(roles)
        if Role.PIMPINAN in roles:
            user.set_pimpinan_unit(pemda.id)
        db.session.add(user)
        out[username] = ", ".join(sorted(r.label for r in roles))
    db.session.flush()
    return out
