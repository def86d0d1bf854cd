"""Navigation per role, and the counters shown in the header (notifications, to-dos)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, func, select

from . import access
from .extensions import db
from .htmx import wants_fragment
from .models import Notification
from .services import datacache
from .timeutil import today_wib


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    visible: object  # callable(user) -> bool
    section: str = ""


def _has_employee(user) -> bool:
    return user.employee_id is not None


def _has_employee_or_hr(user) -> bool:
    return _has_employee(user) or access.is_hr(user)


# Grouped by who works with it, so a long menu stays scannable; each item shows only where `visible` says.
# HR's own work (about twenty entries) is split by task; base.html shows each group as a foldable sub-menu.
KELOLA_KINERJA = "Kelola SKP & Penilaian"
KELOLA_PENGEMBANGAN = "Kelola Pengembangan"
KARIER = "Pengembangan & Karier"  # one's own development, competency and the selections one may apply to
DATA_PEGAWAI = "Data Pegawai"
NAV: list[NavItem] = [
    NavItem("Beranda", "dashboard.index", lambda u: True, "Umum"),
    NavItem("Direktori Pegawai", "employees.index", access.can_view_directory, "Umum"),
    NavItem("Struktur Organisasi", "org.tree", lambda u: True, "Umum"),
    NavItem("Panduan", "guide.index", lambda u: True, "Umum"),
    NavItem("SKP Saya", "skp.index", _has_employee, "Kinerja"),
    NavItem("Persetujuan SKP", "skp.inbox", access.may_approve_skps, "Kinerja"),
    NavItem("Pohon Kinerja", "skp.pohon", lambda u: _has_employee(u) or access.is_hr(u), "Kinerja"),
    NavItem("Penilaian 360", "evaluation360.inbox", _has_employee, "Kinerja"),
    NavItem("Penilaian Kinerja", "rating.index", lambda u: _has_employee(u) or access.is_hr(u), "Kinerja"),
    NavItem("Pembinaan Kinerja", "pembinaan.index", lambda u: _has_employee(u) or access.is_hr(u), "Kinerja"),
    NavItem("Penghargaan", "awards.index", lambda u: _has_employee(u) or access.is_hr(u), "Kinerja"),
    NavItem("Gaji Saya", "payroll.mine", access.can_view_own_pay, "Kinerja"),
    NavItem("Seleksi Jabatan", "selection.index", lambda u: _has_employee(u) or access.is_hr(u), KARIER),
    NavItem("Pengembangan Saya", "development.mine", access.has_own_development, KARIER),
    NavItem("Katalog Pengembangan", "development.catalogue", access.can_browse_programmes, KARIER),
    NavItem("Kompetensi Saya", "competency.mine", access.has_own_competency, KARIER),
    NavItem("Periode Kinerja", "skp.periods", access.is_hr, KELOLA_KINERJA),
    NavItem("Pemantauan SKP", "skp.monitoring", access.is_hr, KELOLA_KINERJA),
    NavItem("Siklus Penilaian 360", "evaluation360.cycles", access.is_hr, KELOLA_KINERJA),
    NavItem("Dasbor Penilaian", "hr_dashboards.predikat", access.can_view_dashboards, KELOLA_KINERJA),
    NavItem("Peta Talenta", "talent.index", access.is_hr, KELOLA_KINERJA),
    NavItem("Aturan Penilaian", "rating.rules", access.can_manage_rating_rules, KELOLA_KINERJA),
    NavItem("Kompetensi", "competency.index", access.is_hr, KELOLA_PENGEMBANGAN),
    NavItem("Suksesi Jabatan", "selection.succession_list", access.can_view_succession, KELOLA_PENGEMBANGAN),
    NavItem("Antrean Rujukan", "development.queue", access.is_hr, KELOLA_PENGEMBANGAN),
    NavItem("Aturan Rujukan", "development.rules", access.is_hr, KELOLA_PENGEMBANGAN),
    NavItem("Dasbor Pengembangan", "development.dashboard", access.can_view_dashboards, KELOLA_PENGEMBANGAN),
    NavItem("Impor Pegawai", "employees.import_upload", access.is_hr, DATA_PEGAWAI),
    NavItem("Kualitas Data", "org.data_quality", access.is_hr, DATA_PEGAWAI),
    NavItem("Arsip Dokumen", "documents.archive", access.is_hr, DATA_PEGAWAI),
    NavItem("Penggajian", "payroll.index", access.can_view_payroll, "Keuangan"),
    NavItem("Dasbor TPP", "payroll.dashboard", access.can_view_tpp_dashboard, "Keuangan"),
    NavItem("Kehadiran & Predikat", "payroll.attendance", access.can_manage_attendance, "Keuangan"),
    NavItem("Potongan Lain-lain", "payroll.deductions_page", access.can_manage_attendance, "Keuangan"),
    NavItem("Jumlah Manual Gaji", "payroll.manual_amounts", access.can_decide_manual_amount, "Keuangan"),
    NavItem("Aturan Gaji", "payroll.rules", access.can_read_payroll_rules, "Keuangan"),
    NavItem("Status PTKP per Tahun", "payroll.ptkp_years_page", access.can_manage_ptkp_years, "Keuangan"),
    NavItem("Impor Penghasilan Awal Tahun", "payroll.ytd_page", access.can_import_ytd, "Keuangan"),
    NavItem("Bukti Potong Tahunan", "payroll.bukti_potong_page", access.can_issue_bukti_potong, "Keuangan"),
    NavItem("Pelayanan Publik", "public_service.index", _has_employee_or_hr, "Pelayanan Publik"),
    NavItem("Survei Kepuasan (SKM)", "skm.index", access.is_feedback_operator, "Pelayanan Publik"),
    NavItem("Pengaduan", "complaints.index", access.is_feedback_operator, "Pelayanan Publik"),
    NavItem("Inovasi", "innovations.index", access.is_feedback_operator, "Pelayanan Publik"),
    NavItem("Dasbor Umpan Balik", "skm.regency_dashboard", access.can_view_regency_services, "Pelayanan Publik"),
    NavItem("Ekspor Nasional", "national.index", access.can_view_national_exports, "Laporan"),
    NavItem("Akun Pengguna", "admin.users", access.is_hr, "Administrasi"),
    NavItem("Log Audit", "admin.audit", access.is_hr, "Administrasi"),
    NavItem("Kesiapan Go-Live", "admin.readiness_checklist", access.can_view_readiness, "Administrasi"),
]


def nav_for(user) -> list[tuple[str, str]]:
    return [(item.label, url_for(item.endpoint)) for item in NAV if item.visible(user)]


def nav_sections(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """The visible menu as (section, [(label, href)]) in order; empty sections are left out."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for item in NAV:
        if not item.visible(user):
            continue
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append((item.label, url_for(item.endpoint)))
    return sections


