"""Tax-year pages (issue 20 items 1 and 9): PTKP per year, year-to-date import, annual bukti potong.
Authorization matrix of every new route (role × own/other, ids changed in the URL), bad input, PDF + export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_web.domain.documents import DocType
from kinerja_web.extensions import db
from kinerja_web.models import (
    AuditLog,
    FamilyMember,
    FamilyRelation,
    IssuedDocument,
    Letterhead,
    PayrollPredikat,
    PtkpYear,
    SignerConfig,
    YtdEntry,
)
from kinerja_web.services.payroll import bukti_potong, ptkp_years, rules, ytd_import
from tests.services.payroll.test_payroll_services import final_run
from tests.web.payroll.test_payroll_documents import pdf_text
from tests.web.payroll.test_payroll_flow import as_user

ROLES = ("u_staff", "u_kasi", "u_other", "u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin")
HR = {"u_hr", "u_admin"}
HR_OPERATOR = HR | {"u_operator"}


@pytest.fixture
def pay(org_chart):
    rules.seed_rules()
    ns = org_chart
    ns.people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other]
    for e in ns.people:
        e.ptkp_status = "TK/0"
        for m in (11, 12):
            db.session.add(PayrollPredikat(employee_id=e.id, month=date(2026, m, 1), predikat="baik", source="uji"))
    db.session.add(
        Letterhead(unit_id=ns.opd.id, pemda_name="Pemerintah Kabupaten Uji", opd_name="BPKAD", address="Jl. Uji 1")
    )
    db.session.add(
        SignerConfig(
            unit_id=ns.opd.id,
            doc_type=DocType.SLIP_GAJI,
            jabatan="Bendahara Pengeluaran",
            name="Siti Rahmawati, S.E.",
            nip="198203152006042001",
            pangkat="Penata Tingkat I",
            place="Kotabumi",
        )
    )
    db.session.commit()
    ptkp_years.open_year(2026, ns.u_hr)
    db.session.commit()
    return ns


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/gaji/ptkp", HR),
        ("/gaji/ptkp?tahun=2026&tertunda=1", HR),
        ("/gaji/impor-ytd", HR_OPERATOR),
        ("/gaji/bukti-potong", HR_OPERATOR),
        ("/gaji/bukti-potong/2026/ebupot.xml", HR_OPERATOR),
    ],
)
def test_tax_year_pages_by_role(app, pay, path, allowed):
    for role in ROLES:
        resp = as_user(app, getattr(pay, role)).get(path)
        assert resp.status_code == (200 if role in allowed else 403), (role, path)
    assert app.test_client().get(path).status_code == 302  # anonymous: to the login page


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/gaji/ptkp/buka", HR),
        ("/gaji/ptkp/{row}/konfirmasi", HR),
        ("/gaji/ptkp/{row}/ubah", HR),
        ("/gaji/impor-ytd/pratinjau", HR_OPERATOR),
        ("/gaji/impor-ytd/simpan", HR_OPERATOR),
        ("/gaji/bukti-potong/terbitkan", HR_OPERATOR),
        ("/gaji/bukti-potong/terbitkan-semua", HR_OPERATOR),
    ],
)
def test_tax_year_actions_are_refused_to_other_roles(app, pay, url, allowed):
    row = ptkp_years.row_for(pay.staff1.id, 2026)
    for role in ROLES:
        if role in allowed:
            continue
        resp = as_user(app, getattr(pay, role)).post(url.format(row=row.id), data={"tahun": 2026})
        assert resp.status_code == 403, (role, url)
    # a form target reloaded (GET) leads to its page
    assert as_user(app, pay.u_hr).get(url.format(row=row.id)).status_code == 303


def test_changed_ids_in_urls_are_404(app, pay):
    hr = as_user(app, pay.u_hr)
    assert hr.post("/gaji/ptkp/999999/konfirmasi").status_code == 404
    assert hr.post("/gaji/ptkp/999999/ubah", data={"status": "TK/0", "reason": "x"}).status_code == 404
    assert hr.get("/gaji/bukti-potong/2026/pegawai/999999.pdf").status_code == 404
    # not issued yet: nobody gets a PDF; another employee's is 404 for a pegawai
    assert as_user(app, pay.u_staff).get(f"/gaji/bukti-potong/2026/pegawai/{pay.staff1.id}.pdf").status_code == 404
    assert as_user(app, pay.u_staff).get(f"/gaji/bukti-potong/2026/pegawai/{pay.kasi.id}.pdf").status_code == 404


def test_hr_override_that_contradicts_the_family_data_is_refused_at_the_field_and_kept_typed(app, pay):
    row = ptkp_years.row_for(pay.staff1.id, 2026)
    hr = as_user(app, pay.u_hr)
    resp = hr.post(f"/gaji/ptkp/{row.id}/ubah", data={"status": "K/1", "reason": "Menikah"})
    assert resp.status_code == 422
    assert "memerlukan suami/istri" in resp.text and 'value="Menikah"' in resp.text
    db.session.refresh(row)
    assert row.status == "TK/0"
    pay.staff1.family.append(
        FamilyMember(relation=FamilyRelation.ISTRI, name="Istri", tanggungan_sejak=date(2025, 6, 1))
    )
    db.session.commit()
    resp = hr.post(f"/gaji/ptkp/{row.id}/ubah", data={"status": "K/0", "reason": "Akta nikah 2025 baru diserahkan"})
    assert resp.status_code == 303
    db.session.refresh(row)
    assert row.status == "K/0" and row.source.value == "koreksi"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.entity == "payroll_ptkp_year", AuditLog.action == "update")
        )
        >= 1
    )


def test_pending_changes_list_and_confirm(app, pay):
    pay.kasi.family.append(FamilyMember(relation=FamilyRelation.ISTRI, name="Istri", tanggungan_sejak=date(2026, 7, 4)))
    db.session.commit()
    hr = as_user(app, pay.u_hr)
    assert hr.post("/gaji/ptkp/buka", data={"tahun": 2027}).status_code == 303
    page = hr.get("/gaji/ptkp?tahun=2027&tertunda=1").text
    assert "Kasi Uji" in page and "Staf Satu" not in page and "K/0" in page
    row = ptkp_years.row_for(pay.kasi.id, 2027)
    assert hr.post(f"/gaji/ptkp/{row.id}/konfirmasi").status_code == 303
    db.session.refresh(row)
    assert not row.pending


def test_ytd_preview_shows_row_errors_then_confirm_saves_all(app, pay):
    op = as_user(app, pay.u_operator)
    bad = ytd_import.workbook([[pay.staff1.nip, 2026, 1, 6, "10.000.000", 0, 0], ["123", 2026, 1, 6, 1, 0, 0]])
    resp = op.post("/gaji/impor-ytd/pratinjau", data={"file": (io.BytesIO(bad), "ytd.xlsx")})
    assert (
        resp.status_code == 422
        and "NIP 123 tidak dikenal" in resp.text
        and "Simpan" not in resp.text.split("Data yang")[0].split("Pratinjau ytd")[-1]
    )
    good = ytd_import.workbook([[pay.staff1.nip, 2026, 1, 6, "10.000.000", "400.000", "150.000"]])
    resp = op.post("/gaji/impor-ytd/pratinjau", data={"file": (io.BytesIO(good), "ytd.xlsx")})
    assert resp.status_code == 200 and "Simpan 1 baris" in resp.text
    assert db.session.scalar(select(func.count()).select_from(YtdEntry)) == 0  # preview writes nothing
    import base64

    payload = base64.b64encode(good).decode()
    assert op.post("/gaji/impor-ytd/simpan", data={"filename": "ytd.xlsx", "payload": payload}).status_code == 303
    assert op.post("/gaji/impor-ytd/simpan", data={"filename": "ytd.xlsx", "payload": payload}).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(YtdEntry)) == 1
    assert op.post("/gaji/impor-ytd/simpan", data={"filename": "x", "payload": "%%%"}).status_code == 422
    assert op.post("/gaji/impor-ytd/pratinjau", data={"file": (io.BytesIO(b"x"), "a.pdf")}).status_code == 422


def test_bukti_potong_is_issued_once_as_a_verifiable_pdf_and_exported(app, pay):
    final_run(pay, date(2026, 11, 1))
    final_run(pay, date(2026, 12, 1))
    op = as_user(app, pay.u_operator)
    page = op.get("/gaji/bukti-potong?tahun=2026").text
    assert "BPA2" in page and "PER-11/PJ/2025" in page
    data = {"tahun": 2026, "employee_id": pay.staff1.id, "unit_id": pay.opd.id}
    assert op.post("/gaji/bukti-potong/terbitkan", data=data).status_code == 303
    assert op.post("/gaji/bukti-potong/terbitkan", data=data).status_code == 303
    docs = list(db.session.scalars(select(IssuedDocument).where(IssuedDocument.doc_type == DocType.BUKTI_POTONG)))
    assert len(docs) == 1
    f = bukti_potong.annual_figures(pay.staff1, 2026)
    assert f["bruto"] == sum(r["amount"] for r in f["rows"])
    assert f["pph_dipotong"] == f["pph_terutang"]  # December's true-up settled the year
    pdf = as_user(app, pay.u_staff).get(f"/gaji/bukti-potong/2026/pegawai/{pay.staff1.id}.pdf")
    assert pdf.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "unduh_bukti_potong"))
    text = pdf_text(pdf.data)
    assert "BPA2" in text and "Staf Satu" in text
    assert as_user(app, pay.u_other).get(f"/gaji/bukti-potong/2026/pegawai/{pay.staff1.id}.pdf").status_code == 404
    assert app.test_client().get(f"/verifikasi/{docs[0].verification_code}").status_code == 200
    xml = op.get("/gaji/bukti-potong/2026/ebupot.xml")
    assert xml.status_code == 200 and xml.data.count(b"<A2>") == 6
    assert f"<CounterpartNIP>{pay.staff1.nip}</CounterpartNIP>".encode() in xml.data
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "ekspor_bukti_potong"))


def test_bukti_potong_before_december_is_final_is_refused_in_indonesian(app, pay):
    final_run(pay, date(2026, 11, 1))
    op = as_user(app, pay.u_operator)
    data = {"tahun": 2026, "employee_id": pay.staff1.id, "unit_id": pay.opd.id}
    resp = op.post("/gaji/bukti-potong/terbitkan", data=data)
    assert resp.status_code == 422 and "setelah gaji Desember 2026" in resp.text


def test_explanation_page_names_the_tax_years_status(app, pay):
    run = final_run(pay, date(2026, 11, 1))
    assert ptkp_years.row_for(pay.staff1.id, 2026) is not None
    body = as_user(app, pay.u_staff).get(f"/gaji/run/{run.id}/pegawai/{pay.staff1.id}").text
    assert "status PTKP TK/0 untuk tahun pajak 2026" in body
    assert db.session.scalar(select(func.count()).select_from(PtkpYear).where(PtkpYear.tahun == 2026)) == 6


def test_all_bukti_potong_of_the_year_are_issued_by_the_documents_batch_once(app, pay):
    final_run(pay, date(2026, 12, 1))
    op = as_user(app, pay.u_operator)
    assert (
        op.post(
            "/gaji/bukti-potong/terbitkan", data={"tahun": 2026, "employee_id": pay.staff1.id, "unit_id": pay.opd.id}
        ).status_code
        == 303
    )
    resp = op.post("/gaji/bukti-potong/terbitkan-semua", data={"tahun": 2026, "unit_id": pay.opd.id})
    assert resp.status_code == 303
    docs = list(db.session.scalars(select(IssuedDocument).where(IssuedDocument.doc_type == DocType.BUKTI_POTONG)))
    assert len(docs) == 6 and len({d.idempotency_key for d in docs}) == 6
    resp = op.post("/gaji/bukti-potong/terbitkan-semua", data={"tahun": 2026, "unit_id": pay.opd.id})
    assert resp.status_code == 422 and "Tidak ada bukti potong tahun 2026 yang perlu diterbitkan" in resp.text
    assert as_user(app, pay.u_staff).post("/gaji/bukti-potong/terbitkan-semua", data={"tahun": 2026}).status_code == 403


def test_flask_payroll_ptkp_tahun_opens_a_year_from_the_command_line(app, pay):
    out = app.test_cli_runner().invoke(args=["payroll", "ptkp-tahun", "2027"])
    assert out.exit_code == 0, out.output
    assert "6 status PTKP tahun 2027 dibuat; 0 perubahan menunggu konfirmasi HR." in out.output
    out = app.test_cli_runner().invoke(args=["payroll", "ptkp-tahun", "1900"])
    assert out.exit_code != 0 and "antara 2000 dan 2100" in out.output
