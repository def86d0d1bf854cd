"""Pengembangan kompetensi: Pengembangan saya, the catalogue, referral rules, the HR work queue, the lifecycle
of a referral, surat tugas and daftar peserta, the dashboard and the effectiveness report."""

from . import catalogue, dashboard, queue, records, referral, rules  # noqa: F401
