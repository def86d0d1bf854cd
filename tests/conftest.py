"""Shared fixtures. The database is SQLite in memory unless TEST_DATABASE_URL points at PostgreSQL.

The schema is built once per session with create_all; each test runs inside a transaction that is
rolled back (SAVEPOINT pattern), so tests are fast and independent on both databases.
A separate test (tests/test_migrations.py) proves the migrations produce the same schema.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from contextlib import contextmanager
from datetime import date

import pytest
from flask import g, request_started
from flask_login import FlaskLoginClient
from sqlalchemy import event

from kinerja_web import audit, create_app
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
from tests.transactions import rolled_back

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")


def _per_worker_postgres(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (`<name>_gw0`, …), created on first
    use, so the PostgreSQL run can use both cores like the SQLite one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(10):  # two workers copying template1 at once: "being accessed by other users"
            try:
                with admin.connect() as conn:
                    if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first():
                        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
                break
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(0.5 + attempt * 0.5)
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


TEST_DATABASE_URL = _per_worker_postgres(TEST_DATABASE_URL)


def make_test_app(**overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "HUEY_IMMEDIATE": True,
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
        "SERVER_NAME": "kinerja.test",
        # Rolled-back test transactions reuse ids, so a fingerprint could match different data: recompute.
        "DATA_CACHE": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Batch jobs' merged PDF + ZIP (documents batches, the rating lock job): one folder per test app, so
        # parallel test workers (whose job ids collide) and the checkout's instance/ keep theirs apart.
        "DOCUMENT_BATCH_DIR": tempfile.mkdtemp(prefix="kinerja-batch-"),
    }
    if TEST_DATABASE_URL.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool

        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = FlaskLoginClient
    request_started.connect(_forget_cached_login, app)
    return app


def _forget_cached_login(sender, **extra) -> None:
    """Tests hold an app context, which Flask reuses for every request, so `g` outlives a request.
    Flask-Login caches the user in `g`: drop it so each request loads its own user, as in production."""
    g.pop("_login_user", None)


def _real_sqlite_transactions(engine) -> None:
    """pysqlite defers BEGIN to the first write, so a SAVEPOINT's RELEASE (a view's commit in a test) would
    really commit and leak rows into later tests. Emit BEGIN ourselves (SQLAlchemy's documented pysqlite
    recipe, "Serializable isolation / Savepoints / Transactional DDL")."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")

    engine.dispose()  # connections opened before the listeners existed keep the deferred behaviour


@pytest.fixture(scope="session")
def _app():
    app = make_test_app()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _real_sqlite_transactions(db.engine)
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()


