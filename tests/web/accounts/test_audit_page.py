"""Audit log page: filters by entity, action, actor, record and WIB dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog

# --- the audit page ---------------------------------------------------------------------------------


@pytest.fixture
def logged(org_chart):
    """Three hand-made rows with known times (UTC) and actors."""
    rows = [
        AuditLog(
            at=datetime(2026, 11, 27, 20, 0, tzinfo=UTC),  # 28 Nov 03.00 WIB
            actor_id=org_chart.u_hr.id,
            action="update",
            entity="employee",
            entity_id=org_chart.staff1.id,
            summary="penanda-malam",
        ),
        AuditLog(
            at=datetime(2026, 11, 27, 3, 0, tzinfo=UTC),  # 27 Nov 10.00 WIB
            actor_id=org_chart.u_admin.id,
            action="reset_password",
            entity="user_account",
            entity_id=org_chart.u_staff.id,
            summary="penanda-pagi",
        ),
        AuditLog(
            at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
            actor_id=None,
            action="create",
            entity="unit",
            entity_id=org_chart.opd.id,
            summary="penanda-lama",
        ),
    ]
    db.session.add_all(rows)
    db.session.flush()
    return org_chart


def _page(app, user, query: str) -> str:
    r = app.test_client(user=user).get(f"/admin/audit?{query}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _markers(body: str) -> set[str]:
    return {m for m in ("penanda-malam", "penanda-pagi", "penanda-lama") if m in body}


def test_audit_page_filters_by_entity(app, logged):
    assert _markers(_page(app, logged.u_hr, "entitas=unit")) == {"penanda-lama"}


def test_audit_page_filters_by_action(app, logged):
    assert _markers(_page(app, logged.u_hr, "aksi=reset_password")) == {"penanda-pagi"}


def test_audit_page_filters_by_actor_username(app, logged):
    assert _markers(_page(app, logged.u_hr, "oleh=admin1")) == {"penanda-pagi"}


def test_audit_page_filters_by_record_id(app, logged):
    assert _markers(_page(app, logged.u_hr, f"entitas=employee&id={logged.staff1.id}")) == {"penanda-malam"}


def test_audit_page_date_filter_uses_wib_days(app, logged):
    assert _markers(_page(app, logged.u_hr, "dari=2026-11-28")) == {"penanda-malam"}
    assert _markers(_page(app, logged.u_hr, "dari=2026-11-27&sampai=2026-11-27")) == {"penanda-pagi"}
    assert _markers(_page(app, logged.u_hr, "sampai=2026-11-26")) == {"penanda-lama"}


def test_audit_page_shows_times_in_wib(app, logged):
    assert "28 November 2026 03.00 WIB" in _page(app, logged.u_hr, "entitas=employee")


def test_bad_date_in_the_audit_filter_gets_an_indonesian_message(app, logged):
    body = _page(app, logged.u_hr, "dari=27-11-2026")
    assert "Tanggal “27-11-2026” tidak sah; gunakan format TTTT-BB-HH." in body


def test_audit_results_answer_htmx_with_the_table_only(app, logged):
    r = app.test_client(user=logged.u_hr).get("/admin/audit?entitas=unit", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert "penanda-lama" in body and "<html" not in body


def test_audit_row_shows_who_acted(app, logged):
    assert "admin1" in _page(app, logged.u_hr, "aksi=reset_password")


def test_date_filter_of_the_service_accepts_plain_dates(app, logged):
    from kinerja_web.services.accounts.administration import audit_query

    rows = db.session.scalars(audit_query(date_from=date(2026, 11, 28))).all()
    assert [r.summary for r in rows if r.summary.startswith("penanda")] == ["penanda-malam"]
