"""Issuing official documents: numbering, freezing the context, rendering, storing, revoking.

Every document type has a `DocSpec` (template + context builder, see `specs`). `issue()` does everything in
the caller's transaction (flush, never commit): validate → take the next number under a row lock →
render → store bytes and SHA-256. A failure anywhere rolls the number back with the rest, so the
register stays gap-free; numbers only disappear as recorded, visible cancellations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from flask import current_app, has_request_context, request, url_for
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import pdf
from ...domain import DomainError
from ...domain.documents import Acting, DocStatus, DocType, EntryStatus
from ...domain.numbering import format_number, new_verification_code
from ...extensions import db
from ...models import Employee, IssuedDocument, Letterhead, NumberEntry, NumberRegister, SignerConfig, Unit, utcnow
from .configuration import letterhead_for, signer_for
from .specs import Numbering, spec_for

# --- configuration lookups ---------------------------------------------------------------------------


def has_register(unit_id: int, doc_type: DocType, year: int) -> bool:
    """Does the OPD number this type (a register this year or an earlier one to continue from)?"""
    return bool(
        db.session.scalar(
            select(func.count(NumberRegister.id)).where(
                NumberRegister.unit_id == unit_id, NumberRegister.doc_type == doc_type, NumberRegister.year <= year
            )
        )
    )


def check_issuer(doc_type: DocType, unit_id: int, year: int) -> None:
    """Raise DomainError when the issuing unit lacks what every document of the type needs (kop surat, signer,
    number register): checked once before a batch, so a missing setting is one clear message on the form
    instead of the same failure repeated for every employee. Takes no number."""
    spec = spec_for(doc_type)
    if spec.letterhead_required:
        letterhead_for(unit_id)
    if spec.signer is None:
        signer_for(unit_id, doc_type)
    if spec.numbering is Numbering.REQUIRED and not has_register(unit_id, doc_type, year):
        raise DomainError(f"Register nomor {doc_type.label} tahun {year} belum diatur (menu Dokumen › Register nomor).")


def register_for(unit_id: int, doc_type: DocType, year: int, session: Session | None = None) -> NumberRegister:
    """The register of the year; a new year starts a new register with last year's pattern (counter 0)."""
    session = session or db.session
    reg = session.scalar(
        select(NumberRegister).where(
            NumberRegister.unit_id == unit_id, NumberRegister.doc_type == doc_type, NumberRegister.year == year
        )
    )
    if reg is not None:
        return reg
    prev = session.scalar(
        select(NumberRegister)
        .where(NumberRegister.unit_id == unit_id, NumberRegister.doc_type == doc_type, NumberRegister.year < year)
        .order_by(NumberRegister.year.desc())
        .limit(1)
    )
    if prev is None:
        raise DomainError(f"Register nomor {doc_type.label} tahun {year} belum diatur (menu Dokumen › Register nomor).")
    reg = NumberRegister(unit_id=unit_id, doc_type=doc_type, year=year, pattern=prev.pattern, kode_unit=prev.kode_unit)
    session.add(reg)
    session.flush()
    return reg


# --- numbering ---------------------------------------------------------------------------------------


def take_number(
    register_id: int, on: date, user_id: int | None, subject: str | None = None, session: Session | None = None
) -> NumberEntry:
    """Take the next number of a register inside the caller's transaction.

    The counter row is locked until commit/rollback: PostgreSQL `SELECT … FOR UPDATE` (a second officer
    waits), SQLite an atomic `UPDATE … SET counter = counter + 1 RETURNING` (which takes the database
    write lock; pysqlite starts the transaction right there). A rollback returns the number, so the
    sequence has no gaps and no duplicates.
    """
    session = session or db.session
    reg_t = NumberRegister.__table__
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            select(reg_t.c.counter, reg_t.c.pattern, reg_t.c.kode_unit)
            .where(reg_t.c.id == register_id)
            .with_for_update()
        ).one()
        seq = row.counter + 1
        session.execute(update(reg_t).where(reg_t.c.id == register_id).values(counter=seq))
    else:
        row = session.execute(
            update(reg_t)
            .where(reg_t.c.id == register_id)
            .values(counter=reg_t.c.counter + 1)
            .returning(reg_t.c.counter, reg_t.c.pattern, reg_t.c.kode_unit)
        ).one()
        seq = row.counter
    # The ORM copy of the register (if loaded) is now stale.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, NumberRegister) and obj.id == register_id:
            session.expire(obj, ["counter"])
    entry = NumberEntry(
        register_id=register_id,
        seq=seq,
        number=format_number(row.pattern, seq, on, row.kode_unit),
        subject=subject,
        created_by_id=user_id,
    )
    session.add(entry)
    session.flush()
    return entry


