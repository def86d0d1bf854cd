"""Notification centre: own notifications only, mark read with and without htmx, to-dos."""

from __future__ import annotations

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import Notification
from kinerja_web.services.notifications.notify import notify


@pytest.fixture
def note(org_chart):
    n = notify(org_chart.u_staff, "uji", "3 SKP menunggu persetujuan Anda", "/pegawai/", email=False)
    db.session.flush()
    return n


def test_user_sees_their_own_notifications(app, org_chart, note):
    body = app.test_client(user=org_chart.u_staff).get("/notifikasi/").get_data(as_text=True)
    assert "3 SKP menunggu persetujuan Anda" in body


def test_user_does_not_see_notifications_of_others(app, org_chart, note):
    body = app.test_client(user=org_chart.u_other).get("/notifikasi/").get_data(as_text=True)
    assert "3 SKP menunggu persetujuan Anda" not in body


def test_unread_count_shows_in_the_header(app, org_chart, note):
    body = app.test_client(user=org_chart.u_staff).get("/").get_data(as_text=True)
    assert '<span id="notif-badge" class="badge">1</span>' in body


def test_marking_read_without_javascript_redirects_back(app, org_chart, note):
    r = app.test_client(user=org_chart.u_staff).post(f"/notifikasi/{note.id}/baca")
    assert r.status_code == 303 and r.headers["Location"].endswith("/notifikasi/")
    assert note.read_at is not None


def test_marking_read_and_opening_goes_to_the_link(app, org_chart, note):
    r = app.test_client(user=org_chart.u_staff).post(f"/notifikasi/{note.id}/baca", data={"open": "1"})
    assert r.headers["Location"].endswith("/pegawai/")


def test_opening_a_notification_never_leaves_the_site(app, org_chart):
    n = notify(org_chart.u_staff, "uji", "Tautan aneh", "//evil.example/", email=False)
    db.session.flush()
    r = app.test_client(user=org_chart.u_staff).post(f"/notifikasi/{n.id}/baca", data={"open": "1"})
    assert r.headers["Location"].endswith("/notifikasi/")


def test_marking_read_with_htmx_returns_the_row_and_the_new_badge(app, org_chart, note):
    r = app.test_client(user=org_chart.u_staff).post(f"/notifikasi/{note.id}/baca", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert body.startswith(f'<tr id="notif-{note.id}">') and "Dibaca" in body
    assert '<span id="notif-badge" hx-swap-oob="true" class="badge hidden">0</span>' in body


def test_changing_the_id_to_another_users_notification_is_not_found(app, org_chart, note):
    r = app.test_client(user=org_chart.u_other).post(f"/notifikasi/{note.id}/baca")
    assert r.status_code == 404
    assert note.read_at is None


def test_mark_all_read_touches_only_my_notifications(app, org_chart, note):
    mine = notify(org_chart.u_other, "uji", "Pesan saya", email=False)
    db.session.flush()
    app.test_client(user=org_chart.u_other).post("/notifikasi/baca-semua")
    db.session.expire_all()
    assert db.session.get(Notification, mine.id).read_at is not None
    assert db.session.get(Notification, note.id).read_at is None


def test_hr_sees_the_data_quality_todo(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get("/notifikasi/").get_data(as_text=True)
    assert "masalah kualitas data pegawai perlu diperbaiki" in body


def test_pegawai_has_no_data_quality_todo(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get("/notifikasi/").get_data(as_text=True)
    assert "Tidak ada tugas yang menunggu." in body


def test_notification_without_smtp_sends_no_mail(app, org_chart):
    from kinerja_web.services.notifications.mail import send_email

    assert send_email(org_chart.u_staff, "subjek", "isi") is False
