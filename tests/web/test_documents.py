"""Official documents: issuing, numbering, archive, revocation, verification, batch, bad input."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from kinerja_web.extensions import db
from kinerja_web.models import (
    DocStatus,
    DocType,
    Letterhead,
    NumberRegister,
    SignerConfig,
)
from kinerja_web.services import documents as docs

TODAY = date(2026, 11, 27)
PATTERNS = {
    DocType.SK_PENGHARGAAN: "800.1.13/{nomor}/{kode_unit}/{tahun}",
    DocType.KARTU_PEGAWAI: "800.1.2/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}",
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
    opd = org_chart.opd
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
    for t in DocType:
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
    db.session.flush()
    return org_chart


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
