"""The archive of issued documents: search, stored bytes, and the employee picker of the issuing forms."""

from __future__ import annotations

from sqlalchemy import or_, select

from ...domain.documents import DocStatus, DocType
from ...domain.numbering import normalize_code
from ...extensions import db
from ...models import Employee, IssuedDocument, document_subject

# What the archive lists and filters by: a pending batch row is not an issued document yet.
ARCHIVE_STATUSES = (DocStatus.VALID, DocStatus.REVOKED)


def archive_query(q: str = "", doc_type: str = "", status: str = "", date_from=None, date_to=None, employee_id=None):
    stmt = select(IssuedDocument).where(IssuedDocument.status != DocStatus.PENDING)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(
                IssuedDocument.number.ilike(like),
                IssuedDocument.title.ilike(like),
                IssuedDocument.subject_name.ilike(like),
                IssuedDocument.subject_nip.ilike(like),
                IssuedDocument.id.in_(
                    select(document_subject.c.document_id)
                    .join(Employee, Employee.id == document_subject.c.employee_id)
                    .where(or_(Employee.name.ilike(like), Employee.nip.ilike(like)))
                ),
            )
        )
    if doc_type in DocType._value2member_map_:
        stmt = stmt.where(IssuedDocument.doc_type == DocType(doc_type))
    if status in DocStatus._value2member_map_:
        stmt = stmt.where(IssuedDocument.status == DocStatus(status))
    if date_from:
        stmt = stmt.where(IssuedDocument.issued_on >= date_from)
    if date_to:
        stmt = stmt.where(IssuedDocument.issued_on <= date_to)
    if employee_id:
        stmt = stmt.where(
            IssuedDocument.id.in_(
                select(document_subject.c.document_id).where(document_subject.c.employee_id == employee_id)
            )
        )
    return stmt.order_by(IssuedDocument.issued_on.desc(), IssuedDocument.id.desc())


def search_employees(q: str, limit: int = 30) -> list[Employee]:
    if not q.strip():
        return []
    like = f"%{q.strip()}%"
    return list(
        db.session.scalars(
            select(Employee)
            .where(Employee.active.is_(True), or_(Employee.name.ilike(like), Employee.nip.ilike(like)))
            .order_by(Employee.name)
            .limit(limit)
        )
    )


def selected_employees(ids: list[int]) -> list[Employee]:
    """The employees picked on an issuing form, in the order picked (unknown ids dropped, repeats once)."""
    if not ids:
        return []
    found = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(ids)))}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def own_copies(employee: Employee, doc_types) -> list[IssuedDocument]:
    """The valid documents of `doc_types` issued about the employee (e.g. their Kartu Data Pegawai), newest first."""
    about = or_(
        IssuedDocument.employee_id == employee.id,
        IssuedDocument.id.in_(
            select(document_subject.c.document_id).where(document_subject.c.employee_id == employee.id)
        ),
    )
    stmt = select(IssuedDocument).where(
        about, IssuedDocument.doc_type.in_(doc_types), IssuedDocument.status == DocStatus.VALID
    )
    return list(db.session.scalars(stmt.order_by(IssuedDocument.issued_on.desc(), IssuedDocument.id.desc())))


def stored_pdf(doc: IssuedDocument) -> bytes | None:
    """The stored bytes (a deferred column): an issued document is never re-rendered."""
    return db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id))


def by_number_or_code(wanted: str) -> IssuedDocument | None:
    """A document by its number, or by the verification code of an unnumbered one (e.g. a replacement)."""
    wanted = wanted.strip()
    return db.session.scalar(
        select(IssuedDocument).where(
            (IssuedDocument.number == wanted) | (IssuedDocument.verification_code == normalize_code(wanted))
        )
    )
