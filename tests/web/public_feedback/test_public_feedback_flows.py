"""SKM kiosk, paper entry, import and report; the complaint workflow; innovations into awards; the signals and
the evidence panel sections."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlalchemy import func, select

from kinerja_web.domain.public_feedback import ComplaintStatus, InnovationStatus, Verdict
from kinerja_web.domain.public_service import SignalKind
from kinerja_web.extensions import db
from kinerja_web.models import AwardProposal, Complaint, Notification, SkmResponse
from kinerja_web.services.public_service import evidence, signals

from ..skp_fixtures import make_period

ALL_FOUR = {f"u{i}": "4" for i in range(1, 10)}


def _responses(period) -> int:
    return db.session.scalar(select(func.count(SkmResponse.id)).where(SkmResponse.period_id == period.id))


def test_kiosk_stores_one_response_per_submission_and_refuses_bad_answers(app, feedback_world):
    client = app.test_client()
    url = f"/survei/{feedback_world.period.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Sangat baik" in page and 'type="radio"' in page
    r = client.post(url, data={**ALL_FOUR, "idempotency_key": "a" * 22, "usia": "30an"})
    assert r.status_code == 303
    client.post(url, data={**ALL_FOUR, "idempotency_key": "a" * 22})  # the same form sent twice
    assert _responses(feedback_world.period) == 1
    bad = client.post(url, data={**ALL_FOUR, "u3": "5"})
    assert bad.status_code == 422
    assert "U3 (Waktu penyelesaian): jawaban harus 1–4" in bad.get_data(as_text=True)
    missing = client.post(url, data={k: v for k, v in ALL_FOUR.items() if k != "u9"})
    assert missing.status_code == 422 and "U9" in missing.get_data(as_text=True)
    assert _responses(feedback_world.period) == 1


def test_a_flood_from_one_device_is_stopped_with_a_clear_message(app, feedback_world):
    app.config["SKM_KIOSK_RATE_LIMIT"] = 3
    client = app.test_client()
    url = f"/survei/{feedback_world.period.id}"
    codes = [client.post(url, data=ALL_FOUR).status_code for _ in range(5)]
    assert codes == [303, 303, 303, 429, 429]
    page = client.post(url, data=ALL_FOUR).get_data(as_text=True)
    assert "Terlalu banyak isian survei dari perangkat ini" in page
    assert _responses(feedback_world.period) == 3


def test_paper_entry_is_all_or_nothing_and_the_results_follow_the_regulation(app, feedback_world):
    client = app.test_client(user=feedback_world.u_op)
    url = f"/skm/periode/{feedback_world.period.id}/kertas"
    r = client.post(url, data={"lines": "444444444\n4 4 4 4 4 4 4 4\n333333335"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Baris 2: harus 9 jawaban" in body and "Baris 3: jawaban di luar 1–4 pada U9" in body
    assert _responses(feedback_world.period) == 0
    assert client.post(url, data={"lines": "444444444\n3 3 3 3 3 3 3 3 3"}).status_code == 303
    page = client.get(f"/skm/periode/{feedback_world.period.id}").get_data(as_text=True)
    assert "87,50" in page and ">B<" in page  # (4 + 3) / 2 × 25
    assert "Sampel kurang" in page and "minimum 278" in page


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_refuses_personal_columns_and_bad_rows(app, feedback_world):
    client = app.test_client(user=feedback_world.u_op)
    url = f"/skm/periode/{feedback_world.period.id}/impor"
    head = [f"U{i}" for i in range(1, 10)]
    with_nik = _xlsx([[*head, "NIK"], [4] * 9 + ["1801010101010001"]])
    r = client.post(url, data={"berkas": (io.BytesIO(with_nik), "skm.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Kolom NIK berisi data pribadi" in r.get_data(as_text=True)
    bad = _xlsx([[*head, "USIA"], [4] * 9 + ["30an"], [4] * 8 + [7, "lansia"]])
    r = client.post(url, data={"berkas": (io.BytesIO(bad), "skm.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Baris 3" in r.get_data(as_text=True)
    assert _responses(feedback_world.period) == 0
    good = _xlsx([[*head, "JENIS_KELAMIN"], [4] * 9 + ["P"], [3] * 9 + [None]])
    r = client.post(url, data={"berkas": (io.BytesIO(good), "skm.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 303
    assert _responses(feedback_world.period) == 2


def test_the_skm_report_is_issued_once_and_verifies(app, feedback_world):
    client = app.test_client(user=feedback_world.u_op)
    pid = feedback_world.period.id
    client.post(f"/skm/periode/{pid}/kertas", data={"lines": "444444444\n333333333\n444433334"})
    r = client.post(f"/skm/periode/{pid}/laporan", data={"issued_on": "2026-12-04"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    db.session.refresh(feedback_world.period)
    doc = feedback_world.period.document
    assert doc is not None and doc.is_valid and doc.context["body"]["mutu"] in "ABCD"
    pdf = client.get(f"/skm/periode/{pid}/laporan.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "SAH" in app.test_client().get(f"/verifikasi/{doc.verification_code}").get_data(as_text=True)


def test_complaint_workflow_verification_response_and_refusals(app, feedback_world):
    ns = feedback_world
    op = app.test_client(user=ns.u_op)
    r = op.post(
        "/pengaduan/baru",
        data={
            "unit_id": ns.opd.id,
            "channel": "lapor",
            "cause": "waktu",
            "officer_nip": ns.staff1.nip,
            "received_on": "2026-11-30",
            "text": "KTP belum jadi setelah 30 hari.",
        },
    )
    assert r.status_code == 303
    c = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
    assert c.status == ComplaintStatus.REGISTERED and c.due_on is not None
    # the named officer does not see it before verification
    assert app.test_client(user=ns.u_staff).get(f"/pengaduan/{c.id}").status_code == 404
    closed = op.post(f"/pengaduan/{c.id}/selesai", data={"text": "Sudah."})
    assert closed.status_code == 422 and "belum diverifikasi" in closed.get_data(as_text=True)
    no_reason = op.post(f"/pengaduan/{c.id}/verifikasi", data={"verdict": "terbukti", "reason": ""})
    assert no_reason.status_code == 422
    assert (
        op.post(
            f"/pengaduan/{c.id}/verifikasi", data={"verdict": "terbukti", "reason": "Log menunjukkan 30 hari."}
        ).status_code
        == 303
    )
    db.session.refresh(c)
    assert c.verdict == Verdict.SUBSTANTIATED and c.status == ComplaintStatus.VERIFIED
    assert db.session.scalar(
        select(Notification).where(Notification.user_id == ns.u_staff.id, Notification.kind == "pengaduan")
    )
    staff = app.test_client(user=ns.u_staff)
    assert staff.get(f"/pengaduan/{c.id}").status_code == 200
    assert staff.post(f"/pengaduan/{c.id}/ubah", data={"text": "hapus"}).status_code == 403
    assert (
        staff.post(f"/pengaduan/{c.id}/verifikasi", data={"verdict": "tidak_terbukti", "reason": "x"}).status_code
        == 403
    )
    assert staff.post(f"/pengaduan/{c.id}/tanggapan", data={"text": "Blangko habis dari pusat."}).status_code == 303
    assert op.get(f"/pengaduan/{c.id}/ubah").status_code == 403  # verified: nobody edits it
    early = op.post(f"/pengaduan/{c.id}/selesai", data={"text": "Selesai."})
    assert early.status_code == 422 and "ditindaklanjuti dahulu" in early.get_data(as_text=True)
    assert op.post(f"/pengaduan/{c.id}/tindak-lanjut", data={"text": "Blangko diminta."}).status_code == 303
    assert op.post(f"/pengaduan/{c.id}/selesai", data={"text": "KTP diserahkan."}).status_code == 303
    db.session.refresh(c)
    assert c.status == ComplaintStatus.CLOSED
    assert [e.to_status for e in c.events] == list(ComplaintStatus)
    assert app.test_client(user=ns.u_other).get(f"/pengaduan/{c.id}").status_code == 404


def test_the_atasan_chain_sees_a_complaint_about_a_subordinate_in_another_unit(app, feedback_world):
    ns = feedback_world
    ns.verified.unit_id = ns.other_opd.id
    db.session.commit()
    assert app.test_client(user=ns.u_kasi).get(f"/pengaduan/{ns.verified.id}").status_code == 200
    assert app.test_client(user=ns.u_op).get(f"/pengaduan/{ns.verified.id}").status_code == 404
    listing = app.test_client(user=ns.u_kasi).get("/pengaduan/").get_data(as_text=True)
    assert f"#{ns.verified.id}" in listing


def test_an_accepted_innovation_is_a_reason_for_an_award_proposal(app, feedback_world):
    ns = feedback_world
    period = make_period()
    kasi = app.test_client(user=ns.u_kasi)
    assert kasi.post(f"/inovasi/{ns.innovation.id}/usul-penghargaan", data={"period_id": period.id}).status_code == 403
    hr = app.test_client(user=ns.u_hr)
    assert hr.post(f"/inovasi/{ns.innovation.id}/tinjau", data={"decision": "kembalikan"}).status_code == 422
    assert hr.post(f"/inovasi/{ns.innovation.id}/tinjau", data={"decision": "terima"}).status_code == 303
    db.session.refresh(ns.innovation)
    assert ns.innovation.status == InnovationStatus.ACCEPTED
    assert kasi.post(f"/inovasi/{ns.innovation.id}/usul-penghargaan", data={"period_id": period.id}).status_code == 303
    proposal = db.session.scalar(select(AwardProposal).where(AwardProposal.employee_id == ns.staff1.id))
    assert proposal.source.value == "inovasi" and "Antrean daring" in proposal.reason
    staff = app.test_client(user=ns.u_staff)
    assert staff.get(f"/inovasi/{ns.innovation.id}/ubah").status_code == 403  # accepted: fixed


def test_signals_and_evidence_sections(app, feedback_world):
    ns = feedback_world
    op = app.test_client(user=ns.u_op)
    op.post(f"/skm/periode/{ns.period.id}/kertas", data={"lines": "444444444\n333333333"})
    ikm = signals.measured_value(SignalKind.UNIT_IKM, ns.opd.id, date(2026, 7, 1), date(2026, 12, 31))
    assert str(ikm.value) == "87.50" and "mutu B" in ikm.basis
    count = signals.measured_value(
        SignalKind.SUBSTANTIATED_COMPLAINTS, ns.staff1.id, date(2026, 1, 1), date(2026, 12, 31)
    )
    assert count.value == 1  # the registered one is not counted
    keys = {c.kind for c in signals.choices_for(ns.staff1)}
    assert {SignalKind.UNIT_IKM, SignalKind.SUBSTANTIATED_COMPLAINTS} <= keys
    panel = evidence.evidence_for(ns.staff1.id, date(2026, 1, 1), date(2026, 12, 31))
    by_key = {s.key: s for s in panel.sections}
    assert not by_key["ikm"].empty and [c.id for c in by_key["pengaduan"].data] == [ns.verified.id]
    assert by_key["inovasi"].empty  # not yet accepted


def test_overdue_steps_remind_the_unit_operators_once_a_day(app, feedback_world):
    from kinerja_web.services.complaints import register

    ns = feedback_world
    ns.registered.due_on = date(2026, 11, 5)
    db.session.commit()
    assert register.send_reminders(date(2026, 11, 6)) >= 1
    assert register.send_reminders(date(2026, 11, 6)) == 0  # once a day
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == ns.u_op.id, Notification.kind == register.REMINDER_KIND)
    ).all()
    assert notes and f"#{ns.registered.id}" in notes[0].message


def test_hr_sets_the_deadline_of_each_step(app, feedback_world):
    hr = app.test_client(user=feedback_world.u_hr)
    bad = hr.post("/pengaduan/tenggat", data={"terdaftar": "0", "diverifikasi": "5", "ditindaklanjuti": "10"})
    assert bad.status_code == 422 and "1–60 hari kerja" in bad.get_data(as_text=True)
    ok = hr.post("/pengaduan/tenggat", data={"terdaftar": "2", "diverifikasi": "5", "ditindaklanjuti": "10"})
    assert ok.status_code == 303
    from kinerja_web.services.complaints import register

    assert register.step_days()[ComplaintStatus.REGISTERED] == 2