def cancel_entry(entry: NumberEntry, reason: str, user_id: int | None) -> None:
    """Cancel a number that is not attached to an issued document; it stays visible as a gap."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Alasan pembatalan wajib diisi.", field="reason")
    if entry.status == EntryStatus.CANCELLED:
        raise DomainError("Nomor ini sudah dibatalkan.")
    if entry.document is not None and entry.document.status != DocStatus.PENDING:
        raise DomainError("Nomor ini dipakai dokumen yang sudah terbit; cabut dokumennya, bukan nomornya.")
    if entry.document is not None:
        db.session.delete(entry.document)
    entry.status = EntryStatus.CANCELLED
    entry.cancelled_reason = reason[:300]
    entry.cancelled_at = utcnow()
    entry.cancelled_by_id = user_id
    db.session.flush()


# --- issuing -----------------------------------------------------------------------------------------


def public_base_url() -> str:
    """Base URL printed in QR codes: config PUBLIC_BASE_URL, else the host of the current request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost"


def verify_url(code: str, base_url: str | None = None) -> str:
    return (base_url or public_base_url()) + url_for("verification.verify_code", kode=code, _external=False)


def _letterhead_ctx(lh: Letterhead) -> dict:
    return {
        "pemda_name": lh.pemda_name,
        "opd_name": lh.opd_name,
        "address": lh.address,
        "contact": lh.contact,
        "city": lh.city,
        "logo_sha256": lh.logo_sha256,
    }


def _signer_ctx(s: SignerConfig) -> dict:
    return {
        "title": s.signing_title,
        "jabatan": s.jabatan,
        "name": s.name,
        "nip": s.nip,
        "pangkat": s.pangkat,
        "place": s.place,
        "acting": Acting(s.acting).value,
    }


def prepare(
    doc_type: DocType,
    *,
    unit_id: int,
    subjects: Sequence[Employee],
    params: dict,
    issued_on: date,
    user_id: int | None,
    base_url: str | None = None,
    idempotency_key: str | None = None,
    job_id: int | None = None,
    source_ref: str | None = None,
) -> IssuedDocument:
    """Validate, take the number and create the (not yet rendered) document row, in the caller's transaction.

    Everything that can fail because of the data happens before the number is taken.
    """
    spec = spec_for(doc_type)
    if not subjects:
        raise DomainError("Pilih minimal satu pegawai.", field="employees")
    body = spec.build(subjects, params)
    if spec.letterhead_required:
        lh_ctx = _letterhead_ctx(letterhead_for(unit_id))
    else:
        lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == unit_id))
        lh_ctx = _letterhead_ctx(lh) if lh else None
    signer = spec.signer(body) if spec.signer else _signer_ctx(signer_for(unit_id, doc_type))
    title = spec.title(body)
    entry = None
    if spec.numbering is Numbering.REQUIRED or has_register(unit_id, doc_type, issued_on.year):
        reg = register_for(unit_id, doc_type, issued_on.year)
        entry = take_number(reg.id, issued_on, user_id, subject=title[:300])
    code = new_verification_code()
    main = subjects[0]
    context = {
        "doc_type": doc_type.value,
        "number": entry.number if entry else None,
        "issued_on": issued_on.isoformat(),
        "code": code,
        "verify_url": verify_url(code, base_url),
        "letterhead": lh_ctx,
        "signer": signer,
        "body": body,
    }
    doc = IssuedDocument(
        doc_type=doc_type,
        unit_id=unit_id,
        number=entry.number if entry else None,
        number_entry=entry,
        issued_on=issued_on,
        title=title[:300],
        employee_id=main.id if len(subjects) == 1 else None,
        subject_name=main.full_name if len(subjects) == 1 else f"{len(subjects)} pegawai",
        subject_nip=main.nip if len(subjects) == 1 else None,
        signer_name=signer["name"],
        signer_title=signer["title"][:220],
        source_ref=source_ref,
        context=context,
        verification_code=code,
        status=DocStatus.PENDING,
        idempotency_key=idempotency_key,
        job_id=job_id,
        created_by_id=user_id,
    )
    doc.subjects = list(subjects)
    db.session.add(doc)
    db.session.flush()
    return doc


def render_document(doc: IssuedDocument) -> None:
    """Render the frozen context to PDF and store bytes, hash and page count; the document becomes valid."""
    spec = spec_for(doc.doc_type)
    ctx = doc.context
    qr = pdf.data_uri(pdf.qr_png(ctx["verify_url"]), "image/png")
    data, pages = pdf.render_pdf_pages(
        spec.template,
        doc=ctx,
        body=ctx["body"],
        logo=letterhead_logo(doc.unit_id),
        qr=qr,
        code_display=_code_display(ctx["code"]),
        issued_on=date.fromisoformat(ctx["issued_on"]),
    )
    doc.pdf = data
    doc.pdf_size = len(data)
    doc.page_count = pages
    doc.sha256 = hashlib.sha256(data).hexdigest()
    doc.status = DocStatus.VALID
    db.session.flush()


