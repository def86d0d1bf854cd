"""Family data that feeds tunjangan keluarga and PTKP."""

from datetime import date

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, FamilyMember, FamilyRelation, User


def test_hr_adds_a_child_and_it_is_audited(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(
        f"/pegawai/{org_chart.staff1.id}/keluarga",
        data={"relation": "anak", "name": "Putra Uji", "birth_date": "2020-05-05", "receives_allowance": "y"},
    )
    assert r.status_code == 303
    assert [f.name for f in org_chart.staff1.family] == ["Putra Uji"]
    assert db.session.query(AuditLog).filter_by(entity="family_member", action="create").count() == 1


def test_second_spouse_cannot_be_tertunjang(app, org_chart):
    org_chart.staff1.family.append(
        FamilyMember(relation=FamilyRelation.ISTRI, name="Istri Satu", receives_allowance=True)
    )
    db.session.commit()
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(
        f"/pegawai/{org_chart.staff1.id}/keluarga",
        data={"relation": "istri", "name": "Istri Dua", "receives_allowance": "y"},
    )
    assert r.status_code == 422
    assert "hanya untuk satu suami/istri" in r.get_data(as_text=True)
    assert "Istri Dua" in r.get_data(as_text=True)  # what the user typed is kept
    assert len(org_chart.staff1.family) == 1


def test_employee_sees_own_family_but_cannot_change_it(app, org_chart):
    c = app.test_client(user=org_chart.u_staff)
    assert c.get(f"/pegawai/{org_chart.staff1.id}/keluarga").status_code == 200
    assert c.post(f"/pegawai/{org_chart.staff1.id}/keluarga", data={"relation": "anak", "name": "X"}).status_code == 403


def test_atasan_cannot_see_subordinates_family(app, org_chart):
    assert app.test_client(user=org_chart.u_kasi).get(f"/pegawai/{org_chart.staff1.id}/keluarga").status_code == 403


def test_deleting_another_employees_family_member_by_url_is_404(app, org_chart):
    member = FamilyMember(relation=FamilyRelation.ANAK, name="Anak Lain", birth_date=date(2015, 1, 1))
    org_chart.other.family.append(member)
    db.session.commit()
    c = app.test_client(user=org_chart.u_hr)
    assert c.post(f"/pegawai/{org_chart.staff1.id}/keluarga/{member.id}/hapus").status_code == 404


def test_hr_creates_an_account_with_a_one_time_password(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(f"/admin/pengguna/buat/{org_chart.staff2.id}")
    assert r.status_code == 200
    user = db.session.query(User).filter_by(employee_id=org_chart.staff2.id).one()
    assert user.username == org_chart.staff2.nip and user.must_change_password
    assert "Kata sandi sementara" in r.get_data(as_text=True)
    again = c.post(f"/admin/pengguna/buat/{org_chart.staff2.id}", follow_redirects=True)
    assert "sudah mempunyai akun" in again.get_data(as_text=True)


def test_hr_records_a_marriage_date_and_a_husbands_no_income_statement_for_ptkp(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(
        f"/pegawai/{org_chart.staff2.id}/keluarga",
        data={
            "relation": "suami",
            "name": "Suami Uji",
            "tanggungan_sejak": "2026-07-12",
            "keterangan_tanpa_penghasilan": "474/12/KEC/2026",
        },
    )
    assert r.status_code == 303
    m = org_chart.staff2.family[0]
    assert m.tanggungan_sejak == date(2026, 7, 12) and m.keterangan_tanpa_penghasilan == "474/12/KEC/2026"
    r = c.post(
        f"/pegawai/{org_chart.staff1.id}/keluarga",
        data={"relation": "anak", "name": "Anak", "keterangan_tanpa_penghasilan": "1/2/3"},
    )
    assert r.status_code == 422 and "hanya untuk suami" in r.get_data(as_text=True)
