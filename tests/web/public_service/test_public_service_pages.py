"""The public-service pages: dashboards, before/after, XLSX, catalogue, holidays, the import flow, the IKI link
on the realisasi form and the evidence panel on the rating page."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Holiday, IndikatorSignal, PublicService, Realisasi, ServiceStandard, ServiceTransaction

from ..skp_fixtures import fresh_g_per_request, make_skp  # noqa: F401
from .conftest import csv_bytes, import_rows


def test_unit_dashboard_shows_figures_charts_and_officers_to_the_operator(app, ps):
    import_rows(ps.unit, ps.rows)
    r = app.test_client(user=ps.u_svcop).get(f"/layanan/unit/{ps.unit.id}?dari=2026-03&sampai=2026-04")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<svg" in html and "Perekaman KTP-el" in html and "5 hari kerja" in html
    assert "Per petugas" in html and "Staf Satu" in html
    assert "75,0%" in html


def test_opd_staff_sees_the_dashboard_without_officers(app, ps):
    import_rows(ps.unit, ps.rows)
    r = app.test_client(user=ps.u_staff).get(f"/layanan/unit/{ps.unit.id}?dari=2026-03&sampai=2026-04")
    assert r.status_code == 200 and "Per petugas" not in r.get_data(as_text=True)


def test_bad_range_is_said_not_a_500(app, ps):
    r = app.test_client(user=ps.u_hr).get(f"/layanan/unit/{ps.unit.id}?dari=2026-13&sampai=x")
    assert r.status_code == 200 and "tidak dikenali" in r.get_data(as_text=True)


def test_before_after_and_xlsx(app, ps):
    import_rows(ps.unit, ps.rows)
    c = app.test_client(user=ps.u_hr)
    r = c.get(f"/layanan/unit/{ps.unit.id}/sebelum-sesudah?tanggal=2026-03-10&bulan=3")
    assert r.status_code == 200 and "Sebelum" in r.get_data(as_text=True)
    x = c.get(f"/layanan/unit/{ps.unit.id}/ekspor.xlsx?dari=2026-01&sampai=2026-06")
    assert x.status_code == 200 and x.data[:2] == b"PK"
    assert c.get("/layanan/dasbor").status_code == 200
    assert c.get("/layanan/").status_code == 200


def test_catalogue_adds_a_service_and_a_standard_version(app, ps):
    c = app.test_client(user=ps.u_svcop)
    r = c.post(f"/layanan/unit/{ps.unit.id}/katalog", data={"code": "kk", "name": "Kartu Keluarga"})
    assert r.status_code == 303
    svc = db.session.scalar(select(PublicService).where(PublicService.code == "KK"))
    r = c.post(
        f"/layanan/layanan/{svc.id}/standar",
        data={f"s{svc.id}-valid_from": "2026-01-01", f"s{svc.id}-completion_time": "3",
              f"s{svc.id}-completion_unit": "hari_kerja", f"s{svc.id}-cost": "0"},
    )  # fmt: skip
    assert r.status_code == 303
    assert db.session.scalar(select(ServiceStandard.completion_time).where(ServiceStandard.service_id == svc.id)) == 3
    dup = c.post(f"/layanan/unit/{ps.unit.id}/katalog", data={"code": "KK", "name": "Lagi"})
    assert dup.status_code == 422 and "sudah dipakai" in dup.get_data(as_text=True)


def test_holidays_add_and_import_with_bad_rows(app, ps):
    c = app.test_client(user=ps.u_hr)
    assert (
        c.post("/layanan/hari-libur", data={"day": "2026-12-25", "name": "Natal", "kind": "libur_nasional"}).status_code
        == 303
    )
    bad = b"TANGGAL;KETERANGAN;JENIS\n2026-12-24;Cuti bersama Natal;cuti bersama\n2026-13-01;Salah;libur nasional\n"
    r = c.post("/layanan/hari-libur/impor", data={"berkas": (io.BytesIO(bad), "libur.csv")})
    assert r.status_code == 422 and "Baris 3" in r.get_data(as_text=True)
    assert db.session.scalar(select(Holiday).where(Holiday.day == date(2026, 12, 24))) is None
    good = bad.splitlines(keepends=True)[0] + bad.splitlines(keepends=True)[1]
    r = c.post("/layanan/hari-libur/impor", data={"berkas": (io.BytesIO(good), "libur.csv")})
    assert r.status_code == 303


def test_import_flow_upload_preview_fix_confirm(app, ps):
    c = app.test_client(user=ps.u_svcop)
    bad = ps.rows + [["KTP", "X-1", "2026-03-05 08:00", "2026-03-01 08:00", "", "", ""]]
    r = c.post(f"/layanan/unit/{ps.unit.id}/impor", data={"berkas": (io.BytesIO(csv_bytes(bad)), "log.csv")})
    assert r.status_code == 303
    preview_url = r.headers["Location"]
    page = c.get(preview_url).get_data(as_text=True)
    assert "SELESAI sebelum DITERIMA" in page
    refused = c.post(preview_url, data={})
    assert refused.status_code == 422 and "tidak ada data yang diimpor" in refused.get_data(as_text=True)
    assert db.session.scalar(select(ServiceTransaction.id)) is None
    r = c.post(f"/layanan/unit/{ps.unit.id}/impor", data={"berkas": (io.BytesIO(csv_bytes(ps.rows)), "log.csv")})
    done = c.post(r.headers["Location"], data={})
    assert done.status_code == 303
    assert len(db.session.scalars(select(ServiceTransaction)).all()) == 5


def test_iki_linked_to_a_service_prefills_realisasi_and_asks_a_reason_for_another_value(app, ps):
    import_rows(ps.unit, ps.rows)
    period = ps.period if hasattr(ps, "period") else None
    from ..skp_fixtures import make_period

    period = period or make_period()
    skp = make_skp(ps.staff1, period, status=SkpStatus.APPROVED, appraiser=ps.kasi)
    iki = skp.rhks[0].indikators[0]
    c = app.test_client(user=ps.u_staff)
    r = c.post(f"/layanan/iki/{iki.id}/sinyal", data={"sinyal": f"layanan_sesuai_standar:{ps.ktp.id}"})
    assert r.status_code == 303
    assert db.session.scalar(select(IndikatorSignal.ref_id).where(IndikatorSignal.indikator_id == iki.id)) == ps.ktp.id
    page = c.get(f"/skp/{skp.id}/realisasi?periode=1").get_data(as_text=True)
    assert "Nilai terukur" in page and "66,7%" in page  # KTP in Q1: 2 of 3 within 5 working days
    assert 'value="66,7"' in page
    other = c.post(f"/skp/{skp.id}/realisasi?periode=1", data={"indikator_id": iki.id, f"nilai-{iki.id}": "90"})
    assert other.status_code == 422 and "alasannya" in other.get_data(as_text=True)
    ok = c.post(
        f"/skp/{skp.id}/realisasi?periode=1",
        data={"indikator_id": iki.id, f"nilai-{iki.id}": "90", f"keterangan-{iki.id}": "Dua berkas tertahan server"},
    )
    assert ok.status_code == 303
    assert db.session.scalar(select(Realisasi.nilai).where(Realisasi.indikator_id == iki.id)) == "90"


def test_evidence_panel_on_the_rating_page(app, ps):
    import_rows(ps.unit, ps.rows)
    from ..skp_fixtures import make_period

    period = make_period()
    r = app.test_client(user=ps.u_kasi).get(f"/penilaian-kinerja/{period.id}/pegawai/{ps.staff1.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Bukti pelayanan publik" in html and "Pegawai sebagai petugas" in html and "bukan nilai otomatis" in html


def test_a_large_import_runs_as_a_job_with_progress(app, ps, monkeypatch):
    from kinerja_web.models import Job
    from kinerja_web.services.public_service import log_import

    monkeypatch.setattr(log_import, "INLINE_LIMIT", 2)
    c = app.test_client(user=ps.u_svcop)
    r = c.post(f"/layanan/unit/{ps.unit.id}/impor", data={"berkas": (io.BytesIO(csv_bytes(ps.rows)), "log.csv")})
    r = c.post(r.headers["Location"], data={})
    assert r.status_code == 303 and "/impor/pekerjaan/" in r.headers["Location"]
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    job = db.session.scalar(select(Job).where(Job.kind == "impor_layanan"))
    db.session.refresh(job)
    assert job.succeeded, job.message
    assert "5 baru" in page or "5 baru" in (job.message or "")
    assert len(db.session.scalars(select(ServiceTransaction)).all()) == 5
