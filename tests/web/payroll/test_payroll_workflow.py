"""Issue 20 item 10: the verifier and the approver return a run with a reason; run numbers are never reused;
attendance entered for a month whose run can no longer be recomputed is marked as input of a correction."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, Notification, PayrollRun, PayrollRunReturn, PayrollRunTombstone, RunStatus
from kinerja_web.services.payroll import runs

from . import test_payroll_flow as flow
from .test_payroll_flow import MONTH, as_user, make_computed_run

pay = flow.pay  # the fixture: rules loaded, PTKP and October predikat for everyone


def test_verifier_returns_a_computed_run_with_a_reason_and_the_maker_is_told(app, pay):
    ns = pay
    run = make_computed_run(app, ns)
    ver = as_user(app, ns.u_verifikator)
    page = ver.get(f"/gaji/run/{run.id}").get_data(as_text=True)
    assert "Kembalikan ke pembuat" in page
    resp = ver.post(f"/gaji/run/{run.id}/kembalikan", data={"reason": "Kehadiran Oktober belum lengkap"})
    assert resp.status_code == 303
    db.session.refresh(run)
    assert run.status is RunStatus.DRAFT and run.verified_by_id is None
    back = db.session.scalars(select(PayrollRunReturn)).one()
    assert (back.from_status, back.returned_by_id) == ("dihitung", ns.u_verifikator.id)
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == ns.u_operator.id))
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "return"))
    page = as_user(app, ns.u_operator).get(f"/gaji/run/{run.id}").get_data(as_text=True)
    assert "Kehadiran Oktober belum lengkap" in page and "Riwayat pengembalian" in page


def test_approver_returns_a_verified_run_which_must_be_verified_again(app, pay):
    ns = pay
    run = make_computed_run(app, ns)
    assert as_user(app, ns.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    pej = as_user(app, ns.u_pejabat)
    assert pej.post(f"/gaji/run/{run.id}/kembalikan", data={"reason": "TPP OPD X keliru"}).status_code == 303
    db.session.refresh(run)
    assert run.status is RunStatus.DRAFT and run.verified_by_id is None
    # computed again by the operator, it waits for verification again
    assert as_user(app, ns.u_operator).post(f"/gaji/run/{run.id}/hitung").status_code == 303
    db.session.refresh(run)
    assert run.status is RunStatus.DIHITUNG


def test_a_return_without_a_reason_is_refused_at_the_field_and_nothing_changes(app, pay):
    ns = pay
    run = make_computed_run(app, ns)
    resp = as_user(app, ns.u_verifikator).post(f"/gaji/run/{run.id}/kembalikan", data={"reason": "   "})
    assert resp.status_code == 422
    assert "Alasan pengembalian wajib diisi." in resp.get_data(as_text=True)
    db.session.refresh(run)
    assert run.status is RunStatus.DIHITUNG
    assert db.session.scalar(select(func.count(PayrollRunReturn.id))) == 0


def test_the_maker_cannot_return_and_others_are_forbidden(app, pay):
    ns = pay
    run = make_computed_run(app, ns)
    op = as_user(app, ns.u_operator)
    resp = op.post(f"/gaji/run/{run.id}/kembalikan", data={"reason": "x"})
    assert resp.status_code in (303, 403)
    db.session.refresh(run)
    assert run.status is RunStatus.DIHITUNG
    assert as_user(app, ns.u_staff).post(f"/gaji/run/{run.id}/kembalikan", data={"reason": "x"}).status_code == 403
    # a final run is returned by nobody
    run.status = RunStatus.FINAL
    db.session.commit()
    resp = as_user(app, ns.u_pejabat).post(f"/gaji/run/{run.id}/kembalikan", data={"reason": "x"})
    assert resp.status_code == 403


def test_a_deleted_drafts_number_is_never_given_again(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    assert op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"}).status_code == 303
    first = db.session.scalars(select(PayrollRun).order_by(PayrollRun.id.desc())).first()
    number = first.id
    assert op.post(f"/gaji/run/{number}/hapus").status_code == 303
    assert db.session.get(PayrollRunTombstone, number).title.endswith(f"#{number}")
    assert op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"}).status_code == 303
    again = db.session.scalars(select(PayrollRun).order_by(PayrollRun.id.desc())).first()
    assert again.id > number


def test_attendance_for_a_month_past_recompute_is_marked_as_input_of_a_correction(app, pay):
    ns = pay
    run = make_computed_run(app, ns)
    run.status = RunStatus.FINAL
    db.session.commit()
    op = as_user(app, ns.u_operator)
    text = f"nip,tanggal,terlambat_menit\n{ns.staff1.nip},2026-10-05,45\n"
    resp = op.post(
        "/gaji/kehadiran/impor",
        data={"month": "2026-10", "file": (io.BytesIO(text.encode()), "absen.csv")},
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "sudah dikunci" in page and "proses kompensasi" in page and f"#{run.id}" in page
    assert runs.final_runs_of(MONTH)
