"""A failed save changes no other field: each employees form re-rendered after a refusal shows what was sent."""

from __future__ import annotations

from kinerja_web.extensions import db
from kinerja_web.models import UnitKind

from ..helpers import assert_form_kept, employee_form_data, form_values


def _full(ns, **changes) -> dict:
    data = {
        **employee_form_data(ns),
        "gelar_depan": "Drs.",
        "gelar_belakang": "M.Si.",
        "birth_place": "Kotabumi",
        "tmt_golongan": "2022-04-01",
        "mkg_years": "4",
        "mkg_months": "7",
        "position_start": "2026-01-02",
        "ptkp_status": "K/1",
        "bank_name": "Bank Lampung",
        "bank_account": "123456789",
        "email": "staf.satu@contoh.go.id",
        "phone": "0812000111",
    }
    data.pop("action")
    return {**data, **changes}


def test_a_refused_employee_edit_keeps_every_field(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/pegawai/{org_chart.staff1.id}/ubah"
    sent = _full(org_chart, name="Staf Satu Baru", gender="P", email="bukan surel")
    r = c.post(url, data={**sent, "action": "simpan"})
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_new_employee_keeps_every_field(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    sent = _full(org_chart, nip="1234", name="Pegawai Baru", status_asn="pppk", golongan="IX")
    sent.pop("version_id")
    r = c.post("/pegawai/baru", data={**sent, "action": "simpan"})
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), "/pegawai/baru", sent)


def test_a_refused_family_member_keeps_every_field(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    url = f"/pegawai/{org_chart.staff1.id}/keluarga"
    sent = {"relation": "anak", "name": "", "birth_date": "2015-06-01"}  # "tertunjang" left unchecked
    r = c.post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)
    assert "receives_allowance" not in form_values(r.get_data(as_text=True), url)


def test_the_post_picker_tells_posts_of_the_same_name_apart_by_their_unit(app, org_chart, make_unit, make_position):
    seksi = make_unit("Seksi Arsip", kind=UnitKind.SUBBIDANG, parent=org_chart.opd)
    twin = make_position("Pengadministrasi Umum", unit=seksi)
    db.session.commit()
    r = app.test_client(user=org_chart.u_hr).get(f"/pegawai/{org_chart.staff1.id}/ubah")
    html = r.get_data(as_text=True)
    assert f'value="{twin.id}">Pengadministrasi Umum — Seksi Arsip<' in html.replace(" selected", "")
    assert f'value="{org_chart.p_staff1.id}">Pengadministrasi Umum — {org_chart.p_staff1.unit.name}<' in html.replace(
        " selected", ""
    )
