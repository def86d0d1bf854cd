"""Exactly once: a double click (two requests at the same moment) issues one document, starts one job, revokes once.

Each test runs two real threads, each with its own request, session and database connection, against a database
where commits are real: a SQLite file (WAL, as in production) or, when TEST_DATABASE_URL points at PostgreSQL, a
scratch PostgreSQL database. Both requests meet at the service call that writes (after their "already issued?"
reads), so the window a double click opens is always hit, not only on a lucky schedule. Afterwards there is one
valid document (one job, one audit entry) and the second request got a friendly answer, never a 500.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from kinerja_web.domain.documents import DocStatus, DocType
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, IssuedDocument, Job, NumberRegister
from kinerja_web.services.documents import issuing as docs
from kinerja_web.services.payroll import documents as paydocs

from ...conftest import TEST_DATABASE_URL, _build_org_chart, make_test_app
from ..payroll.test_payroll_documents import compute_october, finalise
from ..skp_fixtures import make_period, make_skp
from .test_documents import add_issuer_settings

TOKEN = "klik-ganda-0123456789abcdef"


@pytest.fixture
def race_app(tmp_path):
    """An app on a database of its own where commits really commit (no per-test rollback)."""
    scratch = None
    if TEST_DATABASE_URL.startswith("postgresql"):
        base = make_url(TEST_DATABASE_URL)
        scratch = base.set(database=f"{base.database}_race")
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{scratch.database}"')
        url, options = scratch.render_as_string(hide_password=False), {"pool_pre_ping": True}
    else:
        url, options = f"sqlite:///{tmp_path / 'race.sqlite3'}", {"connect_args": {"timeout": 60}}
    app = make_test_app(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=options,
        HUEY_IMMEDIATE=False,  # a job is only queued, as in production (no worker runs here)
        HUEY_SQLITE_PATH=str(tmp_path / "huey.sqlite3"),
    )
    with app.app_context():
        db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
    if scratch is not None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def org(race_app):
    return SimpleNamespace(**_build_org_chart())


def at_once(monkeypatch, module, name: str, *requests: Callable[[], object]) -> list:
    """Run each request in its own thread; both wait at `module.name` until the other got there too."""
    meeting = threading.Barrier(len(requests), timeout=10)
    original = getattr(module, name)

    def wait_then_call(*args, **kwargs):
        try:
            meeting.wait()
        except threading.BrokenBarrierError:  # the other request is held by a lock (a fix that serialises): go on
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wait_then_call)
    results: list = [None] * len(requests)
    errors: list[BaseException] = []

    def run(i: int, request: Callable[[], object]) -> None:
        try:
            results[i] = request()
        except BaseException as e:  # reported below: a thread's exception would otherwise vanish
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads), "a request hung"
    db.session.rollback()  # a fresh look at what the two requests committed
    return results


def friendly(responses) -> list[str]:
    """Both requests were answered with a redirect (to the document or the page listing it): no 500, no 409 page
    without a way on. Returns the targets."""
    assert [r.status_code for r in responses] == [303, 303], [r.get_data(as_text=True)[:500] for r in responses]
    return [r.headers["Location"] for r in responses]


def flashes(client) -> str:
    with client.session_transaction() as s:
        return " ".join(message for _, message in s.get("_flashes", []))


def valid_documents(doc_type: DocType) -> list[IssuedDocument]:
    return list(
        db.session.scalars(
            select(IssuedDocument).where(IssuedDocument.doc_type == doc_type, IssuedDocument.status == DocStatus.VALID)
        )
    )


# --- realisasi PDF ------------------------------------------------------------------------------------


def test_double_click_on_realisasi_pdf_issues_one_report(race_app, org, monkeypatch):
    period = make_period()
    kasi_skp = make_skp(org.kasi, period, status=SkpStatus.APPROVED, rhks=(("Layanan administrasi", None),))
    skp = make_skp(org.staff1, period, rhks=(("Surat masuk teragenda", kasi_skp.rhks[0]),))
    skp.status, skp.appraiser_id = SkpStatus.SUBMITTED, org.kasi.id
    db.session.commit()
    assert race_app.test_client(user=org.u_kasi).post(f"/skp/{skp.id}/setujui").status_code == 303
    staff, kasi = race_app.test_client(user=org.u_staff), race_app.test_client(user=org.u_kasi)
    url = f"/skp/{skp.id}/realisasi/terbitkan-pdf?periode=1"

    responses = at_once(monkeypatch, docs, "prepare", lambda: staff.post(url), lambda: kasi.post(url))

    friendly(responses)
    (doc,) = valid_documents(DocType.REALISASI_SKP)
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 1
    assert "sudah diterbitkan" in flashes(staff) + flashes(kasi)


# --- kartu data pegawai --------------------------------------------------------------------------------


@pytest.fixture
def kartu_issuer(org):
    add_issuer_settings(org.opd)
    db.session.commit()
    return org


def test_double_click_on_kartu_pegawai_issues_one_card(race_app, kartu_issuer, monkeypatch):
    org = kartu_issuer
    first, second = race_app.test_client(user=org.u_hr), race_app.test_client(user=org.u_hr)
    form = {"unit_id": org.opd.id, "idempotency_key": TOKEN}  # the same rendered form, submitted twice
    url = f"/dokumen/kartu-pegawai/{org.staff1.id}"

    responses = at_once(
        monkeypatch, docs, "prepare", lambda: first.post(url, data=form), lambda: second.post(url, data=form)
    )

    (doc,) = valid_documents(DocType.KARTU_PEGAWAI)
    assert set(friendly(responses)) == {f"/dokumen/{doc.id}"}
    assert "sudah diterbitkan" in flashes(first) + flashes(second)
    reg = db.session.scalar(select(NumberRegister).where(NumberRegister.doc_type == DocType.KARTU_PEGAWAI))
    assert reg.counter == 1  # the losing request gave its number back


# --- daftar gaji ---------------------------------------------------------------------------------------


@pytest.fixture
def final_run(org):
    ns = compute_october(org)
    finalise(ns)
    return ns


def test_double_click_on_daftar_gaji_issues_one_list(race_app, final_run, monkeypatch):
    ns = final_run
    first, second = race_app.test_client(user=ns.u_operator), race_app.test_client(user=ns.u_operator)
    url = f"/gaji/run/{ns.run.id}/daftar/terbitkan"
    form = {"unit_id": ns.opd.id, "opd_id": ns.opd.id}

    responses = at_once(
        monkeypatch, docs, "prepare", lambda: first.post(url, data=form), lambda: second.post(url, data=form)
    )

    friendly(responses)
    (doc,) = valid_documents(DocType.DAFTAR_GAJI)
    assert doc.idempotency_key == paydocs.daftar_key(ns.run.id, ns.opd.id)
    assert "tidak diterbitkan dua kali" in flashes(first) + flashes(second)


# --- slip gaji batch job -------------------------------------------------------------------------------


def test_double_click_on_slip_batch_starts_one_job(race_app, final_run, monkeypatch):
    ns = final_run
    first, second = race_app.test_client(user=ns.u_operator), race_app.test_client(user=ns.u_operator)
    url = f"/gaji/run/{ns.run.id}/slip/terbitkan"
    form = {"unit_id": ns.opd.id, "idempotency_key": TOKEN}

    responses = at_once(
        monkeypatch, paydocs, "enqueue", lambda: first.post(url, data=form), lambda: second.post(url, data=form)
    )

    (job,) = db.session.scalars(select(Job).where(Job.kind == "dokumen_batch"))
    assert set(friendly(responses)) == {f"/gaji/run/{ns.run.id}?job={job.id}"}


# --- revoke --------------------------------------------------------------------------------------------


def test_double_click_on_revoke_revokes_once_with_one_audit_entry(race_app, kartu_issuer, monkeypatch):
    org = kartu_issuer
    doc = docs.issue(
        DocType.KARTU_PEGAWAI,
        unit_id=org.opd.id,
        subjects=[org.staff1],
        params={},
        issued_on=date(2026, 11, 27),
        user_id=org.u_hr.id,
    )
    db.session.commit()
    first, second = race_app.test_client(user=org.u_hr), race_app.test_client(user=org.u_hr)
    url, form = f"/dokumen/{doc.id}/cabut", {"reason": "Salah ketik tanggal lahir", "confirm": "ya"}

    responses = at_once(
        monkeypatch, docs, "revoke", lambda: first.post(url, data=form), lambda: second.post(url, data=form)
    )

    assert set(friendly(responses)) == {f"/dokumen/{doc.id}"}
    assert db.session.get(IssuedDocument, doc.id).status == DocStatus.REVOKED
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "issued_document", AuditLog.entity_id == doc.id)
    )
    revocations = [e for e in entries if (e.after or {}).get("status") == DocStatus.REVOKED.value]
    assert len(revocations) == 1
    assert "sudah dicabut" in flashes(first) + flashes(second)
