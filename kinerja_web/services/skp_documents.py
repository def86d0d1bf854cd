"""The SKP as an issued document (documents service): frozen context, PDF, verification code and QR.

Issuing is on demand ("Terbitkan PDF SKP" by the pegawai, the pejabat penilai or HR), not on every
approval: approval stays a cheap status change (bulk approve of 40 resubmissions does not render 40
PDFs in one request) and the legal act — the SKP *ditetapkan* by the pejabat penilai — is the approval
itself, recorded with its frozen people. But once a PDF of an SKP is in circulation, approving a new
version issues the new PDF in the same transaction and revokes the old one with a link to its
replacement, so a superseded SKP never verifies as valid.

The SKP is not numbered (Numbering.OPTIONAL): it gets a number only where the OPD opened a register
for "Sasaran Kinerja Pegawai (SKP)" in Dokumen › Register nomor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from sqlalchemy import select

from ..domain import DomainError
from ..domain.skp import SkpJenis
from ..domain.workflow import SkpStatus
from ..extensions import db
from ..models import DocType, Employee, IssuedDocument, Letterhead, Skp
from ..timeutil import WIB
from . import documents as docs
from .skp import render_skp_context

# Form titles as printed on the SKP forms of the Lampiran PermenPANRB 6/2022 (domain §2.4).
FORM_TITLES = {
    SkpJenis.JPT: "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
    SkpJenis.KUANTITATIF: "PENDEKATAN HASIL KERJA KUANTITATIF BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
    SkpJenis.KUALITATIF: "PENDEKATAN HASIL KERJA KUALITATIF BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
}
DEFAULT_PLACE = "Kotabumi"


def source_ref(skp: Skp) -> str:
    """All versions of one employee's SKP for one period share the reference (replacement chain)."""
    return f"skp:{skp.employee_id}:{skp.period_id}"


def _opd_of(employee: Employee):
    if employee.unit is None:
        raise DomainError("Unit kerja pegawai belum diisi; PDF SKP tidak dapat diterbitkan.")
    return employee.unit.opd


def build_skp(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen body of the SKP document: the print context plus the instansi and the form title."""
    skp = db.session.get(Skp, params.get("skp_id") or 0)
    if skp is None or skp.employee_id != subjects[0].id:
        raise DomainError("SKP tidak ditemukan.")
    if skp.status != SkpStatus.APPROVED:
        raise DomainError("PDF SKP hanya dapat diterbitkan untuk SKP yang sudah disetujui pejabat penilai.")
    body = render_skp_context(skp)
    opd = _opd_of(skp.employee)
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == opd.id))
    body.update(
        skp_id=skp.id,
        form_title=FORM_TITLES[skp.jenis],
        instansi=(lh.pemda_name if lh else current_app.config.get("PEMDA_NAME", "")) or "",
        opd=opd.name,
        place=(lh.city if lh else None) or DEFAULT_PLACE,
        approved_on=skp.approved_on.isoformat() if skp.approved_on else None,
        submitted_on=skp.submitted_at.astimezone(WIB).date().isoformat() if skp.submitted_at else None,
    )
    return body


def _signer(body: dict) -> dict:
    """The pejabat penilai who set (menetapkan) the SKP, as frozen on approval."""
    p = body["penilai"]
    return {
        "title": "Pejabat Penilai Kinerja",
        "jabatan": p["jabatan"],
        "name": p["nama"],
        "nip": p["nip"],
        "pangkat": p["pangkat"],
        "place": body["place"],
        "acting": "definitif",
    }


SKP_SPEC = docs.register_spec(
    docs.DocSpec(
        DocType.SKP,
        "skp/pdf/skp.html",
        build_skp,
        lambda body: f"SKP {body['tahun']} versi {body['versi']} — {body['pegawai']['nama']}",
        numbering=docs.Numbering.OPTIONAL,
        signer=_signer,
        letterhead_required=False,
    )
)


def skp_documents(skp: Skp) -> list[IssuedDocument]:
    """Issued PDFs of every version of this SKP, newest first (valid and revoked)."""
    return docs.documents_of(source_ref(skp))


def valid_document_of(skp: Skp, documents: list[IssuedDocument] | None = None) -> IssuedDocument | None:
    """The valid PDF of exactly this version, if issued."""
    for d in skp_documents(skp) if documents is None else documents:
        if d.is_valid and d.context.get("body", {}).get("skp_id") == skp.id:
            return d
    return None


def issue_skp_document(skp: Skp, user_id: int | None, today: date) -> tuple[IssuedDocument, bool]:
    """Issue the PDF of an approved SKP version (idempotent: an existing valid PDF is returned).

    Older versions' valid PDFs are revoked with this one as their replacement. Flushes, never commits.
    Returns (document, newly_issued).
    """
    existing = skp_documents(skp)
    current = valid_document_of(skp, existing)
    if current is not None:
        return current, False
    doc = docs.issue(
        DocType.SKP,
        unit_id=_opd_of(skp.employee).id,
        subjects=[skp.employee],
        params={"skp_id": skp.id},
        issued_on=today,
        user_id=user_id,
        source_ref=source_ref(skp),
    )
    for old in existing:
        if old.is_valid:
            docs.revoke(old, f"Diganti PDF SKP versi {skp.version} (SKP diubah dengan versi baru).", doc, user_id)
    return doc, True


def reissue_after_new_version(skp: Skp, user_id: int | None, today: date) -> IssuedDocument | None:
    """On approval of a new version: if an older version's PDF is valid, replace it now."""
    if any(d.is_valid for d in skp_documents(skp)):
        return issue_skp_document(skp, user_id, today)[0]
    return None
