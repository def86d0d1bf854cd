"""Peta talenta (9-box): potensial entry by HR, the grid with drill-down, `talent_box` for other areas."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_web.domain.predikat import Ekspektasi
from kinerja_web.domain.talent import Potensial
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, PerformanceRating, RatingStatus, TalentPotensial
from kinerja_web.services.talent.boxes import talent_box

from ..skp_fixtures import *  # noqa: F403


def final(employee, period, hasil=Ekspektasi.DI_ATAS, perilaku=Ekspektasi.DI_ATAS, status=RatingStatus.FINAL):
    from kinerja_web.domain.predikat import predikat

    db.session.add(
        PerformanceRating(
            employee_id=employee.id,
            period_id=period.id,
            hasil_kerja=hasil,
            perilaku_kerja=perilaku,
            predikat=predikat(hasil, perilaku),
            status=status,
        )
    )
    db.session.commit()


def url(period, employee):
    return f"/talenta/{period.id}/pegawai/{employee.id}"


def test_talent_box_is_none_until_both_axes_exist(app, org_chart, period):
    assert talent_box(org_chart.staff1.id, period.id) is None
    final(org_chart.staff1, period)
    assert talent_box(org_chart.staff1.id, period.id) is None


def test_talent_box_ignores_a_draft_rating(app, org_chart, period, make_user):
    final(org_chart.staff1, period, status=RatingStatus.DRAFT)
    db.session.add(TalentPotensial(employee_id=org_chart.staff1.id, period_id=period.id, potensial=Potensial.TINGGI))
    db.session.commit()
    assert talent_box(org_chart.staff1.id, period.id) is None


def test_hr_entry_places_sangat_baik_high_potential_in_box_nine(app, org_chart, period):
    final(org_chart.staff1, period)
    r = app.test_client(user=org_chart.u_hr).post(
        url(period, org_chart.staff1), data={"potensial": "tinggi", "dasar": "Asesmen 2026"}
    )
    assert r.status_code == 303
    box = talent_box(org_chart.staff1.id, period.id)
    assert (box.nomor, box.talent_pool) == (9, True)


def test_potensial_change_is_audited(app, org_chart, period):
    app.test_client(user=org_chart.u_hr).post(
        url(period, org_chart.staff1), data={"potensial": "menengah", "dasar": "Rapat tim penilai kinerja"}
    )
    entries = db.session.scalars(select(AuditLog).where(AuditLog.entity == "talent_potensial")).all()
    assert entries


@pytest.mark.parametrize("value", ["sangat_tinggi", "4", "", "<script>"])
def test_out_of_range_potensial_is_refused_with_a_message_and_nothing_saved(app, org_chart, period, value):
    r = app.test_client(user=org_chart.u_hr).post(url(period, org_chart.staff1), data={"potensial": value})
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "Potensial harus salah satu dari" in body or "Pilih potensial pegawai." in body
    assert db.session.scalar(select(TalentPotensial.id)) is None


def test_unknown_employee_is_404_not_500(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    assert c.get(f"/talenta/{period.id}/pegawai/999999").status_code == 404
    assert c.post(f"/talenta/{period.id}/pegawai/999999", data={"potensial": "tinggi"}).status_code == 404


def test_grid_counts_the_box_and_drills_down_to_names(app, org_chart, period):
    final(org_chart.staff1, period)
    final(org_chart.staff2, period, Ekspektasi.SESUAI, Ekspektasi.SESUAI)
    for emp, level in ((org_chart.staff1, Potensial.TINGGI), (org_chart.staff2, Potensial.RENDAH)):
        db.session.add(TalentPotensial(employee_id=emp.id, period_id=period.id, potensial=level))
    db.session.commit()
    c = app.test_client(user=org_chart.u_hr)
    body = c.get(f"/talenta/?periode={period.id}&opd={org_chart.opd.id}&kotak=9").get_data(as_text=True)
    assert "Kotak 9: kinerja di atas ekspektasi, potensial tinggi" in body
    assert "Dipromosikan dan dipertahankan" in body
    drill = body.split('id="daftar"')[1]
    assert "Staf Satu" in drill and "Staf Dua" not in drill
    assert "2 pegawai</a>" not in body  # one employee per box, not two in one


def test_grid_filters_by_opd(app, org_chart, period):
    final(org_chart.other, period)
    db.session.add(TalentPotensial(employee_id=org_chart.other.id, period_id=period.id, potensial=Potensial.TINGGI))
    db.session.commit()
    c = app.test_client(user=org_chart.u_hr)
    assert "Staf Lain" in c.get(f"/talenta/?periode={period.id}&kotak=9").get_data(as_text=True)
    assert "Staf Lain" not in c.get(f"/talenta/?periode={period.id}&opd={org_chart.opd.id}&kotak=9").get_data(
        as_text=True
    )


@pytest.mark.parametrize("query", ["kotak=12", "kotak=abc", "kotak=0"])
def test_bad_box_number_shows_a_message(app, org_chart, period, query):
    r = app.test_client(user=org_chart.u_hr).get(f"/talenta/?periode={period.id}&{query}")
    assert r.status_code == 200 and "Kotak talenta harus angka 1 sampai 9." in r.get_data(as_text=True)


def test_unknown_opd_filter_is_404(app, org_chart, period):
    assert app.test_client(user=org_chart.u_hr).get("/talenta/?opd=999999").status_code == 404


def test_bulk_entry_saves_every_row_of_the_opd(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    data = {
        f"p-{org_chart.staff1.id}": "tinggi",
        f"p-{org_chart.staff2.id}": "rendah",
        f"p-{org_chart.kasi.id}": "",
        "dasar": "Rapat tim penilai kinerja",
    }
    r = c.post(f"/talenta/{period.id}/potensial?opd={org_chart.opd.id}", data=data)
    assert r.status_code == 303
    saved = dict(db.session.execute(select(TalentPotensial.employee_id, TalentPotensial.potensial)).all())
    assert saved == {org_chart.staff1.id: Potensial.TINGGI, org_chart.staff2.id: Potensial.RENDAH}


def test_bulk_entry_with_one_bad_row_saves_nothing_and_marks_the_row(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    data = {f"p-{org_chart.staff1.id}": "tinggi", f"p-{org_chart.staff2.id}": "luar-biasa"}
    r = c.post(f"/talenta/{period.id}/potensial?opd={org_chart.opd.id}", data=data)
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert f'id="err-p-{org_chart.staff2.id}"' in body and "Potensial harus salah satu dari" in body
    assert 'value="tinggi" selected' in body  # the user's input is kept
    assert db.session.scalar(select(TalentPotensial.id)) is None


def test_bulk_entry_refuses_an_employee_of_another_opd(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(f"/talenta/{period.id}/potensial?opd={org_chart.opd.id}", data={f"p-{org_chart.other.id}": "tinggi"})
    assert r.status_code == 422 and "Pegawai tidak dikenal di unit ini." in r.get_data(as_text=True)
    assert db.session.scalar(select(TalentPotensial.id)) is None


def test_bulk_entry_with_a_malformed_field_name_is_400(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post(f"/talenta/{period.id}/potensial?opd={org_chart.opd.id}", data={"p-abc": "tinggi"})
    assert r.status_code == 400


def test_grid_query_count_does_not_grow_with_the_opd(
    app, org_chart, period, make_position, make_employee, count_queries
):
    c = app.test_client(user=org_chart.u_hr)
    path = f"/talenta/?periode={period.id}&opd={org_chart.opd.id}&kotak=9"

    def add(n):
        for i in range(n):
            emp = make_employee(
                f"Staf Talenta {i}", make_position(f"Staf Talenta {i}", org_chart.opd, org_chart.p_kasi)
            )
            final(emp, period)
            db.session.add(TalentPotensial(employee_id=emp.id, period_id=period.id, potensial=Potensial.TINGGI))
        db.session.commit()

    add(2)
    c.get(path)
    with count_queries() as small:
        assert c.get(path).status_code == 200
    add(15)
    c.get(path)
    with count_queries() as large:
        assert c.get(path).status_code == 200
    assert len(small) == len(large)


def _upload(c, period, name, data: bytes):
    import io

    return c.post(
        f"/talenta/{period.id}/impor", data={"berkas": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_import_csv_sets_potensial_by_nip(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    csv = f"nip;potensial;dasar\n{org_chart.staff1.nip};Tinggi;Asesmen 2026\n{org_chart.staff2.nip};rendah;Rapat TPK\n"
    assert _upload(c, period, "potensial.csv", csv.encode()).status_code == 303
    saved = dict(db.session.execute(select(TalentPotensial.employee_id, TalentPotensial.potensial)).all())
    assert saved == {org_chart.staff1.id: Potensial.TINGGI, org_chart.staff2.id: Potensial.RENDAH}


def test_import_xlsx_sets_potensial(app, org_chart, period):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["NIP", "Potensial", "Dasar"])
    wb.active.append([org_chart.staff1.nip, "menengah", "Rapat TPK"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _upload(app.test_client(user=org_chart.u_hr), period, "p.xlsx", buf.getvalue()).status_code == 303
    assert db.session.scalar(select(TalentPotensial.potensial)) == Potensial.MENENGAH


def test_import_with_bad_lines_saves_nothing_and_names_each_line(app, org_chart, period):
    c = app.test_client(user=org_chart.u_hr)
    csv = (
        f"nip,potensial\n{org_chart.staff1.nip},tinggi\n199001012015031999,tinggi\n"
        f"{org_chart.staff2.nip},sangat\n{org_chart.staff1.nip},rendah\n"
    )
    r = _upload(c, period, "p.csv", csv.encode())
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "NIP 199001012015031999 tidak dikenal." in body
    assert "Potensial harus salah satu dari" in body
    assert "sudah ada di baris 2" in body
    assert db.session.scalar(select(TalentPotensial.id)) is None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("p.pdf", b"%PDF-1.4", "Unggah berkas CSV atau XLSX."),
        ("p.xlsx", b"PK\x03\x04rusak", "Berkas XLSX tidak dapat dibaca."),
        ("p.csv", b"nama,nilai\nBudi,3\n", "Kolom wajib tidak ada: nip, potensial"),
        ("p.csv", b"nip,potensial\n", "tanpa data"),
    ],
)
def test_unreadable_import_file_gets_a_message_not_a_500(app, org_chart, period, name, data, message):
    r = _upload(app.test_client(user=org_chart.u_hr), period, name, data)
    assert r.status_code == 422 and message in r.get_data(as_text=True)


def test_manual_potensial_needs_a_reason(app, org_chart, period):
    r = app.test_client(user=org_chart.u_hr).post(url(period, org_chart.staff1), data={"potensial": "tinggi"})
    assert r.status_code == 422 and "Alasan penetapan manual wajib diisi" in r.get_data(as_text=True)
    assert db.session.scalar(select(TalentPotensial.id)) is None
