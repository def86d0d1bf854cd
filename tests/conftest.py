"""Shared fixtures. The database is SQLite in memory unless TEST_DATABASE_URL points at PostgreSQL.

The schema is built once per session with create_all; each test runs inside a transaction that is
rolled back (SAVEPOINT pattern), so tests are fast and independent on both databases.
A separate test (tests/test_migrations.py) proves the migrations produce the same schema.
"""

from __future__ import annotations

import itertools
import os
from datetime import date

import pytest
from flask_login import FlaskLoginClient
from flask_sqlalchemy.session import Session as FsaSession
from sqlalchemy import event

from kinerja_web import create_app
from kinerja_web.extensions import db
from kinerja_web.models import (
    AssignmentKind,
    Employee,
    Gender,
    Position,
    PositionAssignment,
    PositionKind,
    Role,
    StatusAsn,
    Unit,
    UnitKind,
    User,
)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")


def make_test_app(**overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "HUEY_IMMEDIATE": True,
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
        "SERVER_NAME": "kinerja.test",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    if TEST_DATABASE_URL.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool

        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = FlaskLoginClient
    return app


class _ConnectionBoundSession(FsaSession):
    """Flask-SQLAlchemy's Session.get_bind returns the engine whenever one is configured, ignoring the
    `bind=connection` of the test session: commits in views then committed for real. Use the connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


def _sqlite_real_savepoints(engine) -> None:
    """pysqlite emits no BEGIN of its own before a SAVEPOINT, so RELEASE would commit the test's outer
    transaction (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL"): take over BEGIN."""

    @event.listens_for(engine, "connect")
    def _no_pysqlite_begin(dbapi_conn, record):
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        if not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def _app():
    app = make_test_app()
    with app.app_context():
        if TEST_DATABASE_URL.startswith("sqlite"):
            _sqlite_real_savepoints(db.engine)
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()


@pytest.fixture
def app(_app):
    """App with a per-test transaction that is rolled back afterwards (commits become savepoints)."""
    from kinerja_web import audit

    audit.set_actor(None, None)  # a previous test's request left its (rolled back) user as the actor
    with _app.app_context():
        connection = db.engine.connect()
        trans = connection.begin()
        session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _ConnectionBoundSession}
        )
        old_session = db.session
        db.session = session
        try:
            yield _app
        finally:
            session.remove()
            db.session = old_session
            if trans.is_active:
                trans.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements, to prove list pages do not grow with the row count."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        calls = []

        def before(conn, cursor, statement, params, context, executemany):
            calls.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield calls
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


_nip_seq = itertools.count(1)


@pytest.fixture
def make_unit(app):
    seq = itertools.count(1)

    def make(name: str = "Unit Uji", kind: UnitKind = UnitKind.OPD, parent: Unit | None = None, **kw) -> Unit:
        unit = Unit(code=kw.pop("code", f"U{next(seq)}-{id(parent) % 1000}"), name=name, kind=kind, parent=parent, **kw)
        db.session.add(unit)
        db.session.flush()
        return unit

    return make


@pytest.fixture
def make_position(app, make_unit):
    def make(
        name: str = "Jabatan Uji",
        unit: Unit | None = None,
        parent: Position | None = None,
        kind: PositionKind = PositionKind.PELAKSANA,
        **kw,
    ) -> Position:
        pos = Position(
            name=name,
            unit=unit or make_unit(),
            parent=parent,
            kind=kind,
            kelas_jabatan=kw.pop("kelas_jabatan", 6),
            **kw,
        )
        db.session.add(pos)
        db.session.flush()
        return pos

    return make


def nip_for(birth: date, tmt: date, gender: Gender, seq: int) -> str:
    return f"{birth:%Y%m%d}{tmt:%Y%m}{1 if gender == Gender.L else 2}{seq % 1000 or 1:03d}"


@pytest.fixture
def make_employee(app, make_position):
    """Factory: an employee holding a post (a new one unless `position` is given), valid NIP."""

    def make(
        name: str = "Pegawai Uji", position: Position | None = None, *, with_history: bool = True, **overrides
    ) -> Employee:
        birth = overrides.pop("birth_date", date(1990, 1, 1))
        tmt = overrides.pop("tmt_cpns", date(2015, 3, 1))
        gender = overrides.pop("gender", Gender.L)
        if position is None and overrides.pop("no_position", False) is False:
            position = make_position()
        emp = Employee(
            nip=overrides.pop("nip", None) or nip_for(birth, tmt, gender, next(_nip_seq)),
            name=name,
            status_asn=overrides.pop("status_asn", StatusAsn.PNS),
            golongan=overrides.pop("golongan", "III/a"),
            gender=gender,
            birth_date=birth,
            tmt_cpns=tmt,
            position=position,
            unit=position.unit if position else None,
            **overrides,
        )
        db.session.add(emp)
        if position is not None and with_history:
            emp.assignments.append(
                PositionAssignment(position=position, kind=AssignmentKind.DEFINITIF, start_date=date(2020, 1, 1))
            )
        db.session.flush()
        return emp

    return make


