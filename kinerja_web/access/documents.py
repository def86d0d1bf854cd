"""Official documents: revoking them, and who sets up the kop surat, signers and number registers.

HR sets up every unit and document type. Finance (operator, verifikator, pejabat keuangan) sets up the payroll
documents (slip gaji, daftar gaji) of its own OPD, so that the BPKAD can issue the slips it pays without HR."""

from __future__ import annotations

from ..domain.documents import DocType
from ..models import User
from .core import is_finance, is_hr

PAYROLL_DOC_TYPES = (DocType.SLIP_GAJI, DocType.DAFTAR_GAJI)

# Documents that are a pegawai's own copy: they may download the ones issued about them while valid.
OWN_COPY_TYPES = (DocType.KARTU_PEGAWAI, DocType.LAPORAN_KOMPETENSI)


def can_revoke_document(user: User, doc=None) -> bool:
    return is_hr(user) and (doc is None or doc.is_valid)


def _finance_opd_id(user: User) -> int | None:
    """The OPD a finance user works in (its employee's), None for anyone else."""
    if is_finance(user) and user.employee is not None and user.employee.unit is not None:
        return user.employee.unit.opd.id
    return None


def can_configure_documents(user: User) -> bool:
    """Dokumen › Pengaturan and the register page: HR, or finance for its own OPD's payroll documents."""
    return is_hr(user) or _finance_opd_id(user) is not None


def can_configure_document(user: User, unit_id: int, doc_type: DocType | None = None) -> bool:
    """May the user set the unit's kop surat (`doc_type` None) or its signer / register of `doc_type`?"""
    if is_hr(user):
        return True
    return unit_id == _finance_opd_id(user) and (doc_type is None or doc_type in PAYROLL_DOC_TYPES)


def configurable_doc_types(user: User) -> list[DocType]:
    """The document types whose signer and register the user may set."""
    return list(DocType) if is_hr(user) else list(PAYROLL_DOC_TYPES) if can_configure_documents(user) else []


def can_download_document(user: User, doc) -> bool:
    """HR downloads any document; a pegawai their own valid Kartu Data Pegawai (they are its subject)."""
    if is_hr(user):
        return True
    if not user.is_authenticated or user.employee_id is None:
        return False
    if doc.doc_type not in OWN_COPY_TYPES or not doc.is_valid:
        return False
    return user.employee_id == doc.employee_id or any(s.id == user.employee_id for s in doc.subjects)