def letterhead_logo(unit_id: int) -> str | None:
    row = db.session.execute(select(Letterhead.logo, Letterhead.logo_mime).where(Letterhead.unit_id == unit_id)).first()
    if row is None or row.logo is None:
        return None
    return pdf.data_uri(row.logo, row.logo_mime or "image/png")


def _code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue(doc_type: DocType, **kw) -> IssuedDocument:
    """Prepare and render in one transaction: a rendering failure gives the number back on rollback."""
    doc = prepare(doc_type, **kw)
    render_document(doc)
    return doc


def reissue(doc_type: DocType, reason: str, *, source_ref: str, user_id: int | None, **kw) -> IssuedDocument:
    """Issue the new version of what a source record's document states, and revoke every valid earlier version of
    it with `reason` and a link to the new one (the archive and the verification page name the replacement).
    Flushes only."""
    older = [d for d in documents_of(source_ref) if d.is_valid]
    doc = issue(doc_type, source_ref=source_ref, user_id=user_id, **kw)
    for old in older:
        revoke(old, reason, doc, user_id)
    return doc


def revoke(doc: IssuedDocument, reason: str, replacement: IssuedDocument | None, user_id: int | None) -> None:
    """Dicabut: the document stays in the archive and on the verification page, marked revoked.

    Revokes once: the status moves VALID → REVOKED in one conditional UPDATE, so of two requests that both read
    the document as valid (a double click, two officers) the second matches no row and gets a DomainError
    instead of a second revocation and a second audit entry (PostgreSQL: its UPDATE waits for the first
    transaction and then sees the new status; SQLite: writers take turns).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Alasan pencabutan wajib diisi.", field="reason")
    if doc.status != DocStatus.VALID:
        raise DomainError("Hanya dokumen yang berlaku yang dapat dicabut.")
    if replacement is not None:
        if replacement.id == doc.id:
            raise DomainError("Dokumen pengganti tidak boleh dokumen itu sendiri.", field="replacement")
        if replacement.status != DocStatus.VALID:
            raise DomainError("Dokumen pengganti harus dokumen yang berlaku.", field="replacement")
    table = IssuedDocument.__table__
    claimed = db.session.execute(
        update(table).where(table.c.id == doc.id, table.c.status == DocStatus.VALID).values(status=DocStatus.REVOKED)
    ).rowcount
    if claimed != 1:
        raise DomainError(f"Dokumen {doc.display_number} sudah dicabut.")
    doc.status = DocStatus.REVOKED  # the ORM change (already in the row) is what the audit trail records
    doc.revoked_reason = reason
    doc.revoked_at = utcnow()
    doc.revoked_by_id = user_id
    doc.replaced_by_id = replacement.id if replacement else None
    db.session.flush()


def issue_once(doc_type: DocType, idempotency_key: str | None, **kw) -> tuple[IssuedDocument, bool]:
    """Issue once per submitted form: the same form sent again (a double click) answers with the document the
    first submit issued, also when both arrive at the same moment (the idempotency key is unique: the later
    insert fails when it is flushed, and its number goes back with the rollback). Returns (document,
    newly_issued); the caller commits, and a DomainError is the caller's to answer.

    The rollback here ends the caller's transaction: call it first in a unit of work that holds nothing else.
    """
    earlier = issued_under(idempotency_key)
    if earlier is not None:
        return earlier, False
    try:
        return issue(doc_type, idempotency_key=idempotency_key, **kw), True
    except IntegrityError:
        db.session.rollback()
        earlier = issued_under(idempotency_key)
        if earlier is None:
            raise
        return earlier, False


def issued_under(idempotency_key: str | None) -> IssuedDocument | None:
    """The document already issued under an idempotency key (e.g. the same form submitted before), if any."""
    if idempotency_key is None:
        return None
    return db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.idempotency_key == idempotency_key, IssuedDocument.status != DocStatus.PENDING
        )
    )


_OF_SOURCE = (  # built once: the SKP page asks on every request
    select(IssuedDocument)
    .where(IssuedDocument.source_ref == bindparam("source_ref"), IssuedDocument.status != DocStatus.PENDING)
    .order_by(IssuedDocument.id.desc())
)


def documents_of(source_ref: str) -> list[IssuedDocument]:
    """Issued documents of one source record (all versions), newest first."""
    return list(db.session.scalars(_OF_SOURCE, {"source_ref": source_ref}))


def replacements_of(doc: IssuedDocument) -> list[IssuedDocument]:
    return list(db.session.scalars(select(IssuedDocument).where(IssuedDocument.replaced_by_id == doc.id)))


def count_valid(job_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(IssuedDocument.id)).where(
                IssuedDocument.job_id == job_id, IssuedDocument.status != DocStatus.PENDING
            )
        )
        or 0
    )


def units_with_letterhead() -> list[Unit]:
    return list(db.session.scalars(select(Unit).join(Letterhead, Letterhead.unit_id == Unit.id).order_by(Unit.name)))
