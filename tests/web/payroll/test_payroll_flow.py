"""Payroll (issue 7): the "done when" path with three accounts, and the refusals around it."""

from __future__ import annotations

import csv
import html
import io
from datetime import date

import pytest
from flask import g, render_template_string
from flask_login import FlaskLoginClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from kinerja_web.extensions import db
from kinerja_web.models import (
    Attendance,
    AuditLog,
    PayrollLine,
    PayrollPredikat,
    PayrollRun,
    PayrollRunEmployee,
    Role,
    RunKind,
    RunStatus,
)
from kinerja_web.services.payroll import compute, rules, runs, verification

MONTH = date(2026, 10, 1)


class _FreshUserClient(FlaskLoginClient):
    """The test app context is shared between requests, so Flask-Login's per-request user cache in `g`
    would leak from one client to the next; each request here starts without it."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def as_user(app, user):
    return _FreshUserClient(app, user=user, use_cookies=True)


@pytest.fixture
def pay(org_chart):
    """The org chart with payroll inputs: rules loaded, PTKP status and October predikat for everyone."""
    rules.seed_rules()
    ns = org_chart
    ns.people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other]
    for e in ns.people:
        e.ptkp_status = "K/1"
        db.session.add(PayrollPredikat(employee_id=e.id, month=MONTH, predikat="baik", source="uji"))
    db.session.commit()
    return ns


def post_csv(client, url, text, month="2026-10", name="absen.csv"):
    return client.post(url, data={"month": month, "file": (io.BytesIO(text.encode()), name)})


def make_computed_run(app, ns):
    op = as_user(app, ns.u_operator)
    resp = op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    assert resp.status_code == 303
    run = db.session.scalars(select(PayrollRun).order_by(PayrollRun.id.desc())).first()
    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    db.session.refresh(run)
    return run


def test_operator_verifikator_and_pejabat_take_a_month_from_attendance_to_published_slips(app, pay):
    ns = pay
    op = as_user(app, ns.u_operator)
    ver = as_user(app, ns.u_verifikator)
    pej = as_user(app, ns.u_pejabat)
    staff = as_user(app, ns.u_staff)

    absen = (
        "nip,tanggal,terlambat_menit,pulang_cepat_menit,kode_absen,jenis_cuti\n"
        f"{ns.staff1.nip},2026-10-05,45,0,,\n"
        f"{ns.staff1.nip},2026-10-06,0,0,TK,\n"
        f"{ns.staff2.nip},2026-10-07,0,0,C,Cuti tahunan\n"
    )
    resp = post_csv(op, "/gaji/kehadiran/impor", absen)
    assert resp.status_code == 303, resp.text
    assert db.session.scalar(select(func.count(Attendance.id))) == 3

    resp = op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    assert resp.status_code == 303
    run = db.session.scalars(select(PayrollRun)).one()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 303 and "/varians" in resp.location
    db.session.refresh(run)
    assert run.status == RunStatus.DIHITUNG and run.employee_count == 6
    assert op.get(f"/gaji/run/{run.id}/varians").status_code == 200

    # Slips are not published before the run is final.
    assert staff.get(f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}").status_code == 404

    assert ver.post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    assert pej.post(f"/gaji/run/{run.id}/setujui").status_code == 303
    assert pej.post(f"/gaji/run/{run.id}/final").status_code == 303
    db.session.refresh(run)
    assert run.status == RunStatus.FINAL
    assert {run.prepared_by_id, run.verified_by_id, run.approved_by_id} == {
        ns.u_operator.id,
        ns.u_verifikator.id,
        ns.u_pejabat.id,
    }

    mine = staff.get("/gaji/saya")
    assert f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}" in mine.text
    page = staff.get(f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}")
    assert page.status_code == 200
    assert "Mengapa gaji saya sebesar ini?" in page.text
    assert "PP 5/2024" in page.text and "Baik" in page.text
    assert "TK" in page.text and "5 Oktober 2026" in page.text  # the attendance events behind the deduction

    xlsx = op.get(f"/gaji/run/{run.id}/daftar.xlsx?opd={ns.opd.id}")
    ws = load_workbook(io.BytesIO(xlsx.data)).active
    names = [row[2] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert "Staf Satu" in names and "Staf Lain" not in names

    bank = list(csv.reader(io.StringIO(op.get(f"/gaji/run/{run.id}/bank.csv").text)))
    assert len(bank) == 1 + 6 and len({r[4] for r in bank[1:]}) == 6

    result = verification.verify_run(run)
    assert result.ok
    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2026-10"])
    assert out.exit_code == 0 and "IDENTIK" in out.output


def test_a_second_regular_run_for_the_same_month_and_population_is_refused(app, pay):
    op = as_user(app, pay.u_operator)
    assert op.post("/gaji/run", data={"month": "2026-10", "scope": "opd", "opd_ids": [pay.opd.id]}).status_code == 303
    resp = op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    assert resp.status_code == 422
    assert "Proses kedua untuk bulan dan pegawai yang sama ditolak" in resp.text
    assert db.session.scalar(select(func.count(PayrollRun.id))) == 1
    other = op.post("/gaji/run", data={"month": "2026-10", "scope": "opd", "opd_ids": [pay.other_opd.id]})
    assert other.status_code == 303


def test_double_clicking_approve_approves_once(app, pay):
    run = make_computed_run(app, pay)
    as_user(app, pay.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi")
    pej = as_user(app, pay.u_pejabat)
    first = pej.post(f"/gaji/run/{run.id}/setujui")
    second = pej.post(f"/gaji/run/{run.id}/setujui")
    assert first.status_code == second.status_code == 303
    approvals = db.session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.action == "approve", AuditLog.entity_id == run.id)
    )
    assert approvals == 1
    db.session.refresh(run)
    assert run.status == RunStatus.DISETUJUI


def test_the_preparer_cannot_verify_their_own_run(app, pay, make_user):
    both = make_user("opver", {Role.OPERATOR_KEUANGAN, Role.VERIFIKATOR_KEUANGAN})
    client = as_user(app, both)
    client.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    run = db.session.scalars(select(PayrollRun)).one()
    client.post(f"/gaji/run/{run.id}/hitung")
    resp = client.post(f"/gaji/run/{run.id}/verifikasi", follow_redirects=True)
    assert "tiga orang berbeda" in resp.text
    db.session.refresh(run)
    assert run.status == RunStatus.DIHITUNG and run.verified_by_id is None


def test_the_verifier_cannot_also_approve(app, pay, make_user):
    run = make_computed_run(app, pay)
    both = make_user("verpej", {Role.VERIFIKATOR_KEUANGAN, Role.PEJABAT_KEUANGAN})
    client = as_user(app, both)
    client.post(f"/gaji/run/{run.id}/verifikasi")
    client.post(f"/gaji/run/{run.id}/setujui")
    db.session.refresh(run)
    assert run.status == RunStatus.DIVERIFIKASI


def test_compute_is_refused_with_a_clear_message_when_an_employee_lacks_ptkp_and_nothing_is_written(app, pay):
    pay.staff2.ptkp_status = None
    db.session.commit()
    op = as_user(app, pay.u_operator)
    op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    run = db.session.scalars(select(PayrollRun)).one()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 422
    assert "Staf Dua" in resp.text and "PTKP" in resp.text and "tidak ada yang disimpan" in resp.text
    db.session.refresh(run)
    assert run.status == RunStatus.DRAFT
    assert db.session.scalar(select(func.count(PayrollLine.id))) == 0
    assert db.session.scalar(select(func.count(PayrollRunEmployee.id))) == 0


def test_compute_is_refused_when_the_mkg_has_no_gaji_row(app, pay):
    pay.kasi.golongan, pay.kasi.mkg_years = "II/b", 1  # II/b starts at MKG 3 (PP 5/2024)
    db.session.commit()
    op = as_user(app, pay.u_operator)
    op.post("/gaji/run", data={"month": "2026-10", "scope": "pemda"})
    run = db.session.scalars(select(PayrollRun)).one()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 422 and "Kasi Uji" in resp.text and "masa kerja golongan" in resp.text
    db.session.refresh(run)
    assert run.status == RunStatus.DRAFT
    assert db.session.scalar(select(func.count(PayrollLine.id))) == 0


def test_editing_a_locked_run_through_the_url_is_refused_with_a_message(app, pay):
    run = make_computed_run(app, pay)
    as_user(app, pay.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi")
    op = as_user(app, pay.u_operator)
    before = run.lines_hash
    for url in (f"/gaji/run/{run.id}/hitung", f"/gaji/run/{run.id}/hapus"):
        resp = op.post(url, follow_redirects=True)
        assert "tidak dapat diubah lagi" in resp.text
    db.session.refresh(run)
    assert run.status == RunStatus.DIVERIFIKASI and run.lines_hash == before


def test_a_compensating_run_references_the_final_original(app, pay):
    run = make_computed_run(app, pay)
    as_user(app, pay.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi")
    pej = as_user(app, pay.u_pejabat)
    pej.post(f"/gaji/run/{run.id}/setujui")
    pej.post(f"/gaji/run/{run.id}/final")
    op = as_user(app, pay.u_operator)
    resp = op.post(f"/gaji/run/{run.id}/kompensasi", data={"reason": "Koreksi kehadiran"})
    assert resp.status_code == 303
    comp = db.session.scalars(select(PayrollRun).where(PayrollRun.original_run_id == run.id)).one()
    assert comp.month == run.month and comp.reason == "Koreksi kehadiran"


def test_predikat_reimported_for_a_final_month_leaves_the_run_and_waits_for_a_compensating_run(app, pay):
    """Issue: hardening 13. The import is kept (the compensating run reads it) and the page says so; the
    final run, its snapshot and its slip's explanation stay as they were."""
    run = make_computed_run(app, pay)
    as_user(app, pay.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi")
    pej = as_user(app, pay.u_pejabat)
    pej.post(f"/gaji/run/{run.id}/setujui")
    pej.post(f"/gaji/run/{run.id}/final")
    db.session.refresh(run)
    assert run.status == RunStatus.FINAL
    snapshot = set(db.session.execute(select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs)).all())
    op = as_user(app, pay.u_operator)
    same = op.post(
        "/gaji/predikat/impor",
        data={
            "month": "2026-10",
            "file": (io.BytesIO(f"nip,predikat,sumber\n{pay.staff1.nip},baik,uji\n".encode()), "p.csv"),
        },
        follow_redirects=True,
    )
    assert "1 predikat Oktober 2026 disimpan" in same.text and "proses kompensasi" not in same.text

    text = f"nip,predikat,sumber\n{pay.staff1.nip},butuh_perbaikan,Keberatan diterima\n{pay.staff2.nip},baik,uji\n"
    resp = op.post(
        "/gaji/predikat/impor",
        data={"month": "2026-10", "file": (io.BytesIO(text.encode()), "predikat.csv")},
        follow_redirects=True,
    )
    page = html.unescape(resp.text)
    assert resp.status_code == 200 and "2 predikat Oktober 2026 disimpan" in page
    assert f"{run.title} (Final (terkunci)) tidak diubah" in page
    assert "1 predikat yang berubah" in page and "proses kompensasi" in page

    db.session.refresh(run)
    assert run.status == RunStatus.FINAL and verification.verify_run(run).ok
    assert set(db.session.execute(select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs)).all()) == snapshot
    slip = html.unescape(op.get(f"/gaji/run/{run.id}/pegawai/{pay.staff1.id}").text)
    assert "<strong>Baik</strong>" in slip and "Keberatan diterima" not in slip

    comp = runs.create_run(
        run.month, None, pay.u_operator, RunKind.COMPENSATING, original=run, reason="Predikat Oktober"
    )
    compute.compute_run(comp, pay.u_operator)
    lines = db.session.execute(
        select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.amount).where(PayrollLine.run_id == comp.id)
    ).all()
    assert {eid for eid, _, _ in lines} == {pay.staff1.id}
    assert {code: amount for _, code, amount in lines}["TPP_KINERJA"] < 0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("999999999999999999,2026-10-05,10,0,,", "NIP '999999999999999999' tidak dikenal"),
        ("{nip},2026-10-05,-5,0,,", "tidak boleh negatif"),
        ("{nip},2026-10-05,5,0,,\n{nip},2026-10-05,7,0,,", "ganda"),
        ("{nip},2026-11-02,5,0,,", "di luar bulan Oktober 2026"),
        ("{nip},2026-10-05,0,0,ZZ,", "Kode absen 'ZZ' tidak dikenal"),
    ],
)
def test_bad_attendance_rows_are_refused_per_row_and_nothing_is_imported(app, pay, rows, message):
    op = as_user(app, pay.u_operator)
    text = "nip,tanggal,terlambat_menit,pulang_cepat_menit,kode_absen,jenis_cuti\n"
    text += f"{pay.staff2.nip},2026-10-01,3,0,,\n" + rows.format(nip=pay.staff1.nip) + "\n"
    resp = post_csv(op, "/gaji/kehadiran/impor", text)
    assert resp.status_code == 422
    assert message in html.unescape(resp.text) and "Baris" in resp.text
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_manual_attendance_correction_requires_a_reason_and_is_audited(app, pay):
    op = as_user(app, pay.u_operator)
    data = {"nip": pay.staff1.nip, "tanggal": "2026-10-05", "terlambat_menit": "0", "pulang_cepat_menit": "0"}
    resp = op.post("/gaji/kehadiran/koreksi", data=data)
    assert resp.status_code == 422 and "Alasan koreksi wajib diisi" in resp.text
    resp = op.post("/gaji/kehadiran/koreksi", data={**data, "reason": "Mesin absen rusak"})
    assert resp.status_code == 303
    row = db.session.scalars(select(Attendance)).one()
    assert row.correction_reason == "Mesin absen rusak"
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "attendance")) == 1


