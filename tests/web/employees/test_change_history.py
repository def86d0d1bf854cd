"""The audit log for people: Indonesian labels, formatted values, before/after, usable filters, and every
employee's own "Siapa yang mengubah data saya" page."""

from __future__ import annotations

from datetime import date

from kinerja_web.audit import acting_as
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, FamilyMember, FamilyRelation


def _changes(org_chart):
    with acting_as(org_chart.u_hr.id):
        emp = org_chart.staff1
        emp.golongan, emp.birth_date, emp.position = "III/b", date(1992, 2, 3), org_chart.p_staff2
        db.session.add(
            FamilyMember(employee=emp, relation=FamilyRelation.ANAK, name="Anak Satu", receives_allowance=True)
        )
        org_chart.staff2.golongan = "III/c"  # someone else's change
        db.session.commit()


def test_an_employee_sees_who_changed_their_data_in_plain_indonesian(app, org_chart):
    _changes(org_chart)
    c = app.test_client(user=org_chart.u_staff)
    profile = c.get(f"/pegawai/{org_chart.staff1.id}").get_data(as_text=True)
    assert "Siapa yang mengubah data saya" in profile
    r = c.get(f"/pegawai/{org_chart.staff1.id}/riwayat-perubahan")
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "<h1>Siapa yang mengubah data saya</h1>" in body
    assert "Data pegawai" in body and "Diubah" in body and "Golongan/ruang" in body
    assert "<del>III/a</del>" in body and "<ins>III/b</ins>" in body
    assert "<del>2 Februari 1992</del>" in body and "<ins>3 Februari 1992</ins>" in body
    assert "<del>Pengadministrasi Umum</del>" in body and "<ins>Pengolah Data</ins>" in body  # names, not ids
    assert "Anggota keluarga" in body and "Dibuat" in body and "<ins>ya</ins>" in body and "<ins>Anak</ins>" in body
    assert "hr1" in body  # who did it
    assert "III/c" not in body  # another employee's change is not theirs to see


def test_only_the_employee_and_hr_see_a_change_history(app, org_chart):
    _changes(org_chart)
    url = f"/pegawai/{org_chart.staff1.id}/riwayat-perubahan"
    assert app.test_client(user=org_chart.u_hr).get(url).status_code == 200
    for other in (org_chart.u_kasi, org_chart.u_other, org_chart.u_operator):
        assert app.test_client(user=other).get(url).status_code == 403
    assert "riwayat-perubahan" not in app.test_client(user=org_chart.u_other).get(
        f"/pegawai/{org_chart.staff1.id}"
    ).get_data(as_text=True)


def test_the_audit_page_speaks_indonesian_and_formats_values(app, org_chart):
    _changes(org_chart)
    db.session.add(
        AuditLog(
            action="update", entity="tpp_budget", entity_id=1, before={"amount": "1000000"}, after={"amount": "1234567"}
        )
    )
    db.session.commit()
    body = app.test_client(user=org_chart.u_hr).get("/admin/audit").get_data(as_text=True)
    assert '<option value="employee">Data pegawai</option>' in body and ">Diubah</option>" in body
    assert "<ins>Rp 1.234.567</ins>" in body and "<del>Rp 1.000.000</del>" in body
    assert "<ins>3 Februari 1992</ins>" in body and "<ins>Pengolah Data</ins>" in body


def test_audit_filters_say_which_value_cannot_be_used(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    for query, message in [
        ("id=abc", "ID data “abc” tidak sah; isi dengan angka."),
        ("dari=2026-11-28&sampai=2026-11-01", "Tanggal akhir tidak boleh sebelum tanggal awal."),
        ("entitas=tidak_ada", "Jenis data ini tidak ada di log audit."),
        ("aksi=meledak", "Aksi ini tidak ada di log audit."),
        ("sampai=kemarin", "Tanggal “kemarin” tidak sah; gunakan format TTTT-BB-HH."),
    ]:
        r = c.get(f"/admin/audit?{query}")
        body = r.get_data(as_text=True)
        assert r.status_code == 200 and message in body and 'aria-invalid="true"' in body, query
        assert "Tidak ada catatan." not in body  # no silently unfiltered or empty list
