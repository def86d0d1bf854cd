"""Competency pages: standards (edit = new version, XLSX export/import), the provider import (preview with
per-row/per-column errors, all or nothing, idempotent by event + NIP), the assessor meeting, the profile."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.extensions import db
from kinerja_web.models import (
    AssessmentEvent,
    AssessmentParticipant,
    AssessmentResult,
    AuditLog,
    CompetencyStandard,
)
from kinerja_web.services.competency import assessments, dictionary

from .fixtures import assess


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _event(actor=None):
    dictionary.ensure_national_competencies()
    e = assessments.create_event(
        "Asesmen 2026", "assessment_center", date(2026, 3, 1), "UPT PK", actor, assessors=["A", "B"]
    )
    db.session.commit()
    return e


def _upload(c, event, data: bytes, name="hasil.xlsx"):
    return c.post(
        f"/kompetensi/penilaian/{event.id}/impor",
        data={"berkas": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _row(emp, level="3", **over):
    cells = {"NIP": emp.nip, **{c: level for c in NATIONAL_CODES}, "KEKUATAN": "Tekun", **over}
    return [cells[h] for h in ["NIP", *NATIONAL_CODES, "KEKUATAN"]]


HEADER = ["NIP", *NATIONAL_CODES, "KEKUATAN"]


def test_import_preview_lists_every_bad_row_saves_nothing_then_the_fixed_file_imports_once(app, org_chart):
    event = _event()
    c = app.test_client(user=org_chart.u_hr)
    bad = _xlsx(
        [
            HEADER,
            _row(org_chart.staff1, "3"),
            _row(org_chart.staff2, "2,5", INT="7"),  # level out of range
            _row(org_chart.kasi, "2", KS="2,3"),  # not a half step
            ["199999999999999999", *(["3"] * 9), ""],  # unknown NIP
        ]
    )
    r = _upload(c, event, bad)
    assert r.status_code == 303
    preview_url = r.headers["Location"]
    body = c.get(preview_url).get_data(as_text=True)
    assert "3 baris salah" in body
    assert "Level harus 1 sampai 5 dengan kelipatan 0,5" in body and "tidak dikenal di Kinerja" in body
    r = c.post(preview_url, data={})
    assert r.status_code == 422
    assert db.session.scalar(select(func.count(AssessmentParticipant.id))) == 0

    good = _xlsx(
        [HEADER, _row(org_chart.staff1, "3"), _row(org_chart.staff2, "2,5"), _row(org_chart.kasi, "2", KS="1,5")]
    )
    preview_url = _upload(c, event, good).headers["Location"]
    assert "Simpan 3 hasil" in c.get(preview_url).get_data(as_text=True)
    assert c.post(preview_url, data={}).status_code == 303
    assert db.session.scalar(select(func.count(AssessmentParticipant.id))) == 3
    assert db.session.scalar(select(func.count(AssessmentResult.id))) == 27
    kasi = db.session.scalar(
        select(AssessmentParticipant).where(AssessmentParticipant.employee_id == org_chart.kasi.id)
    )
    assert kasi.finalised_at is not None and kasi.jpm == Decimal("97.22")  # pengawas: 17.5 / 18
    # the same file again: nothing changes, nothing doubles
    preview_url = _upload(c, event, good).headers["Location"]
    assert "3 tanpa perubahan" in c.get(preview_url).get_data(as_text=True)
    c.post(preview_url, data={})
    assert db.session.scalar(select(func.count(AssessmentParticipant.id))) == 3
    assert db.session.scalar(select(func.count(AssessmentResult.id))) == 27


def test_unknown_and_missing_columns_are_column_errors(app, org_chart):
    event = _event()
    c = app.test_client(user=org_chart.u_hr)
    data = _xlsx([["NIP", "INT", "XYZ"], [org_chart.staff1.nip, "3", "2"]])
    body = c.get(_upload(c, event, data).headers["Location"]).get_data(as_text=True)
    assert "Kolom XYZ bukan kode kompetensi" in body and "Kolom PB (Perekat Bangsa) wajib ada" in body


def test_a_non_xlsx_upload_is_refused_in_words(app, org_chart):
    event = _event()
    r = _upload(app.test_client(user=org_chart.u_hr), event, b"nip;INT\n1;2", "hasil.csv")
    assert r.status_code == 422 and "Unggah berkas XLSX" in r.get_data(as_text=True)


def test_meeting_form_keeps_typed_values_and_shows_errors_at_the_cell(app, org_chart):
    event = _event()
    p = assessments.add_participant(event, org_chart.staff1)
    db.session.commit()
    a, b = event.assessors
    c = app.test_client(user=org_chart.u_hr)
    data = {"version": str(p.version_id), f"r-{a.id}-INT": "3", f"r-{b.id}-INT": "4", "c-INT": "3", f"r-{a.id}-KS": "9"}
    r = c.post(f"/kompetensi/peserta/{p.id}/rapat", data=data)
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="err-alasan-INT"' in body and f'id="err-r-{a.id}-KS"' in body and 'value="9"' in body
    data.update({"alasan-INT": "Simulasi menguatkan", f"r-{a.id}-KS": "2"})
    data.update({f"c-{code}": "2" for code in NATIONAL_CODES if code != "INT"})
    assert c.post(f"/kompetensi/peserta/{p.id}/rapat", data=data).status_code == 303
    db.session.refresh(p)
    assert p.finalised_at is not None and p.jpm is not None
    # a stale form (the version seen before the save) is told the record changed
    r = c.post(f"/kompetensi/peserta/{p.id}/rapat", data=data)
    assert r.status_code == 409 and "telah diubah oleh pengguna lain" in r.get_data(as_text=True)


def test_standard_edit_adds_a_version_and_keeps_history(app, org_chart):
    dictionary.ensure_national_competencies()
    db.session.commit()
    c = app.test_client(user=org_chart.u_hr)
    url = f"/kompetensi/jabatan/{org_chart.p_kasi.id}/ubah"
    form = {"berlaku_mulai": "2026-01-01", "dasar_hukum": "Perbup 7/2026", "lv-INT": "3", "lv-KS": "6"}
    r = c.post(url, data=form)
    assert r.status_code == 422 and "bilangan bulat 1 sampai 5" in r.get_data(as_text=True)
    assert 'value="6"' in r.get_data(as_text=True)
    form["lv-KS"] = "2"
    assert c.post(url, data=form).status_code == 303
    form["lv-INT"] = "4"
    assert c.post(url, data=form).status_code == 303
    versions = db.session.scalars(select(CompetencyStandard).order_by(CompetencyStandard.version)).all()
    assert [v.version for v in versions] == [1, 2]
    page = c.get(f"/kompetensi/jabatan/{org_chart.p_kasi.id}").get_data(as_text=True)
    assert "Perbup 7/2026" in page and "Riwayat versi" in page
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "competency_standard")) >= 2
    # an employee sees their own post's standard (no history, no edit button)
    own = app.test_client(user=org_chart.u_kasi).get(f"/kompetensi/jabatan/{org_chart.p_kasi.id}")
    assert own.status_code == 200 and "Riwayat versi" not in own.get_data(as_text=True)


def test_standards_export_then_import_roundtrip(app, org_chart):
    dictionary.ensure_national_competencies()
    db.session.commit()
    c = app.test_client(user=org_chart.u_hr)
    data = c.get("/kompetensi/standar/ekspor.xlsx").data
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    header = [cell.value for cell in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == org_chart.p_staff1.id)
    row[header.index("BERLAKU_MULAI")].value = "2026-02-01"
    row[header.index("DASAR_HUKUM")].value = "Perbup 9/2026"
    row[header.index("INT")].value = 2
    bad = next(r for r in ws.iter_rows(min_row=2) if r[0].value == org_chart.p_staff2.id)
    bad[header.index("BERLAKU_MULAI")].value = "2026-02-01"
    bad[header.index("DASAR_HUKUM")].value = "Perbup 9/2026"
    bad[header.index("KS")].value = "tinggi"
    buf = io.BytesIO()
    wb.save(buf)
    r = c.post("/kompetensi/standar/impor", data={"berkas": (io.BytesIO(buf.getvalue()), "s.xlsx")})
    assert r.status_code == 422 and "bilangan bulat" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CompetencyStandard.id))) == 0
    bad[header.index("KS")].value = 2
    buf = io.BytesIO()
    wb.save(buf)
    r = c.post("/kompetensi/standar/impor", data={"berkas": (io.BytesIO(buf.getvalue()), "s.xlsx")})
    assert r.status_code == 303
    assert db.session.scalar(select(func.count(CompetencyStandard.id))) == 2


def test_profile_shows_jpm_gap_and_chart_to_the_assessee_and_a_summary_only_when_shared(app, org_chart):
    p = assess(org_chart.staff1, {**{c: "1" for c in NATIONAL_CODES}, "PDOL": "1"})
    own = app.test_client(user=org_chart.u_staff).get("/kompetensi/saya", follow_redirects=True)
    body = own.get_data(as_text=True)
    assert own.status_code == 200 and "<svg" in body and "JPM terhadap jabatan sekarang" in body
    atasan = app.test_client(user=org_chart.u_kasi)
    assert atasan.get(f"/kompetensi/pegawai/{org_chart.staff1.id}").status_code == 403
    p.summary_shared = True
    db.session.commit()
    r = atasan.get(f"/kompetensi/pegawai/{org_chart.staff1.id}")
    assert r.status_code == 200 and "Ringkasan" in r.get_data(as_text=True) and "<svg" not in r.get_data(as_text=True)
    assert app.test_client(user=org_chart.u_other).get(f"/kompetensi/pegawai/{org_chart.staff1.id}").status_code == 403
    target = app.test_client(user=org_chart.u_hr).get(
        f"/kompetensi/pegawai/{org_chart.staff1.id}?target={org_chart.p_kabid.id}"
    )
    assert "JPM terhadap <strong>Kepala Bidang Uji" in target.get_data(as_text=True)


def test_opd_view_and_export(app, org_chart):
    assess(org_chart.staff1, "1")
    assess(org_chart.kasi, {**{c: "2" for c in NATIONAL_CODES}, "PK": "1"})
    c = app.test_client(user=org_chart.u_hr)
    body = c.get(f"/kompetensi/opd?opd={org_chart.opd.id}").get_data(as_text=True)
    assert "2 dari" in body and "PK · Pengambilan Keputusan" in body
    r = c.get(f"/kompetensi/opd/ekspor.xlsx?opd={org_chart.opd.id}")
    ws = load_workbook(io.BytesIO(r.data))["JPM pegawai"]
    assert ws.max_row == 3
    assert c.get("/kompetensi/opd?opd=999999").status_code == 404


def test_rule_change_adds_a_version_and_bad_weights_are_refused(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    form = {
        "berlaku_mulai": "2026-01-01",
        "optimal_from": "90",
        "cukup_from": "78",
        "cap_at_required": "y",
        "weight_kategori": "60",
        "weight_jpm": "30",
        "tinggi_from": "85",
        "menengah_from": "65",
    }
    r = c.post("/kompetensi/aturan", data=form)
    assert r.status_code == 422 and "berjumlah 100" in r.get_data(as_text=True)
    form["weight_jpm"] = "40"
    assert c.post("/kompetensi/aturan", data=form).status_code == 303


def test_training_report_says_data_belum_cukup_for_small_groups(app, org_chart):
    assess(org_chart.staff1, "1")
    body = app.test_client(user=org_chart.u_hr).get("/kompetensi/laporan/pelatihan").get_data(as_text=True)
    assert "Sudah dan belum dilatih" in body and "data belum cukup" in body


def test_event_creation_and_participants(app, org_chart):
    c = app.test_client(user=org_chart.u_hr)
    r = c.post("/kompetensi/penilaian", data={"name": "", "method": "cat", "held_on": "2026-03-01", "provider": "X"})
    assert r.status_code == 422
    r = c.post(
        "/kompetensi/penilaian",
        data={"name": "CAT 2026", "method": "cat", "held_on": "2026-03-01", "provider": "BKN", "assessors": "A\nB"},
    )
    assert r.status_code == 303
    event = db.session.scalar(select(AssessmentEvent))
    r = c.post(f"/kompetensi/penilaian/{event.id}/peserta", data={"nip": "123"})
    assert r.status_code == 422 and "tidak dikenal" in r.get_data(as_text=True)
    assert c.post(f"/kompetensi/penilaian/{event.id}/peserta", data={"nip": org_chart.staff1.nip}).status_code == 303
    r = c.post(f"/kompetensi/penilaian/{event.id}/peserta", data={"nip": org_chart.staff1.nip})
    assert r.status_code == 422 and "sudah menjadi peserta" in r.get_data(as_text=True)
