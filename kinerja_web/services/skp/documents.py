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
from sqlalchemy import func, or_, select

from ...domain import DomainError
from ...domain.documents import DocStatus, DocType
from ...domain.skp import SkpJenis
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...jinja import tanggal
from ...models import Employee, Evidence, Feedback, IssuedDocument, Letterhead, Realisasi, Skp
from ...timeutil import WIB
from ..documents import issuing as docs
from ..documents.specs import DocSpec, Numbering
from .records import render_skp_context

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


def _employee_document(doc_type: DocType, template: str, build, title) -> DocSpec:
    """An SKP-area PDF: signed by the employee and the pejabat penilai, number optional, no letterhead needed."""
    return DocSpec(
        doc_type, template, build, title, numbering=Numbering.OPTIONAL, signer=_signer, letterhead_required=False
    )


SKP_SPEC = _employee_document(
    DocType.SKP,
    "skp/pdf/skp.html",
    build_skp,
    lambda body: f"SKP {body['tahun']} versi {body['versi']} — {body['pegawai']['nama']}",
)


def skp_documents(skp: Skp) -> list[IssuedDocument]:
    """Issued PDFs of every version of this SKP, newest first (valid and revoked)."""
    return docs.documents_of(source_ref(skp))


def pdf_bytes(doc: IssuedDocument) -> bytes:
    """The stored PDF of an issued document, as issued (never re-rendered)."""
    return db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))


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
    # Two clicks racing each other compute the same key: the unique index lets only one document through
    # (the other transaction gets an IntegrityError and the view answers "sudah diterbitkan").
    earlier = sum(1 for d in existing if d.context.get("body", {}).get("skp_id") == skp.id)
    doc = docs.issue(
        DocType.SKP,
        unit_id=_opd_of(skp.employee).id,
        subjects=[skp.employee],
        params={"skp_id": skp.id},
        issued_on=today,
        user_id=user_id,
        source_ref=source_ref(skp),
        idempotency_key=f"skp-pdf:{skp.id}:{earlier}",
    )
    for old in existing:
        if old.is_valid:
            docs.revoke(old, f"Diganti PDF SKP versi {skp.version} (SKP diubah dengan versi baru).", doc, user_id)
    return doc, True


def reissue_after_new_version(skp: Skp, user_id: int | None, today: date) -> IssuedDocument | None:
    """On approval of a new version: if an older version's PDF is valid, replace it now.

    The approval never fails because of the document: if the new PDF cannot be issued (e.g. the
    employee has no unit kerja), the old PDF is still revoked, without a replacement.
    """
    valid = [d for d in skp_documents(skp) if d.is_valid]
    if not valid:
        return None
    try:
        with db.session.begin_nested():
            return issue_skp_document(skp, user_id, today)[0]
    except DomainError:
        for old in valid:
            docs.revoke(old, f"SKP diganti versi {skp.version}; PDF versi baru belum diterbitkan.", None, user_id)
        return None


# --- periodic realisasi report (domain §2.9: dokumen evaluasi kinerja periodik, without the ratings) ---------


def realisasi_ref(skp: Skp, window_no: int) -> str:
    return f"realisasi:{skp.employee_id}:{skp.period_id}:{window_no}"


