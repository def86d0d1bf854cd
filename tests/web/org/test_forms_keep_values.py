"""A failed save changes no other field: each org form re-rendered after a refusal shows what was sent."""

from __future__ import annotations

from kinerja_web.extensions import db
from kinerja_web.models import Position

from ..helpers import assert_form_kept, form_values


def _position_data(ns, **changes) -> dict:
    data = {
        "name": "Kepala Seksi Uji",
        "kind": "pengawas",
        "jenjang": "",
        "kelas_jabatan": "9",
        "parent_id": str(ns.p_kabid.id),
        "cross_opd_reason": "",
        "is_leader": "y",
    }
    return {**data, **changes}


def test_a_refused_post_edit_keeps_every_field(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/organisasi/jabatan/{org_chart.p_kasi.id}"
    sent = _position_data(org_chart, name="Kepala Seksi Baru", kind="administrator", kelas_jabatan="99")
    r = c.post(url, data=sent)
    assert r.status_code == 422 and "Kelas jabatan 1–17." in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_new_post_keeps_every_field_and_a_new_post_has_no_kind_chosen(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/organisasi/unit/{org_chart.opd.id}/jabatan-baru"
    assert form_values(c.get(url).get_data(as_text=True), url)["kind"] == ""  # not "Jabatan Pimpinan Tinggi"
    assert c.post(url, data=_position_data(org_chart, kind="")).status_code == 422  # the kind must be chosen
    sent = _position_data(org_chart, name="Analis Baru", kind="fungsional", jenjang="Ahli Muda", kelas_jabatan="0")
    r = c.post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_plt_keeps_the_assignment_and_leaves_the_post_form_as_stored(app, org_chart):
    """Issue 19 item 8: after a failed Plt save the post form showed "Jabatan Pimpinan Tinggi", leader unchecked."""
    c = app.test_client(user=org_chart.u_hr)
    post = org_chart.p_kasi
    sent = {"nip": org_chart.staff1.nip, "kind": "plt", "start_date": "2026-11-01", "end_date": "", "sk_number": "X/1"}
    r = c.post(f"/organisasi/jabatan/{post.id}/penugasan", data=sent)  # Plt without an end date is refused
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert_form_kept(html, f"/organisasi/jabatan/{post.id}/penugasan", sent)
    assert_form_kept(html, f"/organisasi/jabatan/{post.id}", _position_data(org_chart))
    db.session.expire_all()
    stored = db.session.get(Position, post.id)
    assert (stored.kind.value, stored.is_leader) == ("pengawas", True)


def test_a_refused_new_unit_keeps_every_field(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/organisasi/unit/{org_chart.opd.id}/sub-unit-baru"
    sent = {"code": "", "name": "Bidang Baru", "kind": "bidang", "address": "Jalan Uji 1"}
    r = c.post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)
