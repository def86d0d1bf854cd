"""Navigation per role, and the counters shown in the header (notifications, to-dos)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from . import access
from .extensions import db
from .htmx import wants_fragment
from .models import Notification


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    visible: object  # callable(user) -> bool


NAV: list[NavItem] = [
    NavItem("Beranda", "dashboard.index", lambda u: True),
    NavItem("Direktori Pegawai", "employees.index", access.can_view_directory),
    NavItem("SKP Saya", "skp.index", lambda u: u.employee_id is not None),
    NavItem("Persetujuan SKP", "skp.inbox", access.may_approve_skps),
    NavItem("Pohon Kinerja", "skp.pohon", lambda u: u.employee_id is not None or access.is_hr(u)),
    NavItem("Periode Kinerja", "skp.periods", access.can_manage_periods),
    NavItem("Pemantauan SKP", "skp.monitoring", access.can_monitor_skp),
    NavItem("Struktur Organisasi", "org.tree", lambda u: True),
    NavItem("Impor Pegawai", "employees.import_upload", access.can_import_employees),
    NavItem("Penilaian 360", "evaluation360.inbox", lambda u: u.employee_id is not None),
    NavItem("Siklus Penilaian 360", "evaluation360.cycles", access.can_manage_cycles),
    NavItem("Kualitas Data", "org.data_quality", access.can_view_data_quality),
    NavItem("Akun Pengguna", "admin.users", access.can_manage_accounts),
    NavItem("Log Audit", "admin.audit", access.can_view_audit),
]


def nav_for(user) -> list[tuple[str, str]]:
    return [(item.label, url_for(item.endpoint)) for item in NAV if item.visible(user)]


def active_href(items: list[tuple[str, str]], path: str) -> str | None:
    """The longest menu link that is the current path or a prefix of it ("/penilaian-360/" vs "…/siklus")."""
    matches = [href for _, href in items if path == href or (href != "/" and path.startswith(href))]
    return max(matches, key=len, default=None)


def unread_count(user) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def init_app(app) -> None:
    @app.context_processor
    def inject_nav():
        # A fragment (active search, inline validation) has no menu or header: skip their queries.
        if wants_fragment() or not current_user.is_authenticated:
            return {"nav_items": [], "unread_notifications": 0, "nav_active": None}
        items = nav_for(current_user)
        return {
            "nav_items": items,
            "unread_notifications": unread_count(current_user),
            "nav_active": active_href(items, request.path),
        }