def test_rule_version_that_overlaps_is_rejected_in_indonesian(app, pay):
    admin = as_user(app, pay.u_admin)
    resp = admin.post(
        "/gaji/aturan",
        data={
            "code": "tpp_komposisi",
            "version_id": "tpp_komposisi@2024-01-01-b",
            "berlaku_mulai": "2024-01-01",
            "citation": "Perbup uji",
            "data": '{"kinerja": "0.70", "disiplin": "0.30"}',
        },
    )
    assert resp.status_code == 422 and "tumpang tindih" in resp.text
    ok = admin.post(
        "/gaji/aturan",
        data={
            "code": "tpp_komposisi",
            "version_id": "tpp_komposisi@2027-01-01",
            "berlaku_mulai": "2027-01-01",
            "citation": "Perbup uji",
            "data": '{"kinerja": "0.70", "disiplin": "0.30"}',
        },
    )
    assert ok.status_code == 303
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "payroll_rule_version")) >= 1


def test_the_slip_names_an_earlier_run_in_words(app):
    """A reversed component (compensating run) or a rapel line for a component no longer paid stores the run it
    came from as its version ("run#5", "run5"); the slip's "versi" shows it as a person reads it."""
    with app.test_request_context():
        shown = render_template_string(
            "{{ 'run#5'|versi_aturan }} · {{ 'run7'|versi_aturan }} · {{ 'ter@2024'|versi_aturan }}"
        )
    assert shown == "proses penggajian #5 · proses penggajian #7 · ter@2024"
