"""SKP PDF through the documents service: content, verification, replacement by a new version, access."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from kinerja_web.domain.documents import DocStatus, DocType
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import IssuedDocument, NumberEntry, NumberRegister, Skp

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import PDF_BYTES, make_skp


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _approve(app, org_chart, skp: Skp) -> Skp:
    """Submitted → approved by the kasi over HTTP, so the people are frozen as in production."""
    skp.status, skp.appraiser_id = SkpStatus.SUBMITTED, org_chart.kasi.id
    db.session.commit()
    r = app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/setujui")
    assert r.status_code == 303
    db.session.refresh(skp)
    assert skp.status == SkpStatus.APPROVED
    return skp


@pytest.fixture
def staff_skp(app, org_chart, period, kasi_skp):
    skp = make_skp(
        org_chart.staff1,
        period,
        rhks=(("Surat masuk teragenda tepat waktu", kasi_skp.rhks[0]), ("Arsip tertata", kasi_skp.rhks[1])),
    )
    skp.dukungan_sumber_daya = "Aplikasi persuratan dan pemindai"
    skp.konsekuensi = "Penghargaan bila melampaui target"
    return _approve(app, org_chart, skp)


def _issue(app, user, skp: Skp):
    return app.test_client(user=user).post(f"/skp/{skp.id}/terbitkan-pdf")


def _docs(skp: Skp) -> list[IssuedDocument]:
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.doc_type == DocType.SKP, IssuedDocument.employee_id == skp.employee_id)
            .order_by(IssuedDocument.id)
        )
    )


def test_owner_issues_skp_pdf_with_rhk_names_and_nip(app, org_chart, staff_skp):
    r = _issue(app, org_chart.u_staff, staff_skp)
    assert r.status_code == 303
    (doc,) = _docs(staff_skp)
    assert doc.status == DocStatus.VALID and doc.number is None and doc.number_entry_id is None
    data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        "SASARAN KINERJA PEGAWAI",
        "Surat masuk teragenda tepat waktu",
        "Terlaksananya layanan administrasi",  # the atasan's RHK it intervenes
        "Staf Satu",
        "Kasi Uji",
        "Berorientasi Pelayanan",
        "Aplikasi persuratan dan pemindai",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        doc.code_display,
    ):
        assert expected in text, expected
    nip = org_chart.staff1.nip
    assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in text
    assert doc.signer_name == "Kasi Uji" and doc.subject_nip == nip


def test_issuing_twice_returns_the_same_document(app, org_chart, staff_skp):
    assert _issue(app, org_chart.u_staff, staff_skp).status_code == 303
    assert _issue(app, org_chart.u_kasi, staff_skp).status_code == 303
    assert len(_docs(staff_skp)) == 1


def test_verification_page_shows_the_skp_pdf_valid(app, client, org_chart, staff_skp):
    _issue(app, org_chart.u_staff, staff_skp)
    (doc,) = _docs(staff_skp)
    page = client.get(f"/verifikasi/{doc.verification_code}").get_data(as_text=True)
    assert "SAH" in page and "Sasaran Kinerja Pegawai" in page and "Tanpa nomor" in page
    assert "Kasi Uji" in page


def test_new_version_approval_revokes_the_old_pdf_with_the_replacement(app, client, org_chart, staff_skp):
    _issue(app, org_chart.u_staff, staff_skp)
    staff = app.test_client(user=org_chart.u_staff)
    r = staff.post(f"/skp/{staff_skp.id}/versi-baru", data={"reason": "Tambah RHK dari rapat kerja"})
    assert r.status_code == 303
    v2 = db.session.scalars(select(Skp).where(Skp.previous_id == staff_skp.id)).one()
    _approve(app, org_chart, v2)
    old, new = _docs(staff_skp)
    assert old.status == DocStatus.REVOKED and old.replaced_by_id == new.id and new.is_valid
    assert new.context["body"]["versi"] == 2
    page = client.get(f"/verifikasi/{old.verification_code}").get_data(as_text=True)
    assert "DICABUT" in page and f"/verifikasi/{new.verification_code}" in page
    listing = staff.get(f"/skp/{v2.id}").get_data(as_text=True)
    assert new.code_display in listing and old.code_display in listing and "Dicabut" in listing


def test_new_version_without_an_earlier_pdf_issues_nothing(app, org_chart, staff_skp):
    staff = app.test_client(user=org_chart.u_staff)
    staff.post(f"/skp/{staff_skp.id}/versi-baru", data={"reason": "Perubahan target"})
    v2 = db.session.scalars(select(Skp).where(Skp.previous_id == staff_skp.id)).one()
    _approve(app, org_chart, v2)
    assert _docs(staff_skp) == []


def test_draft_skp_cannot_be_issued(app, org_chart, period):
    draft = make_skp(org_chart.staff1, period)
    assert _issue(app, org_chart.u_staff, draft).status_code == 403
    assert _docs(draft) == []


def test_opd_with_an_skp_register_numbers_it_gap_free(app, org_chart, staff_skp):
    db.session.add(
        NumberRegister(
            unit_id=org_chart.opd.id, doc_type=DocType.SKP, year=2026, pattern="800/{nomor}/SKP/{tahun}", kode_unit="X"
        )
    )
    db.session.commit()
    r = app.test_client(user=org_chart.u_staff).post(f"/skp/{staff_skp.id}/terbitkan-pdf")
    assert r.status_code == 303
    (doc,) = _docs(staff_skp)
    assert doc.number and doc.number.startswith("800/1/SKP/")
    assert db.session.scalar(select(func.count(NumberEntry.id))) == 1


def test_names_with_html_are_escaped_in_the_pdf(app, org_chart, period, kasi_skp):
    from kinerja_web import pdf

    skp = make_skp(org_chart.staff1, period, rhks=(("<b>Laporan</b> & <script>x</script>", kasi_skp.rhks[0]),))
    skp = _approve(app, org_chart, skp)
    _issue(app, org_chart.u_staff, skp)
    (doc,) = _docs(skp)
    html = pdf.render_html("skp/pdf/skp.html", doc=doc.context, body=doc.context["body"], qr="", code_display="X")
    assert "&lt;b&gt;Laporan&lt;/b&gt; &amp; &lt;script&gt;" in html and "<script>" not in html
    data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))
    assert "<b>Laporan</b> & <script>x</script>" in pdf_text(data)


def test_download_streams_the_stored_bytes(app, org_chart, staff_skp):
    _issue(app, org_chart.u_staff, staff_skp)
    (doc,) = _docs(staff_skp)
    r = app.test_client(user=org_chart.u_kasi).get(f"/skp/{staff_skp.id}/dokumen/{doc.id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["X-Content-SHA256"] == doc.sha256
    if os.environ.get("KINERJA_SAMPLE_DIR"):  # visual check: pdftoppm -png on this file
        with open(os.path.join(os.environ["KINERJA_SAMPLE_DIR"], "skp.pdf"), "wb") as fh:
            fh.write(r.data)


@pytest.mark.parametrize(
    ("who", "issue", "download"),
    [
        ("u_staff", 303, 200),  # the pegawai
        ("u_kasi", 303, 200),  # the pejabat penilai
        ("u_hr", 303, 200),
        ("u_admin", 303, 200),
        ("u_kabid", 403, 403),  # a superior up the chain reads the SKP but does not issue or download
        ("u_other", 404, 404),  # another pegawai: the SKP's existence is private
        ("u_staff2", 404, 404),  # a colleague under the same kasi
        ("u_operator", 404, 404),  # finance
        ("anon", 302, 302),
    ],
)
def test_access_matrix_for_skp_documents(app, org_chart, staff_skp, who, issue, download, request):
    _issue(app, org_chart.u_staff, staff_skp)
    (doc,) = _docs(staff_skp)
    if who == "anon":
        client = app.test_client()
    elif who in ("u_kabid", "u_staff2"):
        client = app.test_client(user=request.getfixturevalue(who))
    else:
        client = app.test_client(user=getattr(org_chart, who))
    assert client.get(f"/skp/{staff_skp.id}/dokumen/{doc.id}.pdf").status_code == download
    assert client.post(f"/skp/{staff_skp.id}/terbitkan-pdf").status_code == issue


def test_document_of_another_skp_is_404_under_this_skp_url(app, org_chart, staff_skp, kasi_skp):
    _issue(app, org_chart.u_staff, staff_skp)
    (doc,) = _docs(staff_skp)
    r = app.test_client(user=org_chart.u_kasi).get(f"/skp/{kasi_skp.id}/dokumen/{doc.id}.pdf")
    assert r.status_code == 404


def _report(skp: Skp) -> list[IssuedDocument]:
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.doc_type == DocType.REALISASI_SKP, IssuedDocument.employee_id == skp.employee_id)
            .order_by(IssuedDocument.id)
        )
    )


def _report_realisasi(app, org_chart, skp: Skp, nilai: str) -> None:
    iki = skp.rhks[0].indikators[0]
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{skp.id}/realisasi?periode=1",
        data={
            "indikator_id": iki.id,
            f"nilai-{iki.id}": nilai,
            f"keterangan-{iki.id}": "Agenda triwulan I",
            f"bukti-{iki.id}": (io.BytesIO(PDF_BYTES), "agenda.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 303, r.get_data(as_text=True)


def test_realisasi_report_lists_target_realisasi_evidence_and_feedback(app, client, org_chart, staff_skp):
    _report_realisasi(app, org_chart, staff_skp, "410")
    kasi = app.test_client(user=org_chart.u_kasi)
    rhk = staff_skp.rhks[0]
    kasi.post(f"/skp/{staff_skp.id}/umpan-balik", data={"target": f"rhk-{rhk.id}", "body": "Agenda rapi, lanjutkan."})
    kasi.post(f"/skp/{staff_skp.id}/umpan-balik", data={"target": "nilai-Akuntabel", "body": "Tepat waktu."})
    r = kasi.post(f"/skp/{staff_skp.id}/realisasi/terbitkan-pdf?periode=1")
    assert r.status_code == 303
    (doc,) = _report(staff_skp)
    data = db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))
    text = pdf_text(data)
    for expected in (
        "DOKUMEN REALISASI KINERJA PEGAWAI",
        "TRIWULAN I",
        "Surat masuk teragenda tepat waktu",
        "410 dokumen",
        "1 berkas",
        "Agenda rapi, lanjutkan.",
        "Tepat waktu.",
        "Staf Satu",
        "belum dilaporkan",
    ):
        assert expected in text, expected
    page = client.get(f"/verifikasi/{doc.verification_code}").get_data(as_text=True)
    assert "SAH" in page and "Dokumen Realisasi Kinerja Periodik" in page
    if os.environ.get("KINERJA_SAMPLE_DIR"):
        with open(os.path.join(os.environ["KINERJA_SAMPLE_DIR"], "realisasi.pdf"), "wb") as fh:
            fh.write(data)


def test_realisasi_report_is_reissued_only_when_data_changed(app, org_chart, staff_skp):
    staff = app.test_client(user=org_chart.u_staff)
    _report_realisasi(app, org_chart, staff_skp, "410")
    staff.post(f"/skp/{staff_skp.id}/realisasi/terbitkan-pdf?periode=1")
    staff.post(f"/skp/{staff_skp.id}/realisasi/terbitkan-pdf?periode=1")
    assert len(_report(staff_skp)) == 1
    _report_realisasi(app, org_chart, staff_skp, "450")
    staff.post(f"/skp/{staff_skp.id}/realisasi/terbitkan-pdf?periode=1")
    old, new = _report(staff_skp)
    assert old.status == DocStatus.REVOKED and old.replaced_by_id == new.id and new.is_valid
    page = staff.get(f"/skp/{staff_skp.id}/realisasi?periode=1").get_data(as_text=True)
    assert new.code_display in page and old.code_display in page


@pytest.mark.parametrize(("who", "expected"), [("u_kabid", 403), ("u_staff2", 404), ("u_other", 404)])
def test_realisasi_report_access(app, org_chart, staff_skp, who, expected, request):
    user = request.getfixturevalue(who) if who in ("u_kabid", "u_staff2") else getattr(org_chart, who)
    r = app.test_client(user=user).post(f"/skp/{staff_skp.id}/realisasi/terbitkan-pdf?periode=1")
    assert r.status_code == expected
    assert _report(staff_skp) == []


def test_realisasi_report_for_an_unknown_window_is_404(app, org_chart, staff_skp):
    r = app.test_client(user=org_chart.u_staff).post(f"/skp/{staff_skp.id}/realisasi/terbitkan-pdf?periode=9")
    assert r.status_code == 404


def test_a_racing_second_click_issues_no_second_document(app, org_chart, staff_skp, monkeypatch):
    from kinerja_web.services.skp import documents as skp_documents

    _issue(app, org_chart.u_staff, staff_skp)
    # The second request did not see the first one's document yet: it computes the same idempotency key.
    monkeypatch.setattr(skp_documents, "valid_document_of", lambda skp, documents=None: None)
    monkeypatch.setattr(skp_documents, "skp_documents", lambda skp: [])
    r = _issue(app, org_chart.u_kasi, staff_skp)
    assert r.status_code == 303
    assert len(_docs(staff_skp)) == 1


def test_issue_button_is_offered_until_this_version_has_a_pdf(app, org_chart, staff_skp):
    staff = app.test_client(user=org_chart.u_staff)
    assert "Terbitkan PDF SKP" in staff.get(f"/skp/{staff_skp.id}").get_data(as_text=True)
    _issue(app, org_chart.u_staff, staff_skp)
    page = staff.get(f"/skp/{staff_skp.id}").get_data(as_text=True)
    assert "Terbitkan PDF SKP" not in page and "Unduh PDF" in page


def test_new_version_is_approved_even_if_its_pdf_cannot_be_issued(app, org_chart, staff_skp, monkeypatch):
    from kinerja_web.domain import DomainError
    from kinerja_web.services.skp import documents as skp_documents

    _issue(app, org_chart.u_staff, staff_skp)
    staff = app.test_client(user=org_chart.u_staff)
    staff.post(f"/skp/{staff_skp.id}/versi-baru", data={"reason": "Perubahan target"})
    v2 = db.session.scalars(select(Skp).where(Skp.previous_id == staff_skp.id)).one()

    def refuse(*args, **kwargs):
        raise DomainError("Unit kerja pegawai belum diisi; PDF SKP tidak dapat diterbitkan.")

    monkeypatch.setattr(skp_documents, "_opd_of", refuse)
    _approve(app, org_chart, v2)
    (old,) = _docs(staff_skp)
    assert old.status == DocStatus.REVOKED and old.replaced_by_id is None
