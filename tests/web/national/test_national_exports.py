"""Exports in the national systems' layouts and the SIASN reconciliation, as HR and finance use them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.skp import Frequency
from kinerja_web.extensions import db
from kinerja_web.models import (
    AuditLog,
    JpEntry,
    JpSource,
    PayrollLine,
    PerformanceRating,
    Period,
    RatingStatus,
)
from tests.web.payroll.test_payroll_flow import as_user, make_computed_run, pay  # noqa: F401  (fixture)


def _rows_xlsx(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _rows_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def rated(org_chart):
    ns = org_chart
    period = Period(year=2026, frequency=Frequency.TRIWULAN, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    db.session.add(period)
    db.session.flush()
    common = dict(employee_id=ns.staff1.id, period_id=period.id, appraiser_id=ns.kasi.id, status=RatingStatus.FINAL)
    db.session.add_all(
        [
            PerformanceRating(
                window_no=0,
                hasil_kerja=Ekspektasi.SESUAI,
                perilaku_kerja=Ekspektasi.DI_ATAS,
                predikat=Predikat.BAIK,
                **common,
            ),
            PerformanceRating(
                window_no=2,
                hasil_kerja=Ekspektasi.DI_BAWAH,
                perilaku_kerja=Ekspektasi.SESUAI,
                predikat=Predikat.BUTUH_PERBAIKAN,
                **common,
            ),
            PerformanceRating(  # a draft is not exported
                employee_id=ns.staff2.id,
                period_id=period.id,
                window_no=0,
                hasil_kerja=Ekspektasi.SESUAI,
                perilaku_kerja=Ekspektasi.SESUAI,
                predikat=Predikat.BAIK,
                status=RatingStatus.DRAFT,
            ),
        ]
    )
    db.session.commit()
    return ns


@pytest.mark.parametrize(
    "who, path, status",
    [
        ("u_staff", "/ekspor/", 403),
        ("u_kasi", "/ekspor/siasn-kinerja.xlsx?tahun=2026", 403),
        ("u_operator", "/ekspor/siasn-kinerja.xlsx?tahun=2026", 403),
        ("u_operator", "/ekspor/siasn-kursus.csv?tahun=2026", 403),
        ("u_operator", "/ekspor/rekonsiliasi-siasn", 403),
        ("u_staff", "/ekspor/taspen.xlsx?bulan=2026-10", 403),
        ("u_operator", "/ekspor/taspen.xlsx?bulan=2026-10", 200),
        ("u_hr", "/ekspor/siasn-kinerja.xlsx?tahun=2026", 200),
        ("u_hr", "/ekspor/rekonsiliasi-siasn", 200),
        ("u_operator", "/ekspor/", 200),
    ],
)
def test_who_may_export_what(app, org_chart, who, path, status):
    assert app.test_client(user=getattr(org_chart, who)).get(path).status_code == status


def test_the_siasn_performance_export_has_every_final_rating_with_its_appraiser_and_codes(app, rated):
    ns = rated
    resp = app.test_client(user=ns.u_hr).get("/ekspor/siasn-kinerja.xlsx?tahun=2026")
    assert resp.status_code == 200 and "siasn-kinerja-2026.xlsx" in resp.headers["Content-Disposition"]
    rows = _rows_xlsx(resp.data)
    head = rows[0]
    assert head[:4] == ["nipBaru", "nama", "tahun", "periode"] and "kuadranKinerjaNilai" in head
    recs = [dict(zip(head, r, strict=True)) for r in rows[1:]]
    assert [(r["periode"], r["kuadranKinerja"], r["kuadranKinerjaNilai"]) for r in recs] == [
        ("Tahunan", "Baik", "2"),
        ("Triwulan II", "Butuh Perbaikan", "3"),
    ]
    q2 = recs[1]
    assert (q2["bulanMulaiPenilaian"], q2["bulanSelesaiPenilaian"], q2["hasilKinerjaNilai"]) == (4, 6, "3")
    assert (q2["penilaiNipNrp"], q2["penilaiNama"], q2["statusPenilai"]) == (ns.kasi.nip, ns.kasi.full_name, "ASN")
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "ekspor")).one()
    assert log.entity == "siasn-kinerja" and "2 baris" in log.summary and log.actor_id == ns.u_hr.id


def test_the_siasn_training_export_lists_the_jp_ledger_of_the_year_as_csv(app, org_chart):
    ns = org_chart
    db.session.add_all(
        [
            JpEntry(
                employee_id=ns.staff1.id,
                year=2026,
                jp=24,
                source=JpSource.LAINNYA,
                title="Diklat Pelayanan Publik",
                on_date=date(2026, 3, 2),
                provider="BPSDM Provinsi Lampung",
            ),
            JpEntry(
                employee_id=ns.staff1.id,
                year=2025,
                jp=10,
                source=JpSource.LAINNYA,
                title="Tahun lalu",
                on_date=date(2025, 3, 2),
            ),
        ]
    )
    db.session.commit()
    rows = _rows_csv(app.test_client(user=ns.u_hr).get("/ekspor/siasn-kursus.csv?tahun=2026").data)
    assert rows[0][:4] == ["nipBaru", "nama", "namaKursus", "institusiPenyelenggara"]
    assert len(rows) == 2
    rec = dict(zip(rows[0], rows[1], strict=True))
    assert (rec["namaKursus"], rec["jumlahJam"], rec["tanggalKursus"]) == (
        "Diklat Pelayanan Publik",
        "24",
        "02-03-2026",
    )


def test_taspen_and_bpjs_recaps_add_up_the_final_runs_lines(app, pay):  # noqa: F811
    ns = pay
    run = make_computed_run(app, ns)
    assert as_user(app, ns.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    assert as_user(app, ns.u_pejabat).post(f"/gaji/run/{run.id}/setujui").status_code == 303
    assert as_user(app, ns.u_pejabat).post(f"/gaji/run/{run.id}/final").status_code == 303
    op = as_user(app, ns.u_operator)
    taspen = _rows_xlsx(op.get("/ekspor/taspen.xlsx?bulan=2026-10").data)
    head = taspen[0]
    recs = {r[0]: dict(zip(head, r, strict=True)) for r in taspen[1:]}
    assert len(recs) == 6

    def line(emp, code):
        return db.session.scalar(
            select(PayrollLine.amount).where(
                PayrollLine.run_id == run.id, PayrollLine.employee_id == emp.id, PayrollLine.code == code
            )
        )

    r = recs[ns.staff1.nip]
    assert r["GAJI POKOK"] == line(ns.staff1, "GAPOK") and r["IURAN 8%"] == line(ns.staff1, "POT_IWP")
    assert r["PENSIUN 4.75%"] + r["THT 3.25%"] == r["IURAN 8%"]
    assert r["DASAR IURAN"] == r["GAJI POKOK"] + r["TUNJ ISTRI/SUAMI"] + r["TUNJ ANAK"]
    bpjs = _rows_xlsx(op.get("/ekspor/bpjs.xlsx?bulan=2026-10").data)
    b = {row[0]: dict(zip(bpjs[0], row, strict=True)) for row in bpjs[1:]}[ns.staff1.nip]
    assert b["IURAN 1% GAJI"] == line(ns.staff1, "POT_BPJS1")
    assert b["JUMLAH IURAN"] == b["IURAN 4% GAJI"] + b["IURAN 4% TPP"] + b["IURAN 1% GAJI"] + b["IURAN 1% TPP"]
    assert b["DASAR GAJI"] > 0 and b["IURAN 1% GAJI"] == round(b["DASAR GAJI"] / 100)
    assert "Oktober 2026" in op.get("/ekspor/").get_data(as_text=True)


def test_a_bad_month_or_an_unknown_export_is_refused_plainly(app, org_chart):
    hr = app.test_client(user=org_chart.u_hr)
    resp = hr.get("/ekspor/taspen.xlsx?bulan=oktober")
    assert resp.status_code == 303 and resp.location.endswith("/ekspor/")
    assert "Pilih tahun atau bulan yang sah." in hr.get("/ekspor/").get_data(as_text=True)
    assert hr.get("/ekspor/tidak-ada.xlsx?tahun=2026").status_code == 404
    assert hr.get("/ekspor/taspen.pdf?bulan=2026-10").status_code == 404


def test_an_installation_can_replace_a_layout_and_a_broken_one_is_refused(app, rated, tmp_path):
    ns = rated
    app.config["NATIONAL_LAYOUT_DIR"] = str(tmp_path)
    try:
        (tmp_path / "siasn_kinerja.csv").write_text("kolom,isian,keterangan\nNIP,nip,\nPREDIKAT,predikat,\n")
        hr = app.test_client(user=ns.u_hr)
        rows = _rows_xlsx(hr.get("/ekspor/siasn-kinerja.xlsx?tahun=2026").data)
        assert rows == [["NIP", "PREDIKAT"], [ns.staff1.nip, "Baik"], [ns.staff1.nip, "Butuh Perbaikan"]]
        assert str(tmp_path) in hr.get("/ekspor/").get_data(as_text=True)
        (tmp_path / "siasn_kinerja.csv").write_text("kolom,isian,keterangan\nNIP,nip,\nGAJI,gaji,\n")
        resp = hr.get("/ekspor/siasn-kinerja.xlsx?tahun=2026")
        assert resp.status_code == 303
        assert "isian tidak dikenal gaji" in hr.get("/ekspor/").get_data(as_text=True)
    finally:
        app.config["NATIONAL_LAYOUT_DIR"] = None


def test_hr_reconciles_a_siasn_file_on_the_page_and_as_xlsx(app, org_chart):
    ns = org_chart
    hr = app.test_client(user=ns.u_hr)
    text = f"NIP BARU;NAMA;GOL AKHIR NAMA\n{ns.staff1.nip};{ns.staff1.name};IV/a\n"
    resp = hr.post("/ekspor/rekonsiliasi-siasn", data={"file": (io.BytesIO(text.encode()), "siasn.csv")})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert f"<td>{ns.staff1.nip}</td>" in body and "<td>IV/a</td>" in body and "1 pegawai dengan data berbeda" in body
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "rekonsiliasi")).one()
    resp = hr.post(
        "/ekspor/rekonsiliasi-siasn",
        data={"file": (io.BytesIO(text.encode()), "siasn.csv"), "format": "xlsx"},
    )
    rows = _rows_xlsx(resp.data)
    assert rows[0] == ["NIP", "Nama", "Data", "Kinerja", "SIASN"] and rows[1][2:] == [
        "Golongan",
        ns.staff1.golongan,
        "IV/a",
    ]


def test_a_reconciliation_without_a_file_says_so_at_the_field(app, org_chart):
    resp = app.test_client(user=org_chart.u_hr).post("/ekspor/rekonsiliasi-siasn", data={})
    assert resp.status_code == 422 and "Pilih berkas ekspor data utama dari SIASN" in resp.get_data(as_text=True)


def test_the_reconciliation_xlsx_quotes_a_name_a_spreadsheet_would_evaluate(app, org_chart):
    ns = org_chart
    ns.staff1.name = '=HYPERLINK("http://x","y")'
    db.session.commit()
    text = f"NIP BARU;NAMA\n{ns.staff1.nip};Budi\n"
    resp = app.test_client(user=ns.u_hr).post(
        "/ekspor/rekonsiliasi-siasn", data={"file": (io.BytesIO(text.encode()), "siasn.csv"), "format": "xlsx"}
    )
    values = [v for row in _rows_xlsx(resp.data) for v in row if isinstance(v, str)]
    assert "'" + ns.staff1.name in values and not [v for v in values if v.startswith("=")]