@pytest.fixture
def make_user(app):
    def make(
        username: str | None = None,
        roles: set[Role] | None = None,
        employee: Employee | None = None,
        password: str = "rahasia-uji-123",
        **kw,
    ) -> User:
        user = User(
            username=username or (employee.nip if employee else f"user{next(_nip_seq)}"),
            employee=employee,
            session_token=kw.pop("session_token", "tok"),
            **kw,
        )
        user.set_password(password)
        user.set_roles(roles or {Role.PEGAWAI})
        db.session.add(user)
        db.session.flush()
        return user

    return make


@pytest.fixture
def org_chart(make_unit, make_position, make_employee, make_user):
    """A small OPD: head → kabid → kasi → two staff, plus an unrelated staff member elsewhere.

    Returns a namespace with employees, posts and one user per relevant role.
    """
    from types import SimpleNamespace

    pemda = make_unit("Pemkab Uji", UnitKind.PEMDA, code="PEMDA-T")
    opd = make_unit("Dinas Uji", UnitKind.OPD, pemda, code="OPD-T")
    other_opd = make_unit("Badan Lain", UnitKind.OPD, pemda, code="OPD-L")
    p_head = make_position("Kepala Dinas Uji", opd, None, PositionKind.JPT, is_leader=True, kelas_jabatan=14)
    p_kabid = make_position(
        "Kepala Bidang Uji", opd, p_head, PositionKind.ADMINISTRATOR, is_leader=True, kelas_jabatan=11
    )
    p_kasi = make_position("Kepala Seksi Uji", opd, p_kabid, PositionKind.PENGAWAS, is_leader=True, kelas_jabatan=9)
    p_staff1 = make_position("Pengadministrasi Umum", opd, p_kasi)
    p_staff2 = make_position("Pengolah Data", opd, p_kasi)
    p_other = make_position("Pengadministrasi Lain", other_opd, None)
    head = make_employee("Kepala Uji", p_head, golongan="IV/c", birth_date=date(1970, 5, 5), tmt_cpns=date(1995, 3, 1))
    kabid = make_employee("Kabid Uji", p_kabid, golongan="IV/a", birth_date=date(1975, 6, 6), tmt_cpns=date(2000, 3, 1))
    kasi = make_employee("Kasi Uji", p_kasi, golongan="III/d", birth_date=date(1980, 7, 7), tmt_cpns=date(2005, 3, 1))
    staff1 = make_employee("Staf Satu", p_staff1, birth_date=date(1992, 2, 2), tmt_cpns=date(2018, 3, 1))
    staff2 = make_employee(
        "Staf Dua", p_staff2, birth_date=date(1993, 3, 3), tmt_cpns=date(2019, 3, 1), gender=Gender.P
    )
    other = make_employee("Staf Lain", p_other, birth_date=date(1991, 4, 4), tmt_cpns=date(2017, 3, 1))
    ns = SimpleNamespace(
        pemda=pemda,
        opd=opd,
        other_opd=other_opd,
        p_head=p_head,
        p_kabid=p_kabid,
        p_kasi=p_kasi,
        p_staff1=p_staff1,
        p_staff2=p_staff2,
        p_other=p_other,
        head=head,
        kabid=kabid,
        kasi=kasi,
        staff1=staff1,
        staff2=staff2,
        other=other,
    )
    ns.u_staff = make_user("pegawai1", {Role.PEGAWAI}, staff1)
    ns.u_kasi = make_user("atasan1", {Role.PEGAWAI}, kasi)
    ns.u_other = make_user("lain1", {Role.PEGAWAI}, other)
    ns.u_hr = make_user("hr1", {Role.ADMIN_KEPEGAWAIAN})
    ns.u_operator = make_user("op1", {Role.OPERATOR_KEUANGAN})
    ns.u_verifikator = make_user("ver1", {Role.VERIFIKATOR_KEUANGAN})
    ns.u_pejabat = make_user("pej1", {Role.PEJABAT_KEUANGAN})
    ns.u_admin = make_user("admin1", {Role.ADMINISTRATOR})
    return ns
