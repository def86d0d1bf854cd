"""A real browser walks issue 21's "done when". First test: HR imports assessment results with three bad rows and
fixes them, the employee sees their profile and gap, HR sees the suggested referral and assigns it. Second test: HR opens a selection for a pengawas post,
forms the pansel (two members from the org data and one external) and registers four candidates, runs the stages
(administrasi, uji kompetensi from the JPM, rekam jejak from the predikat), two pansel members declare no conflict
and score the wawancara, the ranking and the top three appear, and the Pengumuman PDF verifies on /verifikasi."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.domain.predikat import Ekspektasi
from kinerja_web.domain.skp import Frequency, PeriodStatus
from kinerja_web.exports import workbook, xlsx_bytes
from kinerja_web.extensions import db
from kinerja_web.models import Employee, Period, Position, PositionKind, Unit, User
from kinerja_web.models.org import StatusAsn
from kinerja_web.services.competency import assessments, dictionary
from kinerja_web.services.competency.standards import competency_map
from kinerja_web.services.seed import rating
from kinerja_web.services.seed.accounts import create_demo_accounts
from kinerja_web.services.seed.development import seed_development
from kinerja_web.services.seed.org import build_regency
from kinerja_web.timeutil import today_wib

from .helpers import browser_app, sample, serving, session, settled

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)  # PDF rendering and stage computations on a loaded 2-core machine


@pytest.fixture
def server(tmp_path):
    from unittest import mock

    from werkzeug.security import generate_password_hash

    from kinerja_web.services.seed.accounts import DEMO_PASSWORD

    app = browser_app(tmp_path)
    demo_hash = generate_password_hash(DEMO_PASSWORD)
    today = today_wib()
    with (
        app.app_context(),
        mock.patch.object(User, "set_password", lambda u, _pw: setattr(u, "password_hash", demo_hash)),
    ):
        db.create_all()
        build_regency(400, today=today)
        create_demo_accounts(today)
        seed_development(today)  # BKPSDM's letterhead
        users = {u.username: u for u in db.session.scalars(select(User))}
        taken = {users[n].employee_id for n in ("kabid", "atasan", "pegawai", "kepegawaian")}
        candidates = [
            e
            for e in db.session.scalars(
                select(Employee)
                .join(Position, Position.id == Employee.position_id)
                .join(Unit, Unit.id == Employee.unit_id)
                .where(
                    Unit.code.like("BKPSDM%"),
                    Position.kind == PositionKind.PELAKSANA,
                    Employee.status_asn == StatusAsn.PNS,
                    Employee.golongan.in_(["III/a", "III/b", "III/c", "III/d"]),
                )
                .order_by(Employee.id)
            )
            if e.id not in taken
        ][:4]
        target = db.session.scalars(
            select(Position)
            .join(Unit, Unit.id == Position.unit_id)
            .where(Unit.code.like("BKPSDM%"), Position.kind == PositionKind.PENGAWAS)
            .where(Position.id != users["atasan"].employee.position_id)
            .order_by(Position.id)
        ).first()
        # Evidence Kinerja holds: two years of final predikat and a finalised competency assessment each.
        dictionary.ensure_national_competencies()
        event = assessments.create_event(
            "Asesmen Pengawas",
            "assessment_center",
            today - timedelta(days=30),
            "UPT Penilaian Kompetensi",
            users["kepegawaian"],
            assessors=["Asesor A", "Asesor B"],
        )
        for i, e in enumerate(candidates):
            for year in (today.year - 1, today.year - 2):
                rating.final_annual_rating(
                    rating.closed_period(year),
                    e,
                    e,
                    Ekspektasi.DI_ATAS if i == 0 else Ekspektasi.SESUAI,
                    Ekspektasi.SESUAI,
                    today,
                )
            p = assessments.add_participant(event, e)
            level = Decimal(["2", "2.5", "2", "1"][i])
            assessments.put_results(p, dict.fromkeys(NATIONAL_CODES, level), {}, competency_map())
            assessments.finalise_if_complete(p)
        db.session.add(
            Period(
                year=today.year,
                frequency=Frequency.TRIWULAN,
                start_date=date(today.year, 1, 1),
                end_date=date(today.year, 12, 31),
                status=PeriodStatus.OPEN,
            )
        )
        db.session.commit()
        ns = {
            "nips": [e.nip for e in candidates],
            "names": [e.full_name for e in candidates],
            "kabid": users["kabid"].employee.nip,
            "atasan": users["atasan"].employee.nip,
            "atasan_name": users["atasan"].employee.name,
            "target": target.id,
            "unit": db.session.scalar(select(Unit.id).where(Unit.code == "BKPSDM")),
            "today": today,
        }
    with serving(app) as srv:
        srv.__dict__.update(ns)
        yield srv


def _stage(page, label: str):
    return page.locator("section", has=page.get_by_role("heading", name=re.compile(label)))


def test_hr_runs_a_selection_two_members_score_and_the_pengumuman_verifies(browser, server, tmp_path):
    ctx, page = session(browser, server, "kepegawaian", js=True)
    page.goto("/seleksi/baru")
    page.get_by_label("Judul seleksi").fill("Seleksi Internal Kepala Subbidang")
    page.get_by_label("Jenis", exact=True).select_option("internal")
    page.get_by_label("Jabatan yang diisi").select_option(str(server.target))
    page.get_by_label("Unit penerbit dokumen (kop surat)").select_option(str(server.unit))
    page.get_by_label("Pendaftaran dibuka").fill(server.today.isoformat())
    page.get_by_label("Pendaftaran ditutup").fill(server.today.isoformat())
    page.get_by_label("Golongan minimal").fill("III/a")
    page.get_by_label("Pendidikan minimal").select_option("s1")
    page.locator("input[name=weight_uji_kompetensi]").fill("50")  # 0 + 50 + 20 + 40 = 110
    page.get_by_role("button", name="Buka seleksi").click()
    expect(page.locator("#field-weight_administrasi")).to_contain_text(
        "Jumlah bobot tahapan harus 100% (sekarang 110%)"
    )
    page.locator("input[name=weight_uji_kompetensi]").fill("40")
    page.get_by_role("button", name="Buka seleksi").click()
    expect(page.locator("#pesan")).to_contain_text("Seleksi dibuka")
    manage_url = page.url

    # The pansel: two members from the org data (one of them ketua) and one external member.
    for nip, role in ((server.kabid, "ketua"), (server.atasan, "anggota")):
        page.get_by_label("NIP (anggota dari data pegawai)").fill(nip)
        page.get_by_label("Kedudukan").select_option(role)
        page.get_by_role("button", name="Tambah anggota panitia").click()
        expect(page.locator("#pesan")).to_contain_text("ditambahkan ke panitia seleksi")
        settled(page)
    page.get_by_label("NIP (anggota dari data pegawai)").fill("")
    page.get_by_label("Nama (anggota dari luar instansi)").fill("Dr. Pakar SDM")
    page.get_by_label("Instansi asal (anggota luar)").fill("Universitas Lampung")
    page.get_by_role("button", name="Tambah anggota panitia").click()
    expect(page.locator("#panitia")).to_contain_text("Dr. Pakar SDM")
    settled(page)
    for nip in server.nips:
        page.get_by_label("NIP pegawai").fill(nip)
        page.get_by_label("Pendidikan terakhir").select_option("s1")
        page.get_by_role("button", name="Daftarkan peserta").click()
        expect(page.locator("#pesan")).to_contain_text("terdaftar sebagai peserta")
        settled(page)
    page.get_by_role("button", name="Tutup pendaftaran dan mulai seleksi").click()
    expect(page.locator("#pesan")).to_contain_text("Seleksi dimulai")

    # Administrasi, uji kompetensi (JPM) and rekam jejak (predikat) come from Kinerja's own data.
    for label in ("Seleksi administrasi", "Uji kompetensi", "Rekam jejak"):
        settled(page)
        section = _stage(page, label)
        section.get_by_role("button", name="Hitung dari data Kinerja").click()
        expect(page.locator("#pesan")).to_contain_text("hasil dihitung")
        settled(page)
        section = _stage(page, label)
        if label == "Uji kompetensi":
            expect(section).to_contain_text("JPM 50.00%")  # the fourth candidate: level 1 of 2, below the pass mark
            section.locator("input[type=checkbox]").last.check()
            section.get_by_role("button", name="Tutup tahap dan tetapkan daftar lolos").click()
            expect(page.locator("body")).to_contain_text("tidak dapat dilanjutkan ke tahap berikutnya")
            settled(page)
            section = _stage(page, label)
            section.locator("input[type=checkbox]").last.uncheck()
        section.get_by_role("button", name="Tutup tahap dan tetapkan daftar lolos").click()
        expect(page.locator("#pesan")).to_contain_text("ditutup")
    sample(page, "seleksi-kelola")
    ctx.close()

    # Two pansel members declare no conflict and score the wawancara of the three remaining candidates.
    selection_id = re.search(r"/seleksi/(\d+)/", manage_url).group(1)
    for username, scores in (("kabid", ("86", "78", "70")), ("atasan", ("90", "74", "72"))):
        ctx, page = session(browser, server, username, js=True)
        page.goto(f"/seleksi/{selection_id}/panitia")
        for name, score in zip(server.names[:3], scores, strict=True):
            card = page.locator("section", has=page.get_by_role("heading", name=re.compile(re.escape(name))))
            card.get_by_role("button", name="Simpan pernyataan").click()
            expect(page.locator("#pesan")).to_contain_text("Pernyataan")
            settled(page)
            card = page.locator("section", has=page.get_by_role("heading", name=re.compile(re.escape(name))))
            card.get_by_label("Nilai wawancara saya (0–100)").fill(score)
            card.get_by_role("button", name="Simpan nilai").click()
            expect(page.locator("#pesan")).to_contain_text("Nilai wawancara")
            settled(page)
        ctx.close()

    # HR closes the wawancara: the ranking and the top three appear; the Pengumuman is issued and verifies.
    ctx, page = session(browser, server, "kepegawaian", js=True)
    page.goto(manage_url)
    _stage(page, "Wawancara").get_by_role("button", name="Tutup tahap dan tetapkan daftar lolos").click()
    expect(page.locator("#pesan")).to_contain_text("ditutup")
    ranking = page.locator("#peringkat")
    expect(ranking).to_contain_text("tiga terbaik")
    expect(ranking.locator("tbody tr").first).to_contain_text(server.names[0])
    page.get_by_role("button", name="Usulkan tiga terbaik kepada PPK").click()
    expect(page.locator("#pesan")).to_contain_text("diusulkan kepada PPK")
    settled(page)
    _stage(page, "Wawancara").get_by_role("button", name=re.compile("Terbitkan pengumuman")).click()
    expect(page.locator("#pesan")).to_contain_text("Pengumuman Wawancara diterbitkan")
    settled(page)
    sample(page, "seleksi-peringkat")
    with page.expect_download() as download:
        _stage(page, "Wawancara").get_by_role("link", name="Unduh pengumuman (PDF)").click()
    pdf = tmp_path / "pengumuman.pdf"
    download.value.save_as(pdf)
    page.goto("/verifikasi")
    page.get_by_label("Berkas PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("body")).to_contain_text("identik")
    expect(page.locator("body")).to_contain_text("Pengumuman Hasil Tahap Seleksi")
    ctx.close()
    assert date.today()  # the run used today's registration dates


def _results_file(path, rows) -> str:
    wb = workbook()
    ws = wb.active
    ws.append(["NIP", "NAMA", *NATIONAL_CODES, "KEKUATAN", "REKOMENDASI"])
    for nip, levels in rows:
        ws.append([nip, "", *levels, "Integritas tinggi", "Coaching pengembangan diri dan orang lain"])
    path.write_bytes(xlsx_bytes(wb))
    return str(path)


def test_hr_imports_results_fixes_three_bad_rows_the_employee_sees_the_gap_and_hr_assigns_the_referral(
    browser, server, tmp_path
):
    good = ["2", "2", "2", "2", "2", "1,5", "2", "2", "2"]  # PDOL 1,5 against the pengawas level 2: a gap
    ok_row = ["2"] * 9
    bad = _results_file(
        tmp_path / "hasil-salah.xlsx",
        [
            (server.atasan, good),
            (server.kabid, ok_row),
            ("199001012015031999", ok_row),  # unknown NIP
            (server.nips[0], ["6", *ok_row[1:]]),  # level outside 1–5
            (server.nips[1], ["2,3", *ok_row[1:]]),  # not a half step
        ],
    )
    fixed = _results_file(
        tmp_path / "hasil-benar.xlsx",
        [
            (server.atasan, good),
            (server.kabid, ok_row),
            (server.nips[0], ok_row),
            (server.nips[1], ["2,5", *ok_row[1:]]),
        ],
    )
    ctx, page = session(browser, server, "kepegawaian", js=True)
    page.goto("/kompetensi/penilaian")
    page.get_by_label("Nama kegiatan").fill("Assessment Center Pengawas")
    page.get_by_label("Metode").select_option("assessment_center")
    page.get_by_label("Tanggal pelaksanaan").fill((server.today - timedelta(days=3)).isoformat())
    page.get_by_label("Penyelenggara").fill("UPT Penilaian Kompetensi BKN")
    page.get_by_role("button", name="Buat kegiatan").click()
    page.wait_for_url(re.compile(r"/kompetensi/penilaian/\d+$"))
    page.locator("input[name=berkas]").set_input_files(bad)
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_url(re.compile(r"/impor/"))
    expect(page.locator("body")).to_contain_text("3 baris salah")
    expect(page.locator("tr.row-error")).to_have_count(6)  # three rows in the error table and in the file table
    sample(page, "kompetensi-impor-salah")
    event_url = page.url.split("/impor/")[0]
    page.goto(event_url)
    page.locator("input[name=berkas]").set_input_files(fixed)
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_url(re.compile(r"/impor/"))
    expect(page.locator("body")).to_contain_text("0 baris salah")
    page.get_by_role("button", name=re.compile(r"Simpan \d+ hasil")).click()
    expect(page.locator("#pesan")).to_contain_text("Impor selesai")
    ctx.close()

    # The employee sees their own profile and the gap.
    ctx, page = session(browser, server, "atasan", js=True)
    page.goto("/kompetensi/saya")
    expect(page.locator("body")).to_contain_text("JPM terhadap jabatan sekarang")
    expect(page.locator("body")).to_contain_text("Kesenjangan per kompetensi")
    sample(page, "kompetensi-profil")
    ctx.close()

    # HR sees the suggested referral with its reason and assigns it.
    ctx, page = session(browser, server, "kepegawaian", js=True)
    page.goto("/pengembangan/antrean")
    page.get_by_role("button", name="Buat usulan dari hasil penilaian").click()
    expect(page.locator("#generate-job")).to_contain_text("Usulan baru")
    settled(page)
    page.locator("select[name=alasan]").select_option("gap_kompetensi")
    settled(page)
    row = page.locator("#rows tbody tr").filter(has_text=server.atasan_name)
    expect(row).to_contain_text("Pengembangan Diri dan Orang Lain")
    page.get_by_role("checkbox", name=f"Pilih {server.atasan_name}").check()
    select = page.locator("#rows select[name=programme_id]")
    select.select_option(index=1)
    page.get_by_role("button", name="Terima dan tugaskan").click()
    expect(page.locator(".flash-success")).to_contain_text("1 pegawai ditugaskan")
    ctx.close()
