"""Issue 20 item 6 in the browser: HR enters a manual amount with reason and document, its maker's approval is
refused, another official approves it, the month's run pays it marked "(manual)" on the slip, the explanation
and the daftar gaji, and `flask payroll verify` reproduces the run."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from kinerja_web.extensions import db
from kinerja_web.models import ManualStatus, PayrollLine, PayrollManualAmount
from kinerja_web.services.payroll import verification

from . import test_payroll_flow as flow
from .test_payroll_flow import as_user, make_computed_run

pay = flow.pay

FORM = {
    "month": "2026-10",
    "label": "Koreksi gaji putusan PTUN",
    "amount": "1.250.000",
    "kind": "penghasilan",
    "bagian": "gaji",
    "reason": "Putusan PTUN membatalkan SK pemberhentian; gaji Oktober dibayar penuh",
    "document": "Putusan PTUN No. 12/G/2026/PTUN.BL tanggal 2 September 2026",
}


def test_manual_amount_from_entry_to_slip_daftar_and_verify(app, pay):
    ns = pay
    hr = as_user(app, ns.u_hr)
    assert hr.get("/gaji/manual").status_code == 200
    assert hr.post("/gaji/manual", data={**FORM, "nip": ns.staff1.nip}).status_code == 303
    row = db.session.scalars(select(PayrollManualAmount)).one()
    assert row.status is ManualStatus.MENUNGGU and row.amount == 1_250_000

    resp = hr.post(f"/gaji/manual/{row.id}/putuskan", data={"decision": "setujui"})
    assert resp.status_code == 422
    assert "tidak dapat disetujui oleh pembuatnya sendiri" in html.unescape(resp.get_data(as_text=True))
    db.session.refresh(row)
    assert row.status is ManualStatus.MENUNGGU

    ver = as_user(app, ns.u_verifikator)
    assert ver.post(f"/gaji/manual/{row.id}/putuskan", data={"decision": "setujui"}).status_code == 303
    db.session.refresh(row)
    assert row.status is ManualStatus.DISETUJUI and row.decided_by_id == ns.u_verifikator.id

    run = make_computed_run(app, ns)
    line = db.session.scalars(
        select(PayrollLine).where(PayrollLine.run_id == run.id, PayrollLine.code == f"MANUAL_{row.id}")
    ).one()
    assert line.employee_id == ns.staff1.id and line.amount == 1_250_000 and "(manual)" in line.label
    op = as_user(app, ns.u_operator)
    slip = html.unescape(op.get(f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}").get_data(as_text=True))
    assert "Koreksi gaji putusan PTUN (manual)" in slip and "secara manual" in slip and "PTUN.BL" in slip
    daftar = html.unescape(op.get(f"/gaji/run/{run.id}/daftar").get_data(as_text=True))
    assert "Koreksi gaji putusan PTUN (manual)" in daftar
    assert verification.verify_run(run).ok


def test_bad_manual_input_is_refused_at_each_field_and_nothing_is_saved(app, pay):
    ns = pay
    hr = as_user(app, ns.u_hr)
    resp = hr.post("/gaji/manual", data={**FORM, "nip": "123", "amount": "-5", "reason": "", "document": ""})
    assert resp.status_code == 422
    page = html.unescape(resp.get_data(as_text=True))
    assert "NIP tidak dikenal." in page and "Isi jumlah rupiah" in page and "Alasan wajib diisi" in page
    assert "Dasar dokumen wajib diisi" in page and FORM["label"] in page  # typed values kept
    assert db.session.scalar(select(func.count(PayrollManualAmount.id))) == 0


def test_rejecting_needs_a_note_and_others_may_not_decide(app, pay):
    ns = pay
    assert as_user(app, ns.u_hr).post("/gaji/manual", data={**FORM, "nip": ns.staff1.nip}).status_code == 303
    row = db.session.scalars(select(PayrollManualAmount)).one()
    pej = as_user(app, ns.u_pejabat)
    resp = pej.post(f"/gaji/manual/{row.id}/putuskan", data={"decision": "tolak", "note": ""})
    assert resp.status_code == 422 and "Alasan penolakan wajib diisi." in resp.get_data(as_text=True)
    assert (
        pej.post(f"/gaji/manual/{row.id}/putuskan", data={"decision": "tolak", "note": "bukan kewenangan"}).status_code
        == 303
    )
    db.session.refresh(row)
    assert row.status is ManualStatus.DITOLAK
    assert as_user(app, ns.u_staff).get("/gaji/manual").status_code == 403
    assert (
        as_user(app, ns.u_staff).post(f"/gaji/manual/{row.id}/putuskan", data={"decision": "setujui"}).status_code
        == 403
    )
    assert (
        as_user(app, ns.u_verifikator).post("/gaji/manual/999999/putuskan", data={"decision": "setujui"}).status_code
        == 404
    )
