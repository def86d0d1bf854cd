"""Audit trail: every change to people and accounts, with who, when, before and after."""

from __future__ import annotations

from datetime import UTC, datetime

from kinerja_web import audit
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, Employee


def _rows(entity: str, action: str, entity_id: int | None = None) -> list[AuditLog]:
    q = db.session.query(AuditLog).filter_by(entity=entity, action=action)
    if entity_id is not None:
        q = q.filter_by(entity_id=entity_id)
    return q.order_by(AuditLog.id).all()


def test_creating_an_employee_writes_a_create_row_with_the_actor(org_chart, make_employee):
    with audit.acting_as(org_chart.u_hr.id, "10.0.0.5"):
        emp = make_employee("Pegawai Baru")
    (row,) = _rows("employee", "create", emp.id)
    assert row.actor_id == org_chart.u_hr.id
    assert row.ip == "10.0.0.5"
    assert row.before is None
    assert row.after["nip"] == emp.nip and row.after["name"] == "Pegawai Baru"


def test_create_row_is_timestamped_in_utc(org_chart, make_employee):
    emp = make_employee("Pegawai Waktu")
    (row,) = _rows("employee", "create", emp.id)
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - at).total_seconds()) < 120


def test_updating_an_employee_records_only_the_changed_fields(org_chart):
    with audit.acting_as(org_chart.u_hr.id):
        org_chart.staff1.phone = "0812000111"
        org_chart.staff1.golongan = "III/b"
        db.session.flush()
    (row,) = _rows("employee", "update", org_chart.staff1.id)
    assert row.actor_id == org_chart.u_hr.id
    assert row.before == {"phone": None, "golongan": "III/a"}
    assert row.after == {"phone": "0812000111", "golongan": "III/b"}


def test_a_flush_without_real_changes_writes_no_update_row(org_chart):
    org_chart.staff1.name = org_chart.staff1.name
    db.session.flush()
    assert _rows("employee", "update", org_chart.staff1.id) == []


def test_deleting_an_employee_keeps_a_snapshot_of_the_record(org_chart, make_employee):
    emp = make_employee("Pegawai Dihapus", with_history=False)
    emp_id, nip = emp.id, emp.nip
    with audit.acting_as(org_chart.u_admin.id):
        db.session.delete(emp)
        db.session.flush()
    (row,) = _rows("employee", "delete", emp_id)
    assert row.actor_id == org_chart.u_admin.id
    assert row.before["nip"] == nip and row.after is None
    assert db.session.get(Employee, emp_id) is None


def test_password_hash_never_appears_in_audit_rows(org_chart, make_user):
    user = make_user("rahasia1")
    user.set_password("kata-sandi-lain-1")
    user.failed_logins = 3
    db.session.flush()
    for row in db.session.query(AuditLog).filter_by(entity="user_account").all():
        text = repr((row.before, row.after))
        assert "password_hash" not in text and "scrypt" not in text
    assert _rows("user_account", "update", user.id) == []


def test_edit_through_the_web_names_the_signed_in_user(app, org_chart):
    from tests.web.helpers import employee_form_data

    form = employee_form_data(org_chart) | {"phone": "0813999"}
    r = app.test_client(user=org_chart.u_hr).post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form)
    assert r.status_code == 303
    (row,) = _rows("employee", "update", org_chart.staff1.id)
    assert row.actor_id == org_chart.u_hr.id
    assert row.after == {"phone": "0813999"}


def test_work_outside_a_request_is_not_blamed_on_the_last_user(app, org_chart, make_employee):
    app.test_client(user=org_chart.u_hr).get("/")
    emp = make_employee("Dari Baris Perintah")
    (row,) = _rows("employee", "create", emp.id)
    assert row.actor_id is None


def test_rows_deleted_by_cascade_are_audited_too(org_chart, make_employee):
    emp = make_employee("Pegawai Berriwayat")
    assignment_id = emp.assignments[0].id
    db.session.delete(emp)
    db.session.flush()
    assert len(_rows("position_assignment", "delete", assignment_id)) == 1


def test_each_deletion_is_logged_once(org_chart, make_employee):
    emp = make_employee("Sekali Hapus", with_history=False)
    emp_id = emp.id
    db.session.delete(emp)
    db.session.flush()
    assert len(_rows("employee", "delete", emp_id)) == 1


def test_a_post_change_made_through_the_relationship_is_audited(org_chart):
    with audit.acting_as(org_chart.u_hr.id):
        org_chart.staff1.position = org_chart.p_staff2
        db.session.flush()
    (row,) = _rows("employee", "update", org_chart.staff1.id)
    assert row.before == {"position_id": org_chart.p_staff1.id}
    assert row.after == {"position_id": org_chart.p_staff2.id}
