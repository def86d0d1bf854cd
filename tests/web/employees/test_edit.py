"""Employee form: inline validation, full-form errors (422), concurrent edits and riwayat jabatan."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import AssignmentKind, Employee, PositionAssignment
from tests.web.helpers import employee_form_data

CONCURRENT = "telah diubah oleh pengguna lain"


@pytest.fixture
def hr(app, org_chart):
    return app.test_client(user=org_chart.u_hr)


def _validate(hr, field: str, employee_id: int | None = None, **data):
    url = "/pegawai/validasi" + (f"?id={employee_id}" if employee_id else "")
    return hr.post(url, data=data, headers={"HX-Request": "true", "HX-Trigger-Name": field})


def test_inline_validation_returns_the_field_fragment_with_an_invalid_nip_message(hr):
    r = _validate(hr, "nip", nip="123")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert body.lstrip().startswith('<div id="field-nip"')
    assert "NIP harus terdiri dari 18 angka." in body
    assert 'aria-invalid="true"' in body
    assert "<html" not in body


def test_inline_validation_reports_a_birth_date_that_disagrees_with_the_nip(hr):
    r = _validate(hr, "birth_date", nip="199001012015031001", birth_date="1990-01-02", status_asn="pns")
    assert "Tanggal lahir tidak sama dengan tanggal lahir pada NIP." in r.get_data(as_text=True)


def test_inline_validation_reports_a_gender_that_disagrees_with_the_nip(hr):
    r = _validate(hr, "gender", nip="199001012015031001", gender="P", status_asn="pns")
    assert "Jenis kelamin tidak sesuai" in r.get_data(as_text=True)


def test_inline_validation_reports_an_unknown_golongan(hr):
    r = _validate(hr, "golongan", golongan="V/z", status_asn="pns")
    assert "Golongan/ruang &#39;V/z&#39; tidak dikenal" in r.get_data(as_text=True)


def test_inline_validation_reports_a_nip_already_used_by_someone_else(hr, org_chart):
    r = _validate(hr, "nip", org_chart.staff1.id, nip=org_chart.staff2.nip, status_asn="pns")
    assert "NIP ini sudah dipakai pegawai lain." in r.get_data(as_text=True)


def test_inline_validation_accepts_the_employees_own_nip(hr, org_chart):
    r = _validate(hr, "nip", org_chart.staff1.id, nip=org_chart.staff1.nip, status_asn="pns")
    body = r.get_data(as_text=True)
    assert 'aria-invalid="true"' not in body and "sudah dipakai" not in body


def test_inline_validation_keeps_the_htmx_attributes_for_the_next_change(hr, org_chart):
    body = _validate(hr, "nip", org_chart.staff1.id, nip="123").get_data(as_text=True)
    assert f'hx-post="/pegawai/validasi?id={org_chart.staff1.id}"' in body


def test_inline_validation_of_an_unknown_field_answers_no_content(hr):
    assert _validate(hr, "bukan_field", nip="1").status_code == 204


def test_inline_validation_saves_nothing(hr, org_chart):
    _validate(hr, "nip", org_chart.staff1.id, nip="199001012015031999", status_asn="pns")
    db.session.expire_all()
    assert db.session.get(Employee, org_chart.staff1.id).nip != "199001012015031999"


def test_form_with_errors_is_rerendered_with_422_and_keeps_what_was_typed(hr, org_chart):
    form = employee_form_data(org_chart) | {"name": "Nama Yang Diketik", "golongan": "V/z", "phone": "0819 777"}
    r = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form)
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'value="Nama Yang Diketik"' in body
    assert 'value="0819 777"' in body
    assert "tidak dikenal" in body
    db.session.expire_all()
    assert db.session.get(Employee, org_chart.staff1.id).name == "Staf Satu"


def test_empty_required_fields_are_reported_next_to_each_field(hr, org_chart):
    form = employee_form_data(org_chart) | {"name": "", "birth_date": ""}
    body = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form).get_data(as_text=True)
    assert 'id="err-name">Wajib diisi.' in body
    assert 'id="err-birth_date">Tanggal lahir wajib diisi' in body


def test_invalid_email_is_refused_without_a_server_error(hr, org_chart):
    r = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=employee_form_data(org_chart) | {"email": "bukan surel"})
    assert r.status_code == 422
    assert "Alamat surel tidak sah." in r.get_data(as_text=True)


def test_valid_email_is_saved(hr, org_chart):
    r = hr.post(
        f"/pegawai/{org_chart.staff1.id}/ubah", data=employee_form_data(org_chart) | {"email": "staf@lampura.go.id"}
    )
    assert r.status_code == 303
    assert org_chart.staff1.email == "staf@lampura.go.id"


def test_saving_redirects_to_the_profile_with_a_message(hr, org_chart):
    r = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=employee_form_data(org_chart) | {"phone": "0812"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/pegawai/{org_chart.staff1.id}")
    assert "Data pegawai tersimpan." in hr.get(r.headers["Location"]).get_data(as_text=True)


def test_second_save_from_a_stale_form_is_refused_and_nothing_is_lost(app, org_chart):
    first, second = app.test_client(user=org_chart.u_hr), app.test_client(user=org_chart.u_admin)
    stale = employee_form_data(org_chart)  # both opened the form at version 1
    assert first.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=stale | {"phone": "0811-pertama"}).status_code == 303
    r = second.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=stale | {"phone": "0822-kedua"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert CONCURRENT in body
    assert 'value="0822-kedua"' in body  # the second user's input is still in the form
    db.session.expire_all()
    assert db.session.get(Employee, org_chart.staff1.id).phone == "0811-pertama"  # the first save stands


def test_resubmitting_after_a_concurrent_edit_warning_saves(app, org_chart):
    hr = app.test_client(user=org_chart.u_hr)
    stale = employee_form_data(org_chart)
    hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=stale | {"phone": "0811"})
    warned = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=stale | {"phone": "0822"})
    assert f'name="version_id" type="hidden" value="{org_chart.staff1.version_id}"' in warned.get_data(as_text=True)
    again = hr.post(
        f"/pegawai/{org_chart.staff1.id}/ubah",
        data=stale | {"phone": "0822", "version_id": str(org_chart.staff1.version_id)},
    )
    assert again.status_code == 303
    assert org_chart.staff1.phone == "0822"


def test_changing_the_position_closes_the_old_riwayat_row_and_opens_a_new_one(hr, org_chart, make_position):
    new_post = make_position("Analis Data", org_chart.opd, org_chart.p_kasi)
    form = employee_form_data(org_chart) | {"position_id": str(new_post.id), "position_start": "2026-01-01"}
    assert hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form).status_code == 303
    rows = db.session.query(PositionAssignment).filter_by(employee_id=org_chart.staff1.id).order_by("start_date").all()
    assert [(r.position_id, r.start_date, r.end_date) for r in rows] == [
        (org_chart.p_staff1.id, date(2020, 1, 1), date(2025, 12, 31)),
        (new_post.id, date(2026, 1, 1), None),
    ]
    assert all(r.kind == AssignmentKind.DEFINITIF for r in rows)
    assert org_chart.staff1.position_id == new_post.id


def test_new_position_cannot_start_before_the_current_one(hr, org_chart, make_position):
    new_post = make_position("Analis Data", org_chart.opd, org_chart.p_kasi)
    form = employee_form_data(org_chart) | {"position_id": str(new_post.id), "position_start": "2019-01-01"}
    r = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form)
    assert r.status_code == 422
    assert "Tanggal mulai jabatan baru harus setelah" in r.get_data(as_text=True)
    assert org_chart.staff1.position_id == org_chart.p_staff1.id


def test_position_of_another_opd_than_the_one_chosen_is_refused(hr, org_chart):
    form = employee_form_data(org_chart) | {"position_id": str(org_chart.p_other.id)}
    r = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form)
    assert r.status_code == 422
    assert "Pilihan tidak sah." in r.get_data(as_text=True)


def test_load_positions_button_rerenders_without_saving(hr, org_chart):
    form = employee_form_data(org_chart) | {"action": "muat", "opd_id": str(org_chart.other_opd.id), "phone": "0899"}
    r = hr.post(f"/pegawai/{org_chart.staff1.id}/ubah", data=form)
    assert r.status_code == 200
    assert "Pengadministrasi Lain" in r.get_data(as_text=True)
    assert org_chart.staff1.phone is None


def test_hr_adds_a_new_employee_with_a_post(hr, org_chart):
    form = {
        "nip": "19950505 202001 2 004",
        "name": "Pegawai Anyar",
        "status_asn": "pns",
        "gender": "P",
        "birth_date": "1995-05-05",
        "tmt_cpns": "2020-01-01",
        "golongan": "3a",
        "mkg_years": "4",
        "mkg_months": "0",
        "opd_id": str(org_chart.opd.id),
        "position_id": str(org_chart.p_staff2.id),
        "position_start": "2020-01-01",
        "action": "simpan",
    }
    r = hr.post("/pegawai/baru", data=form)
    assert r.status_code == 303
    emp = db.session.query(Employee).filter_by(nip="199505052020012004").one()
    assert emp.golongan == "III/a"
    assert emp.unit_id == org_chart.opd.id
    assert [a.position_id for a in emp.assignments] == [org_chart.p_staff2.id]


def test_pppk_employee_is_saved_with_a_pppk_golongan(hr, org_chart):
    form = {
        "nip": "199001012022211001",
        "name": "Pegawai PPPK",
        "status_asn": "pppk",
        "gender": "L",
        "birth_date": "1990-01-01",
        "golongan": "ix",
        "mkg_years": "0",
        "mkg_months": "0",
        "action": "simpan",
    }
    assert hr.post("/pegawai/baru", data=form).status_code == 303
    assert db.session.query(Employee).filter_by(nip="199001012022211001").one().golongan == "IX"


def test_new_employee_with_a_duplicate_nip_is_refused(hr, org_chart):
    form = employee_form_data(org_chart) | {"name": "Kembaran"}
    r = hr.post("/pegawai/baru", data=form)
    assert r.status_code == 422
    assert "NIP ini sudah dipakai pegawai lain." in r.get_data(as_text=True)


def test_edit_form_fragment_renders_for_htmx(hr, org_chart):
    r = hr.get(f"/pegawai/{org_chart.staff1.id}/ubah", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'id="field-nip"' in body and "<html" not in body
    assert 'hx-post="/pegawai/validasi?id=' in body