def build_realisasi(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen body of one window's realisasi: per IKI target, realisasi, bukti dukung count; per RHK and per
    BerAKHLAK value the atasan's umpan balik berkelanjutan (PermenPANRB 6/2022 Pasal 5: pendokumentasian
    kinerja and umpan balik)."""
    body = build_skp(subjects, params)
    skp = db.session.get(Skp, params["skp_id"])
    window = next((w for w in skp.period.windows if w.index == params.get("window_no")), None)
    if window is None:
        raise DomainError("Periode penilaian tidak sah.", field="window")
    iki_ids = [i.id for r in skp.rhks for i in r.indikators]
    reals = {
        r.indikator_id: r
        for r in db.session.scalars(
            select(Realisasi).where(Realisasi.indikator_id.in_(iki_ids), Realisasi.window_no == window.index)
        )
    }
    counts = dict(
        db.session.execute(
            select(Evidence.realisasi_id, func.count(Evidence.id))
            .where(Evidence.realisasi_id.in_([r.id for r in reals.values()]))
            .group_by(Evidence.realisasi_id)
        ).all()
    )
    feedback = list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.skp_id == skp.id, or_(Feedback.window_no == window.index, Feedback.window_no.is_(None)))
            .order_by(Feedback.created_at, Feedback.id)
        )
    )
    from_atasan = [f for f in feedback if f.author is None or f.author.employee_id != skp.employee_id]
    # render_skp_context lists RHK in the same order as skp.rhks grouped by kategori: walk them together.
    rhks_by_group = {
        g["kode"]: [r for r in skp.rhks if ("A" if r.kategori.value == "utama" else "B") == g["kode"]]
        for g in body["hasil_kerja"]
    }
    for g in body["hasil_kerja"]:
        for row, rhk in zip(g["rhk"], rhks_by_group[g["kode"]], strict=True):
            row["umpan_balik"] = [f.body for f in from_atasan if f.rhk_id == rhk.id]
            for item, iki in zip(row["indikator"], rhk.indikators, strict=True):
                real = reals.get(iki.id)
                item["realisasi"] = f"{real.nilai} {iki.satuan or ''}".strip() if real else ""
                item["keterangan"] = (real.keterangan or "") if real else ""
                item["bukti"] = (counts.get(real.id, 0) + (1 if real.link else 0)) if real else 0
    for p in body["perilaku"]:
        p["umpan_balik"] = [f.body for f in from_atasan if f.nilai == p["nilai"]]
    filled = sum(1 for i in iki_ids if i in reals)
    body.update(
        window_no=window.index,
        window_label=window.label,
        window_periode=f"{tanggal(window.start)} s.d. {tanggal(window.end)}",
        terisi=filled,
        jumlah_iki=len(iki_ids),
    )
    return body


REALISASI_SPEC = _employee_document(
    DocType.REALISASI_SKP,
    "skp/pdf/realisasi.html",
    build_realisasi,
    lambda body: f"Realisasi SKP {body['tahun']} {body['window_label']} — {body['pegawai']['nama']}",
)


def realisasi_documents(skp: Skp) -> list[IssuedDocument]:
    """Issued realisasi reports of every window of this SKP's period, newest first."""
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(
                IssuedDocument.source_ref.like(f"realisasi:{skp.employee_id}:{skp.period_id}:%"),
                IssuedDocument.status != DocStatus.PENDING,
            )
            .order_by(IssuedDocument.id.desc())
        )
    )


def issue_realisasi_document(skp: Skp, window_no: int, user_id: int | None, today: date) -> tuple[IssuedDocument, bool]:
    """Issue one window's realisasi report; unchanged data returns the valid report already issued, changed
    data issues a new one that replaces (revokes) the previous report of the window. Flushes only.

    Two clicks racing each other compute the same idempotency key (the count of reports issued so far): the
    unique index lets one report through, the other flush raises IntegrityError (the view answers "sudah
    diterbitkan")."""
    if skp.status != SkpStatus.APPROVED:
        raise DomainError("Dokumen realisasi hanya diterbitkan dari SKP yang sudah disetujui.")
    ref = realisasi_ref(skp, window_no)
    existing = docs.documents_of(ref)
    body = build_realisasi([skp.employee], {"skp_id": skp.id, "window_no": window_no})
    for d in existing:
        if d.is_valid and d.context.get("body") == body:
            return d, False
    doc = docs.issue(
        DocType.REALISASI_SKP,
        unit_id=_opd_of(skp.employee).id,
        subjects=[skp.employee],
        params={"skp_id": skp.id, "window_no": window_no},
        issued_on=today,
        user_id=user_id,
        source_ref=ref,
        idempotency_key=f"{ref}:{len(existing)}",
    )
    for old in existing:
        if old.is_valid:
            docs.revoke(old, "Diganti dokumen realisasi yang lebih baru untuk periode yang sama.", doc, user_id)
    return doc, True
