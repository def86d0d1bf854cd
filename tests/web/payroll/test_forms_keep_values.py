"""A refused payroll form shows again with every value the user sent (issue 19 item 8): a new run, an attendance
correction, a TPP status period and a TPP pagu."""

from __future__ import annotations

from tests.web.helpers import assert_form_kept
from tests.web.payroll.test_payroll_access import computed  # noqa: F401  (fixture)
from tests.web.payroll.test_payroll_flow import as_user


def test_a_refused_new_run_keeps_kind_month_period_and_scope(app, computed):  # noqa: F811
    url = "/gaji/run"
    sent = {"kind": "rapel", "month": "2026-11", "period_start": "2026-12", "period_end": "2026-10", "scope": "pemda"}
    r = as_user(app, computed.u_operator).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.text, url, sent)


def test_a_refused_attendance_correction_keeps_every_field(app, computed):  # noqa: F811
    url = "/gaji/kehadiran/koreksi"
    sent = {"nip": computed.staff1.nip, "tanggal": "2026-10-05", "terlambat_menit": "40", "reason": ""}
    r = as_user(app, computed.u_operator).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.text, url, sent)


def test_a_refused_tpp_status_period_keeps_every_field(app, computed):  # noqa: F811
    url = "/gaji/status-tpp"
    sent = {
        "nip": computed.other.nip,
        "kind": "TUGAS_BELAJAR",
        "mulai": "2026-10-01",
        "sampai": "2026-09-01",
        "dasar": "SK 5",
    }
    r = as_user(app, computed.u_hr).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.text, url, sent)


def test_a_refused_tpp_pagu_keeps_every_field(app, computed):  # noqa: F811
    url = "/gaji/pagu-tpp"
    sent = {"opd_id": str(computed.opd.id), "year": "2026", "amount": "12.500,50", "note": "DPA perubahan"}
    r = as_user(app, computed.u_hr).post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.text, url, sent)
