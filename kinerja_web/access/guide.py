"""Panduan and the announcements board: everyone signed in reads; HR (BKPSDM) posts and sees read receipts."""

from __future__ import annotations

from ..models import User
from .core import is_finance, is_hr
from .skp import may_approve_skps


def guide_roles(user: User) -> set[str]:
    """The guide's audiences a user belongs to (services/guide/content.ROLE_LABELS)."""
    roles = {"semua"}
    if user.employee_id is not None:
        roles.add("pegawai")
        if may_approve_skps(user):
            roles.add("atasan")
    if is_hr(user):
        roles.add("kepegawaian")
    if is_finance(user):
        roles.add("keuangan")
    return roles


def can_post_announcement(user: User) -> bool:
    return is_hr(user)


def can_view_read_receipts(user: User) -> bool:
    return is_hr(user)