def active_href(items: list[tuple[str, str]], path: str) -> str | None:
    """The longest menu link that is the current path or a prefix of it ("/penilaian-360/" vs "…/siklus")."""
    matches = [href for _, href in items if path == href or (href != "/" and path.startswith(href))]
    return max(matches, key=len, default=None)


# Built once: on every full page, building this statement cost more than running it.
_UNREAD = select(func.count(Notification.id)).where(
    Notification.user_id == bindparam("uid"), Notification.read_at.is_(None)
)


def unread_count(user) -> int:
    return db.session.scalar(_UNREAD, {"uid": user.id}) or 0


def init_app(app) -> None:
    # Browsers ask for /favicon.ico on their own (a PDF tab, a bookmark): the shipped icon, never a 404.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))

    @app.context_processor
    def inject_nav():
        # A fragment (active search, inline validation) has no menu or header: skip their queries.
        if wants_fragment() or not current_user.is_authenticated:
            return {"nav_items": [], "nav_sections": [], "unread_notifications": 0, "nav_active": None}
        user = current_user._get_current_object()
        # The menu depends on roles and on whether the user has subordinates (org data): cached per worker
        # under the data version, like the dashboard's to-dos.
        sections = datacache.cached(
            "nav_sections", lambda: nav_sections(user), user.id, tuple(sorted(user.roles)), today_wib()
        )
        items = [entry for _, entries in sections for entry in entries]
        return {
            "nav_items": items,
            "nav_sections": sections,
            "unread_notifications": unread_count(current_user),
            "nav_active": active_href(items, request.path),
        }
