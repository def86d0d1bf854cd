"""Official documents."""

from __future__ import annotations

from ..domain.documents import DocType
from ..models import User
from .core import is_hr

# Documents that are a pegawai's own copy: they may download the ones issued about them while valid.
OWN_COPY_TYPES = (DocType.KARTU_PEGAWAI,)


def can_revoke_document(user: User, doc=None) -> bool:
    return is_hr(user) and (doc is None or doc.is_valid)


def can_download_document(user: User, doc) -> bool:
    """HR downloads any document; a pegawai their own valid Kartu Data Pegawai (they are its subject)."""
    if is_hr(user):
        return True
    if not user.is_authenticated or user.employee_id is None:
        return False
    if doc.doc_type not in OWN_COPY_TYPES or not doc.is_valid:
        return False
    return user.employee_id == doc.employee_id or any(s.id == user.employee_id for s in doc.subjects)
