"""Each demo role, in a real browser: log in, see its own menu, search the directory, open a profile, log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "demo12345"
COMMON = ["Beranda", "Direktori Pegawai", "Struktur Organisasi", "Panduan"]
MY_WORK = [
    "SKP Saya",
    "Pohon Kinerja",
    "Penilaian 360",
    "Penilaian Kinerja",
    "Pembinaan Kinerja",
    "Penghargaan",
    "Gaji Saya",
]
MY_WORK_AS_SUPERIOR = [MY_WORK[0], "Persetujuan SKP", *MY_WORK[1:]]
KARIER = ["Seleksi Jabatan", "Pengembangan Saya", "Katalog Pengembangan", "Kompetensi Saya"]
HR = [
    "Periode Kinerja",
    "Pemantauan SKP",
    "Siklus Penilaian 360",
    "Dasbor Penilaian",
    "Peta Talenta",
    "Aturan Penilaian",
    "Kompetensi",
    "Suksesi Jabatan",
    "Antrean Rujukan",
    "Aturan Rujukan",
    "Dasbor Pengembangan",
    "Impor Pegawai",
    "Kualitas Data",
    "Arsip Dokumen",
]
PAY_RULES = ["Potongan Lain-lain", "Jumlah Manual Gaji", "Aturan Gaji"]
TAX_YEAR = ["Status PTKP per Tahun", "Impor Penghasilan Awal Tahun", "Bukti Potong Tahunan"]
FINANCE = ["Penggajian", "Dasbor TPP", "Kehadiran & Predikat", *PAY_RULES, *TAX_YEAR]
APPROVERS = ["Penggajian", "Dasbor TPP", "Jumlah Manual Gaji", "Aturan Gaji"]
PUBLIC_SERVICE = ["Pelayanan Publik", "Survei Kepuasan (SKM)", "Pengaduan", "Inovasi"]
ADMINISTRASI = ["Akun Pengguna", "Log Audit", "Kesiapan Go-Live"]
# The menu of each demo account, in order (grouped: Umum, Kinerja, Pengembangan & Karier, the roles' own groups).
ROLES = {
    "pegawai": COMMON + MY_WORK + KARIER + ["Pelayanan Publik"],
    "atasan": COMMON + MY_WORK_AS_SUPERIOR + KARIER + PUBLIC_SERVICE,
    "kabid": COMMON + MY_WORK_AS_SUPERIOR + KARIER + PUBLIC_SERVICE,
    "kepegawaian": COMMON
    + MY_WORK
    + KARIER
    + HR
    + FINANCE
    + PUBLIC_SERVICE
    + ["Dasbor Umpan Balik", "Ekspor Nasional"]
    + ADMINISTRASI,
    "operator": COMMON
    + MY_WORK
    + KARIER
    + ["Penggajian", "Dasbor TPP", "Kehadiran & Predikat", *PAY_RULES, *TAX_YEAR[1:]]
    + ["Pelayanan Publik", "Ekspor Nasional", "Kesiapan Go-Live"],
    "verifikator": COMMON
    + MY_WORK_AS_SUPERIOR
    + KARIER
    + APPROVERS
    + PUBLIC_SERVICE
    + ["Ekspor Nasional", "Kesiapan Go-Live"],
    "pejabat": COMMON
    + MY_WORK_AS_SUPERIOR
    + KARIER
    + APPROVERS
    + PUBLIC_SERVICE
    + ["Ekspor Nasional", "Kesiapan Go-Live"],
    "admin": COMMON
    + ["Pohon Kinerja", "Penilaian Kinerja", "Pembinaan Kinerja", "Penghargaan", "Seleksi Jabatan"]
    + ["Katalog Pengembangan"]
    + HR
    + FINANCE
    + PUBLIC_SERVICE
    + ["Dasbor Umpan Balik", "Ekspor Nasional"]
    + ADMINISTRASI,
}


def log_in(page, username: str) -> None:
    page.goto("/masuk")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")


def menu_labels(page) -> list[str]:
    # text_content, not inner_text: the labels do not depend on whether the folded menu has been laid out yet
    return [t.strip() for t in page.locator("aside.sidenav a").all_text_contents()]


def log_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/masuk"))
    expect(page.get_by_role("heading", name="Masuk ke Kinerja")).to_be_visible()


@pytest.mark.parametrize("username", list(ROLES))
def test_each_demo_role_logs_in_searches_opens_a_profile_and_logs_out(page, live_server, shot, username):
    target = live_server.target
    log_in(page, username)
    assert [label.strip() for label in menu_labels(page)] == ROLES[username]
    shot(page, f"dashboard-{username}")

    page.locator("aside.sidenav").get_by_role("link", name="Direktori Pegawai").click()
    expect(page.get_by_role("heading", name="Direktori Pegawai")).to_be_visible()
    page.evaluate("window.__noReload = true")
    box = page.get_by_role("searchbox", name="Cari nama atau NIP")
    box.press_sequentially(target.name)  # key by key, like a user; htmx debounces
    results = page.locator("#results tbody tr")
    expect(results.first).to_contain_text(target.name)
    expect(page.locator("#results")).not_to_contain_text("Tidak ada pegawai")
    assert page.evaluate("window.__noReload") is True, "active search must not reload the page"
    expect(page).to_have_url(re.compile(r"q="))
    if username == "kepegawaian":
        shot(page, "directory-search")

    page.locator("#results").get_by_role("link", name=target.full_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(target.full_name)
    expect(page).to_have_url(re.compile(rf"/pegawai/{target.id}$"))
    if username in ("kepegawaian", "pegawai"):
        shot(page, f"profile-as-{username}", full_page=True)

    log_out(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/masuk"))


def test_directory_search_works_without_javascript(nojs_page, live_server, shot):
    page, target = nojs_page, live_server.target
    log_in(page, "kepegawaian")
    page.goto("/pegawai/")
    page.get_by_role("searchbox", name="Cari nama atau NIP").fill(target.name)
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(r"/pegawai/\?q="))
    expect(page.locator("#results tbody tr").first).to_contain_text(target.name)
    shot(page, "directory-search-nojs")
    page.locator("#results").get_by_role("link", name=target.full_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(target.full_name)
    log_out(page)
