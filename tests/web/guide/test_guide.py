"""Panduan (sosialisasi): the guide by role with live rules and the reader's own numbers, the "?" of each screen,
the printable PDF, and the announcements board with read receipts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.skp import Frequency
from kinerja_web.extensions import db
from kinerja_web.models import Announcement, AnnouncementRead, PerformanceRating, Period, RatingStatus
from kinerja_web.services.guide import content
from kinerja_web.services.payroll import rules
from tests.web.payroll.test_payroll_flow import as_user, make_computed_run, pay  # noqa: F401  (fixture)


def get(app, user, path):
    return app.test_client(user=user).get(path)


def test_a_pegawai_sees_the_sections_written_for_them_first(app, org_chart):
    body = get(app, org_chart.u_staff, "/panduan/").get_data(as_text=True)
    mine, rest = body.split('id="h-untuk-anda"')[1].split('id="h-lainnya"')
    assert "Menyusun SKP dan cascading" in mine and "Bagaimana gaji, TPP dan PPh 21 dihitung" in mine
    assert "Untuk kepegawaian (BKPSDM) dan keuangan (BPKAD)" in rest


def test_hr_sees_its_own_section_among_its_sections(app, org_chart):
    body = get(app, org_chart.u_hr, "/panduan/").get_data(as_text=True)
    mine = body.split('id="h-untuk-anda"')[1].split('id="h-lainnya"')[0]
    assert "Untuk kepegawaian (BKPSDM) dan keuangan (BPKAD)" in mine


def test_the_predikat_section_shows_the_matrix_in_force_and_the_readers_own_predikat(app, org_chart):
    ns = org_chart
    before = get(app, ns.u_staff, "/panduan/predikat").get_data(as_text=True)
    assert "Matriks predikat yang dipakai Kinerja" in before and "PermenPANRB 6/2022" in before
    assert "Predikat terakhir Anda" not in before  # nothing final yet: nothing invented
    period = Period(year=2026, frequency=Frequency.TRIWULAN, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    db.session.add(period)
    db.session.flush()
    db.session.add(
        PerformanceRating(
            employee_id=ns.staff1.id,
            period_id=period.id,
            window_no=0,
            hasil_kerja=Ekspektasi.SESUAI,
            perilaku_kerja=Ekspektasi.DI_ATAS,
            predikat=Predikat.BAIK,
            status=RatingStatus.FINAL,
        )
    )
    db.session.commit()
    body = get(app, ns.u_staff, "/panduan/predikat").get_data(as_text=True)
    assert "Predikat terakhir Anda (2026): <strong>Baik</strong>" in body
    assert f'href="/penilaian-kinerja/{period.id}/pegawai/{ns.staff1.id}"' in body
    # the kurva is described in words from the rule table
    assert "Organisasi Baik" in body and "paling banyak 70%" in body
    assert "Sangat Baik: tidak ada" in body and "paling sedikit 60%" in body


def test_the_tpp_section_shows_the_rules_in_force_marked_as_examples_and_the_readers_last_slip(app, pay):  # noqa: F811
    ns = pay
    body = get(app, ns.u_staff, "/panduan/tpp-pph21").get_data(as_text=True)
    assert "Pembagian TPP" in body and "CONTOH — belum berdasarkan Perbup" in body
    assert "Slip terakhir Anda" not in body
    run = make_computed_run(app, ns)
    assert as_user(app, ns.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    assert as_user(app, ns.u_pejabat).post(f"/gaji/run/{run.id}/setujui").status_code == 303
    assert as_user(app, ns.u_pejabat).post(f"/gaji/run/{run.id}/final").status_code == 303
    body = as_user(app, ns.u_staff).get("/panduan/tpp-pph21").get_data(as_text=True)
    assert "Slip terakhir Anda (Oktober 2026)" in body
    assert f'href="/gaji/run/{run.id}/pegawai/{ns.staff1.id}">Mengapa sebesar ini?' in body


def test_the_tpp_section_says_so_when_no_rule_is_in_force(app, org_chart):
    body = get(app, org_chart.u_staff, "/panduan/tpp-pph21").get_data(as_text=True)  # no rules seeded
    assert "Tidak ada versi tabel" in body


def test_every_screen_named_by_a_section_exists(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    for s in content.sections():
        for screen in s.screens:
            ok = any(e.startswith(screen) for e in endpoints) if screen.endswith(".") else screen in endpoints
            assert ok, f"{s.slug}: {screen}"


@pytest.mark.parametrize(
    "path, section",
    [("/penilaian-kinerja/", "/panduan/predikat"), ("/skp/saya", "/panduan/skp"), ("/gaji/saya", "/panduan/tpp-pph21")],
)
def test_the_question_mark_of_a_screen_opens_its_section(app, org_chart, path, section):
    body = get(app, org_chart.u_staff, path).get_data(as_text=True)
    assert f'<a href="{section}" class="help-link"' in body


def test_a_screen_without_a_section_opens_the_guide_index(app, org_chart):
    body = get(app, org_chart.u_staff, "/notifikasi/").get_data(as_text=True)
    assert '<a href="/panduan/" class="help-link"' in body


def test_an_unknown_section_is_404(app, org_chart):
    assert get(app, org_chart.u_staff, "/panduan/tidak-ada").status_code == 404


def test_the_printable_guide_has_every_section_without_anyones_own_numbers(app, org_chart):
    rules.seed_rules()
    db.session.commit()
    resp = get(app, org_chart.u_staff, "/panduan/panduan-kinerja.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages)
    for s in content.sections():
        assert s.title.split(" ")[0] in text
    assert "Matriks predikat" in text and "Pembagian TPP" in text
    assert "terakhir Anda" not in text


# ------------------------------------------------------------------------------------------ announcements


def test_only_hr_may_write_or_withdraw_an_announcement(app, org_chart):
    ns = org_chart
    a = Announcement(title="T", body="B", posted_by_id=ns.u_hr.id)
    db.session.add(a)
    db.session.commit()
    staff = app.test_client(user=ns.u_staff)
    assert staff.get("/panduan/pengumuman/baru").status_code == 403
    assert staff.post("/panduan/pengumuman/baru", data={"title": "x", "body": "y"}).status_code == 403
    assert staff.get(f"/panduan/pengumuman/{a.id}/tarik").status_code == 403
    assert staff.post(f"/panduan/pengumuman/{a.id}/tarik").status_code == 403
    assert db.session.get(Announcement, a.id).withdrawn_at is None
    assert "Tulis pengumuman" not in staff.get("/panduan/pengumuman").get_data(as_text=True)


def test_a_refused_post_keeps_what_hr_typed_and_says_what_is_missing(app, org_chart):
    resp = app.test_client(user=org_chart.u_hr).post(
        "/panduan/pengumuman/baru", data={"title": "Rapat sosialisasi TPP", "body": ""}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'value="Rapat sosialisasi TPP"' in body and "Wajib diisi." in body
    assert db.session.query(Announcement).count() == 0


def test_hr_posts_a_pegawai_reads_it_and_hr_sees_the_receipt_per_opd(app, org_chart):
    ns = org_chart
    hr = app.test_client(user=ns.u_hr)
    resp = hr.post("/panduan/pengumuman/baru", data={"title": "Sosialisasi SKP", "body": "Paragraf satu.\n\nDua."})
    assert resp.status_code == 303
    a = db.session.query(Announcement).one()
    assert resp.location.endswith(f"/panduan/pengumuman/{a.id}")
    staff = app.test_client(user=ns.u_staff)
    assert "1 belum dibaca" in staff.get("/panduan/").get_data(as_text=True)
    page = staff.get(f"/panduan/pengumuman/{a.id}").get_data(as_text=True)
    assert "<p>Paragraf satu.</p>" in page and "Sudah dibaca, per OPD" not in page
    staff.get(f"/panduan/pengumuman/{a.id}")  # a second opening is not a second receipt
    assert db.session.query(AnnouncementRead).count() == 1
    receipts = hr.get(f"/panduan/pengumuman/{a.id}").get_data(as_text=True)
    assert "Sudah dibaca, per OPD" in receipts
    assert f"<tr><td>{ns.opd.name}</td><td>1</td><td>2</td><td>50%</td></tr>" in receipts


def test_a_withdrawn_announcement_is_gone_for_pegawai_and_kept_for_hr(app, org_chart):
    ns = org_chart
    hr = app.test_client(user=ns.u_hr)
    hr.post("/panduan/pengumuman/baru", data={"title": "Salah kirim", "body": "Isi"})
    a = db.session.query(Announcement).one()
    assert "Ya, tarik" in hr.get(f"/panduan/pengumuman/{a.id}/tarik").get_data(as_text=True)
    assert hr.post(f"/panduan/pengumuman/{a.id}/tarik").status_code == 303
    assert app.test_client(user=ns.u_staff).get(f"/panduan/pengumuman/{a.id}").status_code == 404
    assert "Ditarik" in hr.get("/panduan/pengumuman").get_data(as_text=True)
    assert hr.post(f"/panduan/pengumuman/{a.id}/tarik").status_code == 303  # twice: a message, not a 500
