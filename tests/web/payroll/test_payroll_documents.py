"""Payroll outputs as official documents (issue 7 item 8): slip gaji batch, daftar gaji per OPD, access."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from kinerja_web.domain.documents import DocStatus, DocType
from kinerja_web.extensions import db
from kinerja_web.jinja import rupiah
from kinerja_web.models import (
    IssuedDocument,
    Job,
    Letterhead,
    NumberRegister,
    PayrollPredikat,
    PayrollRunEmployee,
    RunKind,
    SignerConfig,
)
from kinerja_web.services.documents import issuing as docs
from kinerja_web.services.payroll import attendance, compute, outputs, rules, runs
from kinerja_web.services.payroll import documents as paydocs
from tests.web.payroll.test_payroll_flow import as_user

OCT = date(2026, 10, 1)
PATTERNS = {
    DocType.SLIP_GAJI: "900.1.15.1/{nomor}/{kode_unit}/{tahun}",
    DocType.DAFTAR_GAJI: "900.1.15/{nomor}/{kode_unit}/{tahun}",
}


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def computed(org_chart):
    return compute_october(org_chart)


def compute_october(ns):
    """Payroll rules, kop/signer/register for slips and daftar gaji, and a computed October run (`ns.run`)."""
    rules.seed_rules()
    for e in (ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other):
        e.ptkp_status = "TK/0"
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat="baik", source="uji"))
    opd = ns.opd
    db.session.add(
        Letterhead(
            unit_id=opd.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name="Badan Pengelolaan Keuangan dan Aset Daerah",
            address="Jalan Jenderal Sudirman Nomor 2, Kotabumi, Lampung Utara 34511",
        )
    )
    for t, pattern in PATTERNS.items():
        db.session.add(
            SignerConfig(
                unit_id=opd.id,
                doc_type=t,
                jabatan="Bendahara Pengeluaran",
                name="Siti Rahmawati, S.E.",
                nip="198203152006042001",
                pangkat="Penata Tingkat I",
                place="Kotabumi",
            )
        )
        db.session.add(NumberRegister(unit_id=opd.id, doc_type=t, year=2026, pattern=pattern, kode_unit="BPKAD"))
    db.session.commit()
    ns.run = runs.create_run(OCT, None, ns.u_operator)
    compute.compute_run(ns.run, ns.u_operator)
    db.session.commit()
    return ns


def finalise(ns):
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(ns.run, step, who)
    db.session.commit()


def issue_slips(app, ns, client=None):
    c = client or as_user(app, ns.u_operator)
    return c.post(f"/gaji/run/{ns.run.id}/slip/terbitkan", data={"unit_id": ns.opd.id})


def slip_docs():
    return list(db.session.scalars(select(IssuedDocument).where(IssuedDocument.doc_type == DocType.SLIP_GAJI)))


def test_issuing_slips_before_the_run_is_final_is_refused_in_indonesian(app, computed):
    c = as_user(app, computed.u_operator)
    resp = issue_slips(app, computed, c)
    assert resp.status_code == 303
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "hanya dapat diterbitkan setelah proses penggajian berstatus final" in page
    assert slip_docs() == []


def test_daftar_gaji_pdf_before_final_is_refused_in_indonesian(app, computed):
    c = as_user(app, computed.u_operator)
    resp = c.post(f"/gaji/run/{computed.run.id}/daftar/terbitkan", data={"unit_id": computed.opd.id, "opd_id": 1})
    assert resp.status_code == 303
    assert "berstatus final" in c.get(resp.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 0


def test_slip_batch_issues_one_pdf_per_employee_with_name_nip_and_netto(app, computed):
    finalise(computed)
    resp = issue_slips(app, computed)
    assert resp.status_code == 303 and "job=" in resp.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    n = db.session.scalar(select(func.count()).where(PayrollRunEmployee.run_id == computed.run.id))
    assert job.result["issued"] == n and job.result["failures"] == []
    re_ = db.session.scalar(
        select(PayrollRunEmployee).where(
            PayrollRunEmployee.run_id == computed.run.id, PayrollRunEmployee.employee_id == computed.staff1.id
        )
    )
    doc = paydocs.slip_document(computed.run.id, computed.staff1.id)
    text = pdf_text(db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id)))
    assert computed.staff1.full_name in text
    assert computed.staff1.nip in text.replace(" ", "")
    assert rupiah(re_.netto) in text and rupiah(re_.netto).startswith("Rp ")
    assert "SLIP GAJI" in text and "OKTOBER 2026" in text.upper() and doc.number in text


def test_rerunning_the_slip_batch_issues_nothing_twice(app, computed):
    finalise(computed)
    issue_slips(app, computed)
    first = len(slip_docs())
    issue_slips(app, computed)
    assert len(slip_docs()) == first
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.result["issued"] == first  # the earlier slips are adopted, not re-issued


def test_slip_verification_page_shows_valid(app, client, computed):
    finalise(computed)
    issue_slips(app, computed)
    doc = paydocs.slip_document(computed.run.id, computed.staff1.id)
    page = client.get(f"/verifikasi/{doc.verification_code}").get_data(as_text=True)
    assert "SAH" in page and doc.number in page


def test_employee_downloads_own_slip_from_gaji_saya(app, computed):
    finalise(computed)
    issue_slips(app, computed)
    c = as_user(app, computed.u_staff)
    page = c.get("/gaji/saya").get_data(as_text=True)
    url = f"/gaji/run/{computed.run.id}/pegawai/{computed.staff1.id}/slip.pdf"
    assert url in page
    resp = c.get(url)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    doc = paydocs.slip_document(computed.run.id, computed.staff1.id)
    assert resp.headers["X-Content-SHA256"] == doc.sha256
    assert url in c.get(f"/gaji/run/{computed.run.id}/pegawai/{computed.staff1.id}").get_data(as_text=True)


def test_slip_pdf_access_matrix(app, computed):
    finalise(computed)
    issue_slips(app, computed)
    ns = computed
    own = f"/gaji/run/{ns.run.id}/pegawai/{ns.staff1.id}/slip.pdf"
    expected = {
        "u_staff": 200,  # own slip
        "u_kasi": 404,  # the atasan does not see pay
        "u_other": 404,
        "u_hr": 200,
        "u_operator": 200,
        "u_verifikator": 200,
        "u_pejabat": 200,
    }
    for role, status in expected.items():
        assert as_user(app, getattr(ns, role)).get(own).status_code == status, role


def test_slip_pdf_of_a_non_final_run_is_404_for_the_employee(app, computed):
    url = f"/gaji/run/{computed.run.id}/pegawai/{computed.staff1.id}/slip.pdf"
    assert as_user(app, computed.u_staff).get(url).status_code == 404


def test_daftar_gaji_pdf_per_opd_is_landscape_with_totals_and_three_officers(app, computed):
    finalise(computed)
    ns = computed
    opd_id = outputs.recap(ns.run)[0]["opd_id"]
    c = as_user(app, ns.u_operator)
    resp = c.post(f"/gaji/run/{ns.run.id}/daftar/terbitkan", data={"unit_id": ns.opd.id, "opd_id": opd_id})
    assert resp.status_code == 303
    doc = paydocs.daftar_document(ns.run.id, opd_id)
    assert doc is not None and doc.status == DocStatus.VALID
    data = c.get(f"/gaji/run/{ns.run.id}/daftar/{opd_id}.pdf").data
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = pdf_text(data)
    assert "DAFTAR GAJI" in text and "JUMLAH" in text
    for user in (ns.u_operator, ns.u_verifikator, ns.u_pejabat):
        assert user.display_name in text
    total = outputs.recap(ns.run)[0]["netto"]
    assert rupiah(total) in text
    # issuing again returns the same document
    c.post(f"/gaji/run/{ns.run.id}/daftar/terbitkan", data={"unit_id": ns.opd.id, "opd_id": opd_id})
    assert db.session.scalar(select(func.count()).where(IssuedDocument.doc_type == DocType.DAFTAR_GAJI)) == 1


@pytest.mark.parametrize(
    ("role", "issue_status", "download_status"),
    [
        ("u_staff", 403, 403),
        ("u_kasi", 403, 403),
        ("u_verifikator", 403, 200),
        ("u_pejabat", 403, 200),
        ("u_hr", 303, 200),
        ("u_operator", 303, 200),
    ],
)
def test_daftar_gaji_pdf_access_matrix(app, computed, role, issue_status, download_status):
    finalise(computed)
    ns = computed
    opd_id = outputs.recap(ns.run)[0]["opd_id"]
    paydocs.issue_daftar(ns.run, opd_id, ns.opd.id, date(2026, 11, 2), ns.u_operator.id, "http://kinerja.lan")
    db.session.commit()
    c = as_user(app, getattr(ns, role))
    assert c.get(f"/gaji/run/{ns.run.id}/daftar/{opd_id}.pdf").status_code == download_status
    form = {"unit_id": ns.opd.id, "opd_id": opd_id}
    assert c.post(f"/gaji/run/{ns.run.id}/daftar/terbitkan", data=form).status_code == issue_status
    assert c.post(f"/gaji/run/{ns.run.id}/slip/terbitkan", data={"unit_id": ns.opd.id}).status_code == (
        403 if issue_status == 403 else 303
    )


NAMES = (
    "Ahmad Rifai",
    "Budi Santoso",
    "Citra Lestari",
    "Dewi Anggraini",
    "Eko Prasetyo",
    "Fitri Handayani",
    "Gunawan Saputra",
    "Hendra Wijaya",
    "Indah Permatasari",
    "Joko Susilo",
    "Kurniawati",
    "Lukman Hakim",
    "Maya Sari",
    "Nurul Hidayah",
    "Oktaviani",
    "Putri Ramadhani",
    "Rahmat Hidayat",
    "Sri Wahyuni",
    "Taufik Ismail",
    "Umi Kalsum",
    "Wahyu Nugroho",
    "Yuliana",
    "Zainal Arifin",
    "Agus Salim",
    "Bambang Sutrisno",
    "Cahya Purnama",
    "Dian Novitasari",
    "Fajar Sidik",
    "Hesti Rahayu",
    "Irwan Setiawan",
)


def test_render_samples_for_visual_check(app, computed, make_employee):
    """Writes a slip and a multi-page daftar gaji to /tmp/kinerja-payroll-samples (pdftoppm); asserts PDFs."""
    import os

    ns = computed
    db.session.delete(ns.run)
    db.session.commit()
    gol = ("III/a", "III/b", "III/c", "III/d", "IV/a", "II/d")
    for i, name in enumerate(NAMES):
        e = make_employee(
            name,
            golongan=gol[i % len(gol)],
            position=ns.p_staff2,
            ptkp_status=("K/1", "TK/0")[i % 2],
            mkg_years=4 + i % 9,
        )
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat="baik", source="uji"))
    db.session.commit()
    ns.run = runs.create_run(OCT, [ns.opd.id], ns.u_operator)
    compute.compute_run(ns.run, ns.u_operator)
    db.session.commit()
    finalise(ns)
    out = "/tmp/kinerja-payroll-samples"
    os.makedirs(out, exist_ok=True)
    slip = docs.issue(
        DocType.SLIP_GAJI,
        unit_id=ns.opd.id,
        subjects=[ns.staff1],
        params={"run_id": ns.run.id},
        issued_on=date(2026, 11, 2),
        user_id=ns.u_operator.id,
        base_url="http://kinerja.lan",
    )
    daftar, _ = paydocs.issue_daftar(
        ns.run, ns.opd.id, ns.opd.id, date(2026, 11, 2), ns.u_operator.id, "http://kinerja.lan"
    )
    db.session.commit()
    for name, d in (("slip", slip), ("daftar", daftar)):
        data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == d.id))
        with open(f"{out}/{name}.pdf", "wb") as fh:
            fh.write(data)
        assert data.startswith(b"%PDF")
    assert daftar.page_count >= 2


def test_compensating_run_slips_replace_the_original_slips_of_affected_employees(app, client, computed):
    ns = computed
    finalise(ns)
    issue_slips(app, ns)
    original_run = ns.run
    before = db.session.scalar(
        select(PayrollRunEmployee.netto).where(
            PayrollRunEmployee.run_id == original_run.id, PayrollRunEmployee.employee_id == ns.staff1.id
        )
    )
    attendance.correct_attendance(ns.staff1, date(2026, 10, 6), 0, 0, "TK", None, "Absen tidak tercatat di mesin")
    db.session.commit()
    comp = runs.create_run(
        OCT, None, ns.u_operator, RunKind.COMPENSATING, original=original_run, reason="Koreksi kehadiran"
    )
    compute.compute_run(comp, ns.u_operator)
    db.session.commit()
    ns.run = comp
    finalise(ns)
    assert paydocs.slip_subject_ids(comp) == [ns.staff1.id]  # only the employee whose pay changed
    issue_slips(app, ns)
    c = as_user(app, ns.u_operator)
    assert c.post(f"/gaji/run/{comp.id}/slip/gantikan").status_code == 303
    old = paydocs.slip_document(original_run.id, ns.staff1.id)
    new = paydocs.slip_document(comp.id, ns.staff1.id)
    assert old.status == DocStatus.REVOKED and old.replaced_by_id == new.id
    assert paydocs.slip_document(original_run.id, ns.staff2.id).status == DocStatus.VALID
    delta = db.session.scalar(
        select(PayrollRunEmployee.netto).where(
            PayrollRunEmployee.run_id == comp.id, PayrollRunEmployee.employee_id == ns.staff1.id
        )
    )
    assert delta < 0  # 3% of the TPP disiplin part taken back
    text = pdf_text(db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == new.id)))
    assert "PENGGANTI" in text and rupiah(before + delta) in text
    page = client.get(f"/verifikasi/{old.verification_code}").get_data(as_text=True)
    assert "DICABUT" in page and new.number in page
