"""Pendokumentasian kinerja: realisasi per IKI per window with bukti dukung, and umpan balik berkelanjutan."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ... import uploads
from ...domain import DomainError
from ...domain.berakhlak import BERAKHLAK
from ...domain.labels import full_stop
from ...domain.skp import SkpJenis, format_number, parse_number
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import Evidence, Feedback, Indikator, Realisasi, Rhk, Skp, User
from .planning import clean_text
from .records import notify_employee

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # per file; the request limit is MAX_CONTENT_LENGTH
EVIDENCE_NOT_ALLOWED = "Bukti dukung harus berkas PDF, PNG, JPEG, atau dokumen Office (docx/xlsx/pptx); jenis diperiksa dari isi berkas, bukan namanya."


def realisasi_for(skp: Skp, window_no: int) -> dict[int, Realisasi]:
    iki_ids = [i.id for r in skp.rhks for i in r.indikators]
    if not iki_ids:
        return {}
    rows = db.session.scalars(
        select(Realisasi)
        .options(selectinload(Realisasi.evidence).load_only(Evidence.id, Evidence.filename, Evidence.size))
        .where(Realisasi.indikator_id.in_(iki_ids), Realisasi.window_no == window_no)
    )
    return {r.indikator_id: r for r in rows}


@dataclass
class Upload:
    filename: str
    data: bytes


def check_upload(upload: Upload, field: str) -> uploads.Checked:
    """A bukti dukung file fit to store: size, then type and structure by content, never by the file name."""
    if len(upload.data) == 0:
        raise DomainError("Berkas kosong.", field=field)
    if len(upload.data) > EVIDENCE_MAX_BYTES:
        raise DomainError(
            f"Berkas «{upload.filename}» melebihi batas {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB.", field=field
        )
    return uploads.check_file(upload.data, uploads.EXTENSIONS, field=field, not_allowed=EVIDENCE_NOT_ALLOWED)


def skp_id_of_evidence(ev: Evidence) -> int | None:
    """The SKP a bukti dukung file belongs to (who may see the SKP may download the file)."""
    return db.session.scalar(
        select(Rhk.skp_id)
        .join(Indikator, Indikator.rhk_id == Rhk.id)
        .join(Realisasi, Realisasi.indikator_id == Indikator.id)
        .where(Realisasi.id == ev.realisasi_id)
    )


def save_realisasi(
    skp: Skp,
    iki: Indikator,
    window_no: int,
    nilai: str,
    keterangan: str,
    link: str,
    uploads: list[Upload],
    actor: User,
) -> Realisasi:
    """Pendokumentasian kinerja: realisasi per IKI per periodic window, with bukti dukung."""
    if skp.status != SkpStatus.APPROVED:
        raise DomainError("Realisasi hanya dapat diisi pada SKP yang sudah disetujui.")
    if not skp.period.is_open:
        raise DomainError("Periode ini sudah ditutup.")
    if window_no not in {w.index for w in skp.period.windows}:
        raise DomainError("Periode penilaian tidak sah.", field="window")
    field = f"nilai-{iki.id}"
    text = (nilai or "").strip()
    if not text:
        raise DomainError("Realisasi wajib diisi.", field=field)
    if skp.jenis != SkpJenis.KUALITATIF:
        text = format_number(parse_number(text, field, "Realisasi"))
    link = (link or "").strip()
    if link and not link.startswith(("https://", "http://")):
        raise DomainError("Tautan bukti dukung harus diawali http:// atau https://.", field=f"link-{iki.id}")
    checked = [(u, check_upload(u, f"bukti-{iki.id}")) for u in uploads]
    row = db.session.scalars(
        select(Realisasi).where(Realisasi.indikator_id == iki.id, Realisasi.window_no == window_no)
    ).first()
    if row is None:
        row = Realisasi(indikator_id=iki.id, window_no=window_no, created_by_id=actor.id)
        db.session.add(row)
    row.nilai, row.keterangan, row.link = text, (keterangan or "").strip() or None, link or None
    for upload, file in checked:
        row.evidence.append(Evidence(**file.columns(upload.filename, "bukti")))
    db.session.flush()
    return row


def feedback_threads(skp: Skp) -> list[Feedback]:
    return list(
        db.session.scalars(
            select(Feedback)
            .options(joinedload(Feedback.author).joinedload(User.employee))
            .where(Feedback.skp_id == skp.id)
            .order_by(Feedback.created_at, Feedback.id)
        )
    )


def add_feedback(skp: Skp, actor: User, target: str, body: str, window_no: int | None) -> Feedback:
    """Umpan balik berkelanjutan on one RHK ("rhk-<id>") or one BerAKHLAK value ("nilai-<name>")."""
    text = clean_text(body, "body", "Umpan balik", 2000)
    fb = Feedback(skp_id=skp.id, author_id=actor.id, body=text, window_no=window_no)
    if target.startswith("rhk-") and target[4:].isdigit() and int(target[4:]) in {r.id for r in skp.rhks}:
        fb.rhk_id = int(target[4:])
    elif target.startswith("nilai-") and target[6:] in BERAKHLAK:
        fb.nilai = target[6:]
    else:
        raise DomainError("Pilih RHK atau nilai BerAKHLAK yang diberi umpan balik.", field="target")
    db.session.add(fb)
    db.session.flush()
    other = skp.appraiser_id if actor.employee_id == skp.employee_id else skp.employee_id
    notify_employee(
        other,
        "umpan_balik",
        full_stop(f"Umpan balik baru pada SKP {skp.period.year} {skp.employee.full_name}"),
        url_for("skp.feedback", skp_id=skp.id),
    )
    return fb
