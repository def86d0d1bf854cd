"""Go-live readiness checklist (issue 19 item 3): the administrator's page, readable by HR and finance."""

from __future__ import annotations

from ..models import User
from .core import is_admin, is_finance, is_hr


def can_view_readiness(user: User) -> bool:
    """Administrator, HR and the finance roles read the checklist; each row's fix page keeps its own rule."""
    return is_admin(user) or is_hr(user) or is_finance(user)