@pytest.fixture
def app(_app):
    """App with a per-test transaction that is rolled back afterwards (commits become savepoints; see
    tests/transactions.py)."""
    with _app.app_context(), rolled_back():
        # The request hook sets the audit actor in this thread's context; a previous test's user id
        # (rolled back) must not be written into this test's audit rows (a foreign-key error on PostgreSQL).
        audit.set_actor(None, None)
        yield _app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements, to prove list pages do not grow with the row count."""

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
_password_hashes: dict[str, str] = {}


# Production hashes with werkzeug's default (scrypt, ~0.1 s per hash and per check, on purpose). Tests
# sign in hundreds of times, so they use a cheap PBKDF2 (same code paths, real verification);
# tests/web/accounts/test_login.py proves the application's default is scrypt.
TEST_HASH_METHOD = "pbkdf2:sha256:1000"


def _cheap_hash(password: str, method: str = TEST_HASH_METHOD, salt_length: int = 16) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method=TEST_HASH_METHOD, salt_length=salt_length)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    import kinerja_web.models.user as user_module

    mp = pytest.MonkeyPatch()
    mp.setattr(user_module, "generate_password_hash", _cheap_hash)
    yield
    mp.undo()


def _hash_of(password: str) -> str:
    """Hash each distinct test password once."""
    if password not in _password_hashes:
        _password_hashes[password] = _cheap_hash(password)
    return _password_hashes[password]


@pytest.fixture
def make_unit(app):
    seq = itertools.count(1)

    def make(name: str = "Unit Uji", kind: UnitKind = UnitKind.OPD, parent: Unit | None = None, **kw) -> Unit:
        unit = Unit(code=kw.pop("code", f"U{next(seq)}-{id(parent) % 1000}"), name=name, kind=kind, parent=parent, **kw)
        db.session.add(unit)
        db.session.commit()  # a savepoint: the test's outer transaction still rolls back
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
        db.session.commit()
        return pos

    return make


def nip_for(birth: date, tmt: date, gender: Gender, seq: int) -> str:
    # Sequence 001–999 cycling without repeats inside any run of 999 (seq 1000 and 1001 must not both give 001).
    return f"{birth:%Y%m%d}{tmt:%Y%m}{1 if gender == Gender.L else 2}{(seq - 1) % 999 + 1:03d}"


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
        db.session.commit()
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
        user.password_hash = _hash_of(password)
        user.set_roles(roles or {Role.PEGAWAI})
        db.session.add(user)
        db.session.commit()
        return user

    return make


def _build_org_chart() -> dict[str, object]:
    """A small OPD: head → kabid → kasi → two staff, plus an unrelated staff member in another OPD,
    and one user per role, added in a single flush (fast enough to build for every test, and a test that
    does not ask for it sees an empty database)."""
    pemda = Unit(code="PEMDA-T", name="Pemkab Uji", kind=UnitKind.PEMDA)
    opd = Unit(code="OPD-T", name="Dinas Uji", kind=UnitKind.OPD, parent=pemda)
    other_opd = Unit(code="OPD-L", name="Badan Lain", kind=UnitKind.OPD, parent=pemda)

    def post(name, unit, parent, kind=PositionKind.PELAKSANA, kelas=6, leader=False):
        return Position(name=name, unit=unit, parent=parent, kind=kind, kelas_jabatan=kelas, is_leader=leader)

    p_head = post("Kepala Dinas Uji", opd, None, PositionKind.JPT, 14, True)
    p_kabid = post("Kepala Bidang Uji", opd, p_head, PositionKind.ADMINISTRATOR, 11, True)
    p_kasi = post("Kepala Seksi Uji", opd, p_kabid, PositionKind.PENGAWAS, 9, True)
    p_staff1 = post("Pengadministrasi Umum", opd, p_kasi)
    p_staff2 = post("Pengolah Data", opd, p_kasi)
    p_other = post("Pengadministrasi Lain", other_opd, None)

    def person(name, position, golongan, birth, tmt, gender=Gender.L):
        emp = Employee(
            nip=nip_for(birth, tmt, gender, next(_nip_seq)),
            name=name,
            status_asn=StatusAsn.PNS,
            golongan=golongan,
            gender=gender,
            birth_date=birth,
            tmt_cpns=tmt,
            position=position,
            unit=position.unit,
        )
        emp.assignments.append(
            PositionAssignment(position=position, kind=AssignmentKind.DEFINITIF, start_date=date(2020, 1, 1))
        )
        return emp

    head = person("Kepala Uji", p_head, "IV/c", date(1970, 5, 5), date(1995, 3, 1))
    kabid = person("Kabid Uji", p_kabid, "IV/a", date(1975, 6, 6), date(2000, 3, 1))
    kasi = person("Kasi Uji", p_kasi, "III/d", date(1980, 7, 7), date(2005, 3, 1))
    staff1 = person("Staf Satu", p_staff1, "III/a", date(1992, 2, 2), date(2018, 3, 1))
    staff2 = person("Staf Dua", p_staff2, "III/a", date(1993, 3, 3), date(2019, 3, 1), Gender.P)
    other = person("Staf Lain", p_other, "III/a", date(1991, 4, 4), date(2017, 3, 1))

    password_hash = _hash_of("rahasia-uji-123")

    def account(username, role, employee=None):
        user = User(username=username, employee=employee, session_token="tok", password_hash=password_hash)
        user.set_roles({role})
        return user

    objects = dict(
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
        u_staff=account("pegawai1", Role.PEGAWAI, staff1),
        u_kasi=account("atasan1", Role.PEGAWAI, kasi),
        u_other=account("lain1", Role.PEGAWAI, other),
        u_hr=account("hr1", Role.ADMIN_KEPEGAWAIAN),
        u_operator=account("op1", Role.OPERATOR_KEUANGAN),
        u_verifikator=account("ver1", Role.VERIFIKATOR_KEUANGAN),
        u_pejabat=account("pej1", Role.PEJABAT_KEUANGAN),
        u_admin=account("admin1", Role.ADMINISTRATOR),
    )
    db.session.add_all(objects.values())
    db.session.commit()  # savepoint: a view that rolls back must not take the fixture data with it
    return objects


@pytest.fixture
def org_chart(app):
    """The small OPD of `_build_org_chart` as a namespace: units `pemda/opd/other_opd`, posts `p_*`,
    employees `head/kabid/kasi/staff1/staff2/other` and users `u_*` (one per role)."""
    from types import SimpleNamespace

    return SimpleNamespace(**_build_org_chart())
