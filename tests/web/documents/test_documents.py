"""Official documents: issuing, numbering, archive, revocation, verification, batch, bad input."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import set_committed_value

from kinerja_web.domain import DomainError
from kinerja_web.domain.documents import DocStatus, DocType, EntryStatus
from kinerja_web.extensions import db
from kinerja_web.models import IssuedDocument, Job, JobStatus, Letterhead, NumberEntry, NumberRegister, SignerConfig
from kinerja_web.services.documents import issuing as docs
from tests import upload_files

TODAY = date(2026, 11, 27)
PATTERNS = {
    DocType.SK_PENGHARGAAN: "800.1.13/{nomor}/{kode_unit}/{tahun}",
    DocType.KARTU_PEGAWAI: "800.1.2/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}",
    DocType.SLIP_GAJI: "900.1.15.1/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}",
    DocType.DAFTAR_GAJI: "900.1.15/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}",
}


def logo_png(size: int = 300) -> bytes:
    img = Image.new("RGB", (size, size), "white")
    d = ImageDraw.Draw(img)
    d.polygon(
        [
            (size * 0.1, size * 0.1),
            (size * 0.9, size * 0.1),
            (size * 0.9, size * 0.6),
            (size / 2, size * 0.95),
            (size * 0.1, size * 0.6),
        ],
        fill=(20, 90, 40),
        outline="black",
    )
    d.ellipse((size * 0.3, size * 0.25, size * 0.7, size * 0.65), fill=(230, 190, 30))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def setup_docs(org_chart):
    add_issuer_settings(org_chart.opd)
    db.session.flush()
    return org_chart


def add_issuer_settings(opd) -> None:
    """Kop surat, and a signer and a 2026 number register for each type of PATTERNS, for the OPD."""
    db.session.add(
        Letterhead(
            unit_id=opd.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            address="Jalan Jenderal Sudirman Nomor 1, Kotabumi, Lampung Utara 34511",
            contact="Telepon (0724) 21000 · Pos-el bkpsdm@lampungutarakab.go.id",
            logo=logo_png(),
            logo_mime="image/png",
        )
    )
    for t in PATTERNS:  # the SKP is unnumbered and signed by its own people: no signer, no register
        db.session.add(
            SignerConfig(
                unit_id=opd.id,
                doc_type=t,
                jabatan="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                name="Dr. H. Ahmad Fauzi, S.H., M.Si.",
                nip="197005051995031001",
                pangkat="Pembina Utama Muda",
                place="Kotabumi",
            )
        )
        db.session.add(NumberRegister(unit_id=opd.id, doc_type=t, year=2026, pattern=PATTERNS[t], kode_unit="BKPSDM"))


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def issue_sk(org, employees, **params):
    return docs.issue(
        DocType.SK_PENGHARGAAN,
        unit_id=org.opd.id,
        subjects=employees,
        params={"penghargaan": "Pegawai Berprestasi", **params},
        issued_on=TODAY,
        user_id=org.u_hr.id,
        base_url="http://kinerja.lan",
    )


def test_sk_penghargaan_pdf_contains_number_and_names(setup_docs):
    org = setup_docs
    doc = issue_sk(org, [org.staff1, org.staff2])
    text = pdf_text(doc.pdf)
    assert doc.number == "800.1.13/1/BKPSDM/2026"
    assert "800.1.13/1/BKPSDM/2026" in text
    assert "Staf Satu" in text and "Staf Dua" in text
    assert "MEMUTUSKAN" in text and f"Halaman 1 dari {doc.page_count}" in text
    assert doc.sha256 and doc.status == DocStatus.VALID


def test_render_samples_for_visual_check(setup_docs, tmp_path_factory):
    """Writes sample PDFs to /tmp/kinerja-docs-samples for a human look (pdftoppm); asserts they are PDFs."""
    import os

    org = setup_docs
    out = "/tmp/kinerja-docs-samples"
    os.makedirs(out, exist_ok=True)
    samples = {
        "sk_multi": issue_sk(org, [org.staff1, org.staff2, org.kasi]),
        "sk_one": issue_sk(org, [org.staff1]),
        "kartu": docs.issue(
            DocType.KARTU_PEGAWAI,
            unit_id=org.opd.id,
            subjects=[org.kasi],
            params={},
            issued_on=TODAY,
            user_id=None,
            base_url="http://kinerja.lan",
        ),
    }
    for name, d in samples.items():
        with open(f"{out}/{name}.pdf", "wb") as fh:
            fh.write(d.pdf)
        assert d.pdf.startswith(b"%PDF")


def zbar(png_path: str) -> str:
    return subprocess.run(["/usr/bin/zbarimg", "-q", "--raw", png_path], capture_output=True, text=True).stdout.strip()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_qr_decodes_to_the_verification_url(setup_docs, tmp_path):
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    (tmp_path / "d.pdf").write_bytes(doc.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "d.pdf"), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert zbar(str(png)) == f"http://kinerja.lan/verifikasi/{doc.verification_code}"
    assert doc.code_display in pdf_text(doc.pdf)


def test_user_supplied_names_are_escaped_in_the_pdf(setup_docs, make_employee):
    emp = make_employee("<b>Budi</b>", position=setup_docs.p_staff1)
    doc = issue_sk(setup_docs, [emp])
    assert "<b>Budi</b>" in pdf_text(doc.pdf)


def test_fetcher_refuses_files_outside_static_and_network(app):
    from kinerja_web.pdf import FetchRefused, StaticOnlyFetcher

    f = StaticOnlyFetcher(app.static_folder)
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.org/x.png",
        f"file://{app.static_folder}/../__init__.py",
    ):
        with pytest.raises((FetchRefused, ValueError)):
            f.fetch(url)
    assert f.fetch(f"file://{app.static_folder}/fonts/LiberationSans-Regular.ttf").read(4) == b"\x00\x01\x00\x00"


def test_incomplete_employee_gets_message_and_consumes_no_number(setup_docs, make_employee):
    emp = make_employee("Tanpa Jabatan", no_position=True)
    with pytest.raises(DomainError) as e:
        issue_sk(setup_docs, [emp])
    assert "jabatan" in e.value.message
    reg = db.session.scalar(select(NumberRegister).where(NumberRegister.doc_type == DocType.SK_PENGHARGAAN))
    assert reg.counter == 0 and db.session.scalar(select(func.count(NumberEntry.id))) == 0


def test_kartu_pegawai_for_incomplete_employee_answers_422_in_indonesian(app, setup_docs, make_employee):
    emp = make_employee("Tanpa Jabatan", no_position=True)
    r = app.test_client(user=setup_docs.u_hr).post(f"/dokumen/kartu-pegawai/{emp.id}")
    assert r.status_code == 422 and "belum lengkap" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 0


def test_kartu_pegawai_from_profile_issues_a_document(app, setup_docs):
    r = app.test_client(user=setup_docs.u_hr).post(f"/dokumen/kartu-pegawai/{setup_docs.staff1.id}")
    assert r.status_code == 303
    doc = db.session.scalar(select(IssuedDocument))
    assert (
        "Staf Satu" in pdf_text(doc.pdf)
        and doc.number == "800.1.2/1/BKPSDM/XI/2026"
        or doc.number.startswith("800.1.2/1/")
    )


def test_download_streams_stored_bytes(app, setup_docs):
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    r = app.test_client(user=setup_docs.u_hr).get(f"/dokumen/{doc.id}/unduh")
    assert r.status_code == 200 and r.data == doc.pdf


def test_tampered_pdf_fails_byte_identity_verification(client, setup_docs):
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    ok = client.post(
        "/verifikasi", data={"berkas": (io.BytesIO(doc.pdf), "sk.pdf")}, content_type="multipart/form-data"
    )
    assert "identik" in ok.get_data(as_text=True)
    tampered = doc.pdf.replace(b"Staf Satu", b"Staf Satx") if b"Staf Satu" in doc.pdf else doc.pdf[:-10] + b"0" * 10
    bad = client.post(
        "/verifikasi", data={"berkas": (io.BytesIO(tampered), "sk.pdf")}, content_type="multipart/form-data"
    )
    assert "tidak cocok" in bad.get_data(as_text=True)


def test_revoked_document_shows_revoked_with_replacement(app, client, setup_docs):
    old = issue_sk(setup_docs, [setup_docs.staff1])
    new = issue_sk(setup_docs, [setup_docs.staff1])
    r = app.test_client(user=setup_docs.u_hr).post(
        f"/dokumen/{old.id}/cabut", data={"reason": "Salah nama", "replacement": new.number, "confirm": "ya"}
    )
    assert r.status_code == 303
    page = client.get(f"/verifikasi/{old.verification_code}").get_data(as_text=True)
    assert "DICABUT" in page and new.number in page and "******** 201803" in page
    assert "SAH" in client.get(f"/verifikasi/{new.verification_code}").get_data(as_text=True)
    detail = app.test_client(user=setup_docs.u_hr).get(f"/dokumen/{new.id}").get_data(as_text=True)
    assert old.number in detail


def test_unknown_code_is_404_and_verification_is_rate_limited(app, client, setup_docs):
    app.config["VERIFY_RATE_LIMIT"] = 3
    try:
        codes = [client.get("/verifikasi/AAAABBBBCCCCDDDD").status_code for _ in range(4)]
    finally:
        app.config["VERIFY_RATE_LIMIT"] = 30
    assert codes == [404, 404, 404, 429]


@pytest.mark.parametrize(
    "user_attr,url,method,expected",
    [
        ("u_staff", "/dokumen/", "get", 403),
        ("u_staff", "/dokumen/pengaturan", "get", 403),
        ("u_staff", "/dokumen/register", "get", 403),
        ("u_staff", "/dokumen/sk-penghargaan", "get", 403),
        ("u_staff", "/dokumen/batch", "get", 403),
        ("u_hr", "/dokumen/", "get", 200),
        ("u_hr", "/dokumen/pengaturan", "get", 200),
        ("u_admin", "/dokumen/register", "get", 200),
        ("u_hr", "/dokumen/sk-penghargaan", "get", 200),
        ("u_admin", "/dokumen/batch", "get", 200),
        (None, "/verifikasi", "get", 200),
    ],
)
def test_access_matrix(app, setup_docs, user_attr, url, method, expected):
    c = app.test_client(user=getattr(setup_docs, user_attr)) if user_attr else app.test_client()
    assert getattr(c, method)(url).status_code == expected


def test_bad_logo_and_pattern_and_signer_get_clear_messages(app, setup_docs):
    c = app.test_client(user=setup_docs.u_admin)
    base = {"unit_id": setup_docs.opd.id, "pemda_name": "P", "opd_name": "O", "address": "A", "city": "Kotabumi"}
    r = c.post(
        "/dokumen/pengaturan/kop",
        data={**base, "logo": (io.BytesIO(b"bukan gambar"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and "bukan gambar" in r.get_data(as_text=True)
    r = c.post(
        "/dokumen/pengaturan/kop",
        data={**base, "logo": (io.BytesIO(b"\x89PNG" + b"0" * 600_000), "logo.png")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and "terlalu besar" in r.get_data(as_text=True)
    r = c.post(
        "/dokumen/register",
        data={
            "unit_id": setup_docs.opd.id,
            "doc_type": "sk_penghargaan",
            "year": 2027,
            "pattern": "800/BKPSDM/{tahun}",
            "kode_unit": "X",
        },
    )
    assert r.status_code == 422 and "{nomor}" in r.get_data(as_text=True)
    r = c.post(
        "/dokumen/pengaturan/penanda-tangan",
        data={
            "unit_id": setup_docs.opd.id,
            "doc_type": "sk_penghargaan",
            "jabatan": "Kepala",
            "name": "Budi",
            "pangkat": "Pembina",
            "place": "Kotabumi",
            "acting": "plt",
        },
    )
    assert r.status_code == 422 and "NIP penanda tangan wajib diisi" in r.get_data(as_text=True)


def test_cancelled_number_stays_visible_as_a_gap(app, setup_docs):
    reg = db.session.scalar(select(NumberRegister).where(NumberRegister.doc_type == DocType.SK_PENGHARGAAN))
    entry = docs.take_number(reg.id, TODAY, None, subject="Surat manual")
    c = app.test_client(user=setup_docs.u_hr)
    assert c.post(f"/dokumen/register/nomor/{entry.id}/batal", data={"reason": "Salah ketik"}).status_code == 303
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    assert entry.status == EntryStatus.CANCELLED and doc.number == "800.1.13/2/BKPSDM/2026"
    assert "Salah ketik" in c.get(f"/dokumen/register/{reg.id}").get_data(as_text=True)


def test_batch_issues_merges_and_rerun_issues_nothing_twice(app, setup_docs, make_employee, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    make_employee("Tanpa Golongan", position=setup_docs.p_staff2, golongan="")
    c = app.test_client(user=setup_docs.u_hr)
    r = c.post("/dokumen/batch", data=_batch_form(setup_docs))
    assert r.status_code == 303
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.result["issued"] == 5 and len(job.result["failures"]) == 1
    assert "golongan" in job.result["failures"][0]["reason"]
    merged = c.get(f"/dokumen/batch/{job.id}/pdf")
    assert len(PdfReader(io.BytesIO(merged.data)).pages) == 5
    assert len(zipfile.ZipFile(io.BytesIO(c.get(f"/dokumen/batch/{job.id}/zip").data)).namelist()) == 5
    page = c.get(f"/dokumen/batch/{job.id}").get_data(as_text=True)
    assert "Tanpa Golongan" in page and "golongan belum diisi" in page and "<progress" in page
    frag = c.get(f"/dokumen/batch/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in frag and "Unduh PDF gabungan" in frag
    c.post(f"/dokumen/batch/{job.id}/ulang")
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 5


def test_another_host_without_the_batch_files_rebuilds_them_from_the_database(app, setup_docs, tmp_path, monkeypatch):
    """Issue 23 item 4: the worker wrote the merged PDF and ZIP on its own host; a web host that has no copy (its
    own folder) serves the same files, rebuilt once from the stored documents."""
    worker_dir, web_dir = tmp_path / "pekerja", tmp_path / "web"
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(worker_dir))
    c = app.test_client(user=setup_docs.u_hr)
    assert c.post("/dokumen/batch", data=_batch_form(setup_docs)).status_code == 303
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    on_worker = c.get(f"/dokumen/batch/{job.id}/zip").data
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(web_dir))  # the other host
    merged = c.get(f"/dokumen/batch/{job.id}/pdf")
    assert merged.status_code == 200 and len(PdfReader(io.BytesIO(merged.data)).pages) == job.result["issued"]
    rebuilt = zipfile.ZipFile(io.BytesIO(c.get(f"/dokumen/batch/{job.id}/zip").data))
    original = zipfile.ZipFile(io.BytesIO(on_worker))
    assert rebuilt.namelist() == original.namelist()
    assert [rebuilt.read(n) for n in rebuilt.namelist()] == [original.read(n) for n in original.namelist()]
    assert sorted(p.name for p in web_dir.iterdir() if not p.name.startswith(".")) == [
        f"batch-{job.id}.pdf",
        f"batch-{job.id}.zip",
    ]


def _batch_form(setup_docs) -> dict:
    return {
        "unit_id": setup_docs.opd.id,
        "subject_unit_id": setup_docs.opd.id,
        "doc_type": "sk_penghargaan",
        "penghargaan": "Pegawai Teladan",
        "issued_on": "2026-11-27",
    }


def test_batch_without_a_signer_is_refused_on_the_form_with_one_message(app, setup_docs):
    db.session.execute(delete(SignerConfig).where(SignerConfig.doc_type == DocType.SK_PENGHARGAAN))
    db.session.commit()
    c = app.test_client(user=setup_docs.u_hr)
    r = c.post("/dokumen/batch", data=_batch_form(setup_docs))
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert body.count("Penanda tangan untuk SK Penghargaan belum diatur") == 1
    assert 'value="Pegawai Teladan"' in body  # what was typed stays
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_batch_job_whose_signer_went_missing_fails_once_and_takes_no_number(app, setup_docs, tmp_path, monkeypatch):
    """Settings changed between queueing and running: the job fails with one message, not one per employee."""
    from kinerja_web.services import jobs

    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    db.session.execute(delete(SignerConfig).where(SignerConfig.doc_type == DocType.SK_PENGHARGAAN))
    db.session.commit()
    params = {**_batch_form(setup_docs), "doc_params": {"penghargaan": "Pegawai Teladan"}, "batch_key": "x"}
    params.pop("penghargaan")
    job = jobs.enqueue("dokumen_batch", "Tanpa penanda tangan", params, setup_docs.u_hr.id)
    db.session.commit()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED and job.message.startswith("Penanda tangan untuk SK Penghargaan")
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 0
    assert db.session.scalar(select(func.count(NumberEntry.id))) == 0


def test_a_document_that_fails_to_render_is_listed_without_the_raw_error(
    app, setup_docs, tmp_path, monkeypatch, caplog
):
    """The failure list of a batch names the employee and a short reason; the exception (its SQL and parameters
    could carry a slip's figures) goes to the server log."""
    from sqlalchemy.exc import OperationalError

    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    render = docs.render_document

    def fails_for_staf_dua(doc):
        if doc.subject_name == "Staf Dua":
            raise OperationalError("UPDATE issued_document SET context=?", ({"netto": 4250000},), Exception("locked"))
        return render(doc)

    monkeypatch.setattr(docs, "render_document", fails_for_staf_dua)
    c = app.test_client(user=setup_docs.u_hr)
    assert c.post("/dokumen/batch", data=_batch_form(setup_docs)).status_code == 303
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    (failure,) = job.result["failures"]
    assert failure["name"] == "Staf Dua"
    assert failure["reason"].startswith("Dokumen gagal dibuat karena kesalahan sistem. Rincian dicatat di log server")
    page = c.get(f"/dokumen/batch/{job.id}").get_data(as_text=True)
    assert "Dokumen gagal dibuat karena kesalahan sistem" in page and "4250000" not in page and "SQL" not in page
    assert "4250000" in caplog.text


def test_a_boosted_download_link_gets_a_full_navigation_instead_of_pdf_bytes_in_the_page(
    app, setup_docs, tmp_path, monkeypatch
):
    """hx-boost fetches links with XHR and swaps the answer into the page: for a file that showed the PDF's
    bytes as text. Such a GET answers with HX-Redirect to itself; the browser then downloads the file."""
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    c = app.test_client(user=setup_docs.u_hr)
    assert c.post("/dokumen/batch", data=_batch_form(setup_docs)).status_code == 303
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    url = f"/dokumen/batch/{job.id}/pdf"
    boosted = c.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.status_code == 200 and boosted.headers["HX-Redirect"] == url and boosted.data == b""
    plain = c.get(url)
    assert plain.mimetype == "application/pdf" and "attachment" in plain.headers["Content-Disposition"]
    page = c.get(f"/dokumen/batch/{job.id}", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert page.mimetype == "text/html" and "HX-Redirect" not in page.headers  # pages stay boosted


def test_large_batch_merges_into_parts_of_bounded_size(app, setup_docs, tmp_path, monkeypatch):
    """pypdf holds a merge in memory: the merged PDF comes in parts (here of 2), the ZIP stays whole."""
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_PART_SIZE", 2)
    c = app.test_client(user=setup_docs.u_hr)
    assert c.post("/dokumen/batch", data=_batch_form(setup_docs)).status_code == 303
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.result["issued"] == 5 and job.result["parts"] == [[1, 2], [3, 4], [5, 5]]
    numbers = [
        d.number
        for d in db.session.scalars(
            select(IssuedDocument).where(IssuedDocument.job_id == job.id).order_by(IssuedDocument.id)
        )
    ]
    pages = []
    for part, url in enumerate(
        (f"/dokumen/batch/{job.id}/pdf", f"/dokumen/batch/{job.id}/pdf/2", f"/dokumen/batch/{job.id}/pdf/3"), 1
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        if part > 1:
            assert f"bagian-{part}" in r.headers["Content-Disposition"]
        pages += [p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages]
    assert [next(n for n in numbers if n in text) for text in pages] == numbers  # every document once, in order
    assert c.get(f"/dokumen/batch/{job.id}/pdf/4").status_code == 404
    assert len(zipfile.ZipFile(io.BytesIO(c.get(f"/dokumen/batch/{job.id}/zip").data)).namelist()) == 5
    page = c.get(f"/dokumen/batch/{job.id}").get_data(as_text=True)
    assert "bagian 3</a> (dokumen 5–5)" in page and f"/dokumen/batch/{job.id}/pdf/2" in page


def test_acting_signer_is_printed_with_plt_before_the_jabatan(setup_docs):
    signer = db.session.scalar(select(SignerConfig).where(SignerConfig.doc_type == DocType.SK_PENGHARGAAN))
    signer.acting = "plt"
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    assert "Plt. KEPALA BADAN" in pdf_text(doc.pdf) and doc.signer_title.startswith("Plt. ")


def test_archive_searches_by_employee_name_and_answers_htmx_with_rows_only(app, setup_docs):
    issue_sk(setup_docs, [setup_docs.staff1, setup_docs.staff2])
    kartu = docs.issue(
        DocType.KARTU_PEGAWAI,
        unit_id=setup_docs.opd.id,
        subjects=[setup_docs.kasi],
        params={},
        issued_on=TODAY,
        user_id=None,
    )
    c = app.test_client(user=setup_docs.u_hr)
    page = c.get("/dokumen/?q=Staf+Dua")
    body = page.get_data(as_text=True)
    assert "800.1.13/1/BKPSDM/2026" in body and kartu.number not in body and "<html" in body
    frag = c.get("/dokumen/?q=Kasi&jenis=kartu_pegawai", headers={"HX-Request": "true"})
    assert kartu.number in frag.get_data(as_text=True) and "<html" not in frag.get_data(as_text=True)
    boosted = c.get("/dokumen/?q=Kasi", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True) and "HX-Request" in boosted.headers.get("Vary", "")


def test_batch_outputs_merged_while_rendering_keep_document_order(app, setup_docs, tmp_path, monkeypatch):
    """The main worker merges the rendered prefix between its chunks; a document rendered late by the other
    process still lands in its place, and the result equals a merge at the end."""
    from kinerja_web.domain.documents import DocStatus
    from kinerja_web.models import Job
    from kinerja_web.services.documents.batches import BatchOutputs

    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    job = Job(kind="dokumen_batch", title="Urutan", params={})
    db.session.add(job)
    documents = [issue_sk(setup_docs, [e]) for e in (setup_docs.staff1, setup_docs.staff2, setup_docs.kasi)]
    for d in documents:
        d.job_id = job.id
    documents[1].status = DocStatus.PENDING  # still being rendered by the other process
    db.session.commit()
    outputs = BatchOutputs(job.id)
    outputs.catch_up()
    assert outputs.count == 1  # stops before the pending one
    documents[1].status = DocStatus.VALID
    db.session.commit()
    assert outputs.finish() == 3
    merged = PdfReader(str(tmp_path / f"batch-{job.id}.pdf"))
    numbers = [d.number for d in documents]
    assert [next(n for n in numbers if n in p.extract_text()) for p in merged.pages] == numbers
    assert len(zipfile.ZipFile(tmp_path / f"batch-{job.id}.zip").namelist()) == 3


def test_a_logo_with_html_appended_is_stored_without_it_and_served_as_a_verified_download(app, setup_docs):
    c = app.test_client(user=setup_docs.u_admin)
    clean = logo_png(64)
    form = {"unit_id": setup_docs.opd.id, "pemda_name": "P", "opd_name": "O", "address": "A", "city": "Kotabumi"}
    r = c.post(
        "/dokumen/pengaturan/kop",
        data={**form, "logo": (io.BytesIO(clean + upload_files.HTML), "logo.png")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == setup_docs.opd.id))
    db.session.refresh(lh)
    assert (lh.logo, lh.logo_mime, lh.logo_sha256) == (clean, "image/png", hashlib.sha256(clean).hexdigest())
    got = c.get(f"/dokumen/pengaturan/logo/{lh.id}")
    assert got.status_code == 200 and got.data == clean and got.mimetype == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"] == f"attachment; filename=logo-kop-{lh.id}.png"
    # an <img> ignores Content-Disposition, so the settings page still shows the logo
    assert f'src="/dokumen/pengaturan/logo/{lh.id}"' in c.get("/dokumen/pengaturan").get_data(as_text=True)


def test_a_logo_whose_pixels_do_not_decode_is_refused_and_the_form_kept(app, setup_docs):
    c = app.test_client(user=setup_docs.u_admin)
    form = {"unit_id": setup_docs.opd.id, "pemda_name": "Pemkab Uji", "opd_name": "O", "address": "A", "city": "K"}
    r = c.post(
        "/dokumen/pengaturan/kop",
        data={**form, "logo": (io.BytesIO(logo_png(64)[:-20]), "logo.png")},
        content_type="multipart/form-data",
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Berkas gambar rusak atau terpotong" in body and 'value="Pemkab Uji"' in body


# --- the same form sent twice (a double click): tests/web/documents/test_exactly_once.py runs it with two threads -----


def _token(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def test_the_same_kartu_form_sent_twice_issues_one_card_and_a_reloaded_form_a_new_one(app, setup_docs):
    c = app.test_client(user=setup_docs.u_hr)
    emp = setup_docs.staff1
    form = {"idempotency_key": _token(c.get(f"/pegawai/{emp.id}").get_data(as_text=True))}
    first = c.post(f"/dokumen/kartu-pegawai/{emp.id}", data=form)
    second = c.post(f"/dokumen/kartu-pegawai/{emp.id}", data=form, follow_redirects=True)
    assert first.status_code == 303 and second.request.path == first.headers["Location"]
    assert "sudah diterbitkan" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 1
    again = {"idempotency_key": _token(c.get(f"/pegawai/{emp.id}").get_data(as_text=True))}
    assert again != form
    assert c.post(f"/dokumen/kartu-pegawai/{emp.id}", data=again).status_code == 303
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 2


def test_the_same_sk_penghargaan_form_sent_twice_issues_one_sk(app, setup_docs):
    c = app.test_client(user=setup_docs.u_hr)
    form = {
        "action": "terbitkan",
        "unit_id": setup_docs.opd.id,
        "employee_id": [setup_docs.staff1.id],
        "penghargaan": "Pegawai Teladan",
        "issued_on": "2026-11-27",
        "idempotency_key": _token(c.get("/dokumen/sk-penghargaan").get_data(as_text=True)),
    }
    first, second = c.post("/dokumen/sk-penghargaan", data=form), c.post("/dokumen/sk-penghargaan", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    (entry,) = db.session.scalars(select(NumberEntry))  # the second submit took no number either
    assert entry.document is not None


def test_the_same_batch_form_sent_twice_starts_one_job(app, setup_docs, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_BATCH_DIR", str(tmp_path))
    c = app.test_client(user=setup_docs.u_hr)
    form = {**_batch_form(setup_docs), "idempotency_key": _token(c.get("/dokumen/batch").get_data(as_text=True))}
    first, second = c.post("/dokumen/batch", data=form), c.post("/dokumen/batch", data=form)
    assert first.headers["Location"] == second.headers["Location"]
    (job,) = db.session.scalars(select(Job))
    page = c.get(f"/dokumen/batch/{job.id}").get_data(as_text=True)
    rerun = {"idempotency_key": _token(page)}
    first, second = (
        c.post(f"/dokumen/batch/{job.id}/ulang", data=rerun),
        c.post(f"/dokumen/batch/{job.id}/ulang", data=rerun),
    )
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Job.id))) == 2


def test_a_second_revoke_of_the_same_document_says_it_is_revoked_already(app, setup_docs):
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    c = app.test_client(user=setup_docs.u_hr)
    assert c.post(f"/dokumen/{doc.id}/cabut", data={"reason": "Salah nama", "confirm": "ya"}).status_code == 303
    r = c.post(f"/dokumen/{doc.id}/cabut", data={"reason": "Salah nama", "confirm": "ya"}, follow_redirects=True)
    assert r.request.path == f"/dokumen/{doc.id}" and "sudah dicabut" in r.get_data(as_text=True)
    assert doc.revoked_reason == "Salah nama"
    set_committed_value(doc, "status", DocStatus.VALID)  # as a request that read it before the revocation sees it
    with pytest.raises(DomainError, match="sudah dicabut"):
        docs.revoke(doc, "Lagi", None, setup_docs.u_hr.id)


def _kartu(org, emp):
    return docs.issue(
        DocType.KARTU_PEGAWAI, unit_id=org.opd.id, subjects=[emp], params={}, issued_on=TODAY, user_id=None
    )


def test_a_pegawai_downloads_their_own_kartu_from_their_profile_but_not_anothers(app, setup_docs):
    own, others = _kartu(setup_docs, setup_docs.staff1), _kartu(setup_docs, setup_docs.staff2)
    sk = issue_sk(setup_docs, [setup_docs.staff1])
    db.session.commit()
    c = app.test_client(user=setup_docs.u_staff)
    profile = c.get(f"/pegawai/{setup_docs.staff1.id}").get_data(as_text=True)
    assert f"/dokumen/{own.id}/unduh" in profile and own.number in profile
    r = c.get(f"/dokumen/{own.id}/unduh")
    assert r.status_code == 200 and r.data == own.pdf
    assert c.get(f"/dokumen/{others.id}/unduh").status_code in (403, 404)
    assert c.get(f"/dokumen/{sk.id}/unduh").status_code in (403, 404)  # only the card is the pegawai's own copy
    assert app.test_client(user=setup_docs.u_kasi).get(f"/dokumen/{own.id}/unduh").status_code in (403, 404)
    assert app.test_client(user=setup_docs.u_hr).get(f"/dokumen/{others.id}/unduh").status_code == 200
    docs.revoke(own, "Salah data", None, setup_docs.u_hr.id)
    db.session.commit()
    assert c.get(f"/dokumen/{own.id}/unduh").status_code in (403, 404)  # a revoked card is no longer theirs to use


def test_revoking_asks_for_confirmation_on_a_page_of_its_own(app, setup_docs):
    doc = issue_sk(setup_docs, [setup_docs.staff1])
    db.session.commit()
    c = app.test_client(user=setup_docs.u_hr)
    r = c.post(f"/dokumen/{doc.id}/cabut", data={"reason": "Nama salah <ketik>"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Ya, cabut dokumen" in body and "Nama salah &lt;ketik&gt;" in body
    assert 'name="confirm" value="ya"' in body and "hx-confirm" not in body  # no JavaScript needed
    db.session.expire_all()
    assert db.session.get(IssuedDocument, doc.id).status == DocStatus.VALID  # nothing revoked yet
    from tests.web.helpers import form_values

    confirmed = {**form_values(body, f"/dokumen/{doc.id}/cabut"), "confirm": "ya"}
    assert c.post(f"/dokumen/{doc.id}/cabut", data=confirmed).status_code == 303
    db.session.expire_all()
    revoked = db.session.get(IssuedDocument, doc.id)
    assert (revoked.status, revoked.revoked_reason) == (DocStatus.REVOKED, "Nama salah <ketik>")


def test_rerunning_a_batch_that_still_runs_starts_nothing(app, setup_docs):
    job = Job(
        kind="dokumen_batch", title="Batch uji", status=JobStatus.RUNNING, params={}, created_by_id=setup_docs.u_hr.id
    )
    db.session.add(job)
    db.session.commit()
    r = app.test_client(user=setup_docs.u_hr).post(f"/dokumen/batch/{job.id}/ulang", follow_redirects=True)
    assert r.request.path == f"/dokumen/batch/{job.id}" and "Batch ini masih berjalan." in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 1
