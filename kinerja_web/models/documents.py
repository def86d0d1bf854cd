"""Official documents: kop surat, signers, nomor surat registers and the archive of issued documents.

An issued document is an immutable snapshot (STYLE.md §2.10): the values used are frozen in `context`,
the PDF bytes and their SHA-256 are stored, and downloads stream those bytes, never a re-render.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.documents import Acting, DocStatus, DocType, EntryStatus
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee, Unit


class Letterhead(db.Model):
    """Kop surat of one OPD: the first lines of every document it issues."""

    __audited__ = True
    __audit_exclude__ = ("logo",)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), unique=True)
    pemda_name: Mapped[str] = mapped_column(String(150))
    opd_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(60), default="Kotabumi")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mime: Mapped[str | None] = mapped_column(String(30))
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()


class SignerConfig(db.Model):
    """Who signs documents of one type for one OPD (jabatan, name, NIP, pangkat, place, Plt/Plh)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    doc_type: Mapped[DocType] = mapped_column(enum_column(DocType, 30))
    jabatan: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(150))
    nip: Mapped[str] = mapped_column(String(18))
    pangkat: Mapped[str] = mapped_column(String(80))
    place: Mapped[str] = mapped_column(String(60), default="Kotabumi")
    acting: Mapped[Acting] = mapped_column(enum_column(Acting, 10), default=Acting.DEFINITIF)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
    employee: Mapped[Employee | None] = relationship()
    __table_args__ = (UniqueConstraint("unit_id", "doc_type"),)

    @property
    def signing_title(self) -> str:
        """ "Plt. KEPALA BADAN …," — the line above the signature."""
        prefix = {Acting.PLT: "Plt. ", Acting.PLH: "Plh. "}.get(self.acting, "")
        return f"{prefix}{self.jabatan}"


class NumberRegister(db.Model):
    """Buku register nomor surat: one counter per OPD × document type × year (domain §7.3)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    doc_type: Mapped[DocType] = mapped_column(enum_column(DocType, 30))
    year: Mapped[int] = mapped_column(Integer)
    pattern: Mapped[str] = mapped_column(String(120))
    kode_unit: Mapped[str] = mapped_column(String(30))
    counter: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[Unit] = relationship()
    entries: Mapped[list[NumberEntry]] = relationship(back_populates="register", order_by="NumberEntry.seq")
    __table_args__ = (UniqueConstraint("unit_id", "doc_type", "year"),)


class NumberEntry(db.Model):
    """One number taken from a register; cancelled numbers stay as a visible gap with their reason."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("number_register.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str | None] = mapped_column(String(300))  # perihal, for manually taken numbers
    status: Mapped[EntryStatus] = mapped_column(enum_column(EntryStatus, 10), default=EntryStatus.USED)
    cancelled_reason: Mapped[str | None] = mapped_column(String(300))
    cancelled_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    register: Mapped[NumberRegister] = relationship(back_populates="entries")
    document: Mapped[IssuedDocument | None] = relationship(back_populates="number_entry", uselist=False)
    __table_args__ = (UniqueConstraint("register_id", "seq"), Index("ix_number_entry_number", "number"))

    @property
    def is_cancelled(self) -> bool:
        return self.status == EntryStatus.CANCELLED

    @property
    def cancellable(self) -> bool:
        """Not cancelled yet, and not used by an issued document (a pending batch row goes with the number)."""
        return not self.is_cancelled and (self.document is None or self.document.is_pending)


document_subject = Table(
    "document_subject",
    db.Model.metadata,
    Column("document_id", ForeignKey("issued_document.id", ondelete="CASCADE"), primary_key=True),
    Column("employee_id", ForeignKey("employee.id"), primary_key=True, index=True),
)


class IssuedDocument(db.Model):
    """An issued (numbered, signed) document: frozen context, stored PDF bytes, SHA-256, verification code."""

    __audited__ = True
    __audit_exclude__ = ("pdf", "context")
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[DocType] = mapped_column(enum_column(DocType, 30), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    # Unnumbered types ("tanpa nomor", e.g. the SKP unless the OPD opened a register for it) have neither.
    number: Mapped[str | None] = mapped_column(String(120), index=True)
    number_entry_id: Mapped[int | None] = mapped_column(ForeignKey("number_entry.id"), unique=True)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(300))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)  # main subject
    subject_name: Mapped[str] = mapped_column(String(200))
    subject_nip: Mapped[str | None] = mapped_column(String(18))
    signer_name: Mapped[str] = mapped_column(String(150))
    signer_title: Mapped[str] = mapped_column(String(220))
    context: Mapped[dict] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_size: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    verification_code: Mapped[str] = mapped_column(String(24), unique=True)
    status: Mapped[DocStatus] = mapped_column(enum_column(DocStatus, 10), default=DocStatus.VALID)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # The record a document prints, e.g. "skp:<employee_id>:<period_id>": versions of one SKP share it,
    # so a new version's document can revoke the previous one with a replacement link.
    source_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), index=True)
    claim_token: Mapped[str | None] = mapped_column(String(32))  # batch: which worker renders it
    render_error: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    employee: Mapped[Employee | None] = relationship()
    subjects: Mapped[list[Employee]] = relationship(secondary=document_subject)
    number_entry: Mapped[NumberEntry | None] = relationship(back_populates="document")
    replaced_by: Mapped[IssuedDocument | None] = relationship(remote_side=[id], foreign_keys=[replaced_by_id])
    __table_args__ = (
        Index("ix_issued_document_type_date", "doc_type", "issued_on"),
        # Batch progress counts a job's documents by status many times a second. On SQLite `status` sits after
        # the PDF bytes in the row, so reading it from the table walks each document's overflow pages (~22 KB
        # per decree, re-read after every commit of the other worker process); the index answers alone.
        Index("ix_issued_document_job_status", "job_id", "status"),
    )

    @property
    def is_valid(self) -> bool:
        return self.status == DocStatus.VALID

    @property
    def is_pending(self) -> bool:
        """Numbered by a batch but not rendered yet: not an issued document (yet)."""
        return self.status == DocStatus.PENDING

    @property
    def display_number(self) -> str:
        return self.number or "Tanpa nomor"

    @property
    def reference(self) -> str:
        """How a sentence names the document ("diganti dengan dokumen …"): its number, or its verification code."""
        return f"nomor {self.number}" if self.number else f"tanpa nomor, kode verifikasi {self.code_display}"

    @property
    def code_display(self) -> str:
        c = self.verification_code
        return "-".join(c[i : i + 4] for i in range(0, len(c), 4))


class RateLimitHit(db.Model):
    """One request counted by the DB-based rate limiter (shared by all processes of one server)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    __table_args__ = (Index("ix_rate_limit_hit_key_at", "key", "at"),)
