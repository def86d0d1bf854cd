"""Navigation per role, and the counters shown in the header (notifications, to-dos)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user
from sqlalchemy import func, select

from . import access
from .extensions import db
from .models import Notification


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    visible: object  # callable(user) -> bool


NAV: list[NavItem] = [
    NavItem("Beranda", "dashboard.index", lambda u: True),
    NavItem("Direktori Pegawai", "employees.index", access.can_view_directory),
    NavItem("Struktur Organisasi", "org.tree", lambda u: True),
    NavItem("Kualitas Data", "org.data_quality", access.can_view_data_quality),
    NavItem("Arsip Dokumen", "documents.archive", access.can_view_document_archive),
    NavItem("Akun Pengguna", "admin.users", access.can_manage_accounts),
    NavItem("Log Audit", "admin.audit", access.can_view_audit),
]


def nav_for(user) -> list[tuple[str, str]]:
    return [(item.label, url_for(item.endpoint)) for item in NAV if item.visible(user)]


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
        if not current_user.is_authenticated:
            return {"nav_items": [], "unread_notifications": 0}
        return {"nav_items": nav_for(current_user), "unread_notifications": unread_count(current_user)}
