"""A refused rating form shows again with every value the user sent (issue 19 item 8): the appraiser's rating,
a calibration change, a keberatan and its decision."""

from __future__ import annotations

from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import PerformanceRating

from ..evaluation_fixtures import *  # noqa: F403
from ..helpers import assert_form_kept
from .test_keberatan import examined, file_url, k_url, on_day, the_keberatan  # noqa: F401
from .test_rating import post_rating, rate_url, unit_url


def test_a_refused_rating_keeps_both_choices(app, org_chart, period):
    url = rate_url(period, org_chart.staff1)
    sent = {"hasil_kerja": "di_bawah", "perilaku_kerja": "luar_biasa", "aksi": "simpan"}  # not a choice
    r = app.test_client(user=org_chart.u_kasi).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, {"hasil_kerja": "di_bawah"})


def test_a_refused_calibration_keeps_the_new_choices(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "sesuai", "sesuai", aksi="final")
    rating = db.session.scalars(select(PerformanceRating)).one()
    url = unit_url(period, org_chart.opd, f"/kalibrasi/{rating.id}")
    sent = {"hasil_kerja": "di_bawah", "perilaku_kerja": "di_atas", "alasan": ""}  # a reason is required
    r = app.test_client(user=org_chart.u_hr).post(url, data=sent)
    assert r.status_code == 422 and "Alasan perubahan wajib diisi." in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_keberatan_keeps_what_the_employee_wrote(app, locked):
    url = file_url(locked)
    sent = {"alasan": "Terlalu singkat"}  # shorter than the minimum
    r = app.test_client(user=locked.u_staff).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_decision_keeps_the_choices_and_the_considerations(app, examined):  # noqa: F811
    url = k_url(examined.keb, "/putusan")
    sent = {"putusan": "diterima", "hasil_kerja": "di_atas", "perilaku_kerja": "di_bawah", "pertimbangan": "Singkat."}
    r = app.test_client(user=examined.u_kabid).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)
    assert the_keberatan().putusan is None
