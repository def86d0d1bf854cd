"""Official documents."""

from __future__ import annotations

from ..models import User
from .core import is_hr


def can_revoke_document(user: User, doc=None) -> bool:
    return is_hr(user) and (doc is None or doc.is_valid)
