"""Referrals: suggestions from evaluation results, the HR queue, the lifecycle, JP, certificates, documents."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from kinerja_web import signals
from kinerja_web.domain.development import ReasonKind, ReferralStatus
from kinerja_web.domain.predikat import Predikat
from kinerja_web.extensions import db
from kinerja_web.models import (
    AssignmentStatus,
    AuditLog,
    CycleStatus,
    Evaluatee,
    EvaluationCycle,
    IssuedDocument,
    JpEntry,
    Notification,
    RaterAssignment,
    RaterGroup,
    RaterSource,
    Referral,
    ReferralRule,
    Response,
    RuleKind,
)
from kinerja_web.services.development import jp as jp_ledger
from kinerja_web.services.development import lifecycle
from kinerja_web.services.development import rules as referral_rules
from kinerja_web.services.development import suggestions as generation
from tests import upload_files

from ..referral_fixtures import *  # noqa: F403
from ..referral_fixtures import DOCX_LIKE, PDF_BYTES, PNG_BYTES, rate, suggestions


def _hr(app, ns):
    return app.test_client(user=ns.u_hr)


# --- generation ---------------------------------------------------------------------------------------


def test_low_predikat_is_suggested_for_pembinaan_kinerja_with_the_reason(app, dev_world):
    s = suggestions(dev_world)
    ref = s.by_key[f"rating:{dev_world.r_low.id}:predikat_rendah"]
    assert ref.status == ReferralStatus.DIUSULKAN
    assert ref.employee_id == dev_world.staff1.id and ref.rating_id == dev_world.r_low.id
    assert ref.programme_id == dev_world.pembinaan.id and ref.plan_months == 6
    assert "Kurang" in ref.reason_text and "Pasal 57" in ref.reason_text
    assert ref.needs_improvement_plan


def test_sangat_baik_is_suggested_for_management_training(app, dev_world):
    ref = suggestions(dev_world).by_key[f"rating:{dev_world.r_high.id}:predikat_tinggi"]
    assert ref.reason_kind == ReasonKind.PREDIKAT_TINGGI and ref.programme_id == dev_world.manajerial.id
    assert "talent pool" in ref.reason_text


def test_draft_ratings_trigger_nothing(app, dev_world):
    s = suggestions(dev_world)
    assert not [r for r in s.all if r.rating_id == dev_world.r_draft.id]


def test_generating_twice_adds_nothing(app, dev_world):
    first = len(suggestions(dev_world).all)
    result = generation.generate_suggestions(dev_world.period, date(2026, 10, 1))
    assert sum(result.created.values()) == 0
    assert db.session.scalar(select(func.count(Referral.id))) == first


def test_jp_shortfall_suggests_and_reminds_after_the_configured_month(app, dev_world):
    db.session.add(
        JpEntry(
            employee_id=dev_world.kabid.id, year=2026, jp=24, source="lainnya", title="Diklat", on_date=date(2026, 3, 1)
        )
    )
    db.session.commit()
    result = generation.generate_suggestions(dev_world.period, date(2026, 10, 1))
    keys = set(db.session.scalars(select(Referral.source_key).where(Referral.reason_kind == ReasonKind.JP_KURANG)))
    assert f"jp:2026:{dev_world.staff1.id}" in keys and f"jp:2026:{dev_world.kabid.id}" not in keys
    assert result.reminders >= 2  # staff1 and staff2 have accounts
    assert db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == dev_world.u_staff.id, Notification.kind == jp_ledger.REMINDER_KIND
        )
    )


def test_jp_shortfall_waits_for_the_configured_month(app, dev_world):
    generation.generate_suggestions(dev_world.period, date(2026, 8, 31))
    assert not db.session.scalar(select(func.count(Referral.id)).where(Referral.reason_kind == ReasonKind.JP_KURANG))


def _cycle(name: str, year: int, status: CycleStatus, **kw) -> EvaluationCycle:
    end = date(year, 11, 30)
    return EvaluationCycle(
        name=name,
        year=year,
        period_label=f"Tahunan {year}",
        start_date=date(year, 1, 1),
        end_date=end,
        deadline=end,
        status=status,
        **kw,
    )


def test_low_berakhlak_value_in_closed_360_is_suggested_for_coaching(app, dev_world):

    ns = dev_world
    cycle = _cycle("Penilaian 360 Tahunan 2026", 2026, CycleStatus.CLOSED)
    ev = Evaluatee(cycle=cycle, employee_id=ns.staff1.id, unit_id=ns.opd.id, appraiser_id=ns.kasi.id)
    db.session.add_all([cycle, ev])
    raters = [(ns.kasi, RaterGroup.ATASAN), (ns.staff2, RaterGroup.REKAN), (ns.kabid, RaterGroup.REKAN)]
    raters.append((ns.head, RaterGroup.REKAN))
    for emp, group in raters:
        a = RaterAssignment(
            evaluatee=ev, rater_id=emp.id, group=group, source=RaterSource.HR, status=AssignmentStatus.SUBMITTED
        )
        for code in ("akuntabel", "kolaboratif"):
            a.responses.append(Response(value_code=code, score=2 if code == "akuntabel" else 4))
        db.session.add(a)
    db.session.commit()
    ref = suggestions(ns).by_key[f"360:{ev.id}:akuntabel"]
    assert ref.reason_kind == ReasonKind.BERAKHLAK_RENDAH and ref.berakhlak_value == "akuntabel"
    assert "Akuntabel" in ref.reason_text and "2,00" in ref.reason_text
    assert f"360:{ev.id}:kolaboratif" not in suggestions(ns).by_key


def test_berakhlak_suggestions_are_those_of_the_360_reports(app, dev_world, make_employee):
    """Random panels in several cycles (groups below their anonymity threshold, merged or hidden pools, "tidak
    dapat menilai", unsubmitted forms, an inactive employee, an open and a last-year cycle): exactly the values
    whose others' mean in the report (`sheets_for` + `aggregate`, as the results page shows it) is shown and at
    most the rule's threshold are suggested, for the right person, with that mean in the reason."""
    import random
    from decimal import Decimal

    from kinerja_web.domain import berakhlak
    from kinerja_web.domain.evaluation360 import aggregate
    from kinerja_web.services.evaluation360.results import comment_seed, sheets_for, thresholds_of

    ns, rng = dev_world, random.Random(7)
    rule = referral_rules.rules_in_force(date(2026, 10, 1))[RuleKind.BERAKHLAK_RENDAH]
    rule.params = {**rule.params, "threshold": "3.50"}
    raters = [make_employee(f"Penilai {i}") for i in range(9)]
    people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2] + [make_employee(f"Dinilai {i}") for i in range(6)]
    people[-1].active = False
    codes = berakhlak.value_codes()
    statuses = [AssignmentStatus.SUBMITTED] * 5 + [AssignmentStatus.APPROVED, AssignmentStatus.DECLINED]
    for n, (year, status) in enumerate(
        [(2026, CycleStatus.CLOSED)] * 2 + [(2026, CycleStatus.OPEN), (2025, CycleStatus.CLOSED)]
    ):
        cycle = _cycle(
            f"Penilaian 360 ke-{n}",
            year,
            status,
            threshold_rekan=rng.randint(3, 4),
            threshold_bawahan=rng.randint(3, 5),
        )
        db.session.add(cycle)
        for person in people:
            ev = Evaluatee(cycle=cycle, employee_id=person.id, unit_id=ns.opd.id)
            db.session.add(ev)
            for rater in rng.sample(raters, rng.randint(0, 9)):
                a = RaterAssignment(
                    evaluatee=ev,
                    rater_id=rater.id,
                    group=rng.choice(list(RaterGroup)),
                    source=RaterSource.HR,
                    status=rng.choice(statuses),
                )
                for code in codes:
                    if rng.random() < 0.9:
                        a.responses.append(Response(value_code=code, score=rng.choice([None, 1, 2, 3, 3, 4, 4, 5])))
                db.session.add(a)
    db.session.commit()

    expected, hidden = {}, 0
    closed = (
        select(Evaluatee)
        .join(EvaluationCycle)
        .where(EvaluationCycle.year == 2026, EvaluationCycle.status == CycleStatus.CLOSED)
        .order_by(Evaluatee.id)
    )
    evaluatees = [ev for ev in db.session.scalars(closed) if ev.employee.active]
    sheets = sheets_for([ev.id for ev in evaluatees])
    for ev in evaluatees:
        report = aggregate(sheets.get(ev.id, []), codes, thresholds_of(ev.cycle), comment_seed(ev))
        for v in report.values:
            hidden += v.others.mean is None and bool(sheets.get(ev.id))
            if v.others.mean is not None and v.others.mean <= Decimal("3.50"):
                expected[f"360:{ev.id}:{v.code}"] = (ev.employee_id, ev.id, v.code, f"{v.others.mean:.2f}")
    assert len(expected) >= 10 and hidden >= 10  # both sides of the threshold and of anonymity are exercised

    made = {r.source_key: r for r in suggestions(ns).all if r.reason_kind == ReasonKind.BERAKHLAK_RENDAH}
    assert set(made) == set(expected)
    for key, (employee_id, evaluatee_id, code, mean) in expected.items():
        r = made[key]
        assert (r.employee_id, r.evaluatee_id, r.berakhlak_value) == (employee_id, evaluatee_id, code)
        assert f"rata-rata {mean.replace('.', ',')} dari penilai lain" in r.reason_text


def test_generation_reads_do_not_grow_with_the_number_of_ratings(app, dev_world, make_employee, count_queries):
    """Set-wise: the same SELECTs for 3 ratings and for 9 (SQLite inserts rows one by one; PostgreSQL batches)."""
    with count_queries() as few:
        generation.generate_suggestions(dev_world.period, date(2026, 10, 1))
    db.session.rollback()
    for i in range(6):
        rate(make_employee(f"Tambahan {i}"), dev_world.period, Predikat.BUTUH_PERBAIKAN)
    db.session.commit()
    with count_queries() as many:
        generation.generate_suggestions(dev_world.period, date(2026, 10, 1))

    def reads(calls):
        return [q for q in calls if q.lstrip().upper().startswith("SELECT")]

    assert len(reads(many)) == len(reads(few)), (len(reads(few)), len(reads(many)))


# --- queue and bulk assignment ------------------------------------------------------------------------


def test_queue_shows_why_each_employee_is_suggested(app, dev_world):
    suggestions(dev_world)
    r = _hr(app, dev_world).get("/pengembangan/antrean?alasan=predikat_rendah")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Staf Satu" in html and "Pasal 57" in html and "Staf Dua" not in html


def test_queue_filters_by_opd(app, dev_world):
    suggestions(dev_world)
    html = _hr(app, dev_world).get(f"/pengembangan/antrean?opd={dev_world.other_opd.id}").get_data(as_text=True)
    assert "Staf Lain" in html and "Staf Satu" not in html


def test_queue_answers_htmx_with_rows_only(app, dev_world):
    suggestions(dev_world)
    r = _hr(app, dev_world).get("/pengembangan/antrean", headers={"HX-Request": "true"})
    assert r.status_code == 200 and b'id="rows"' in r.data and b"<html" not in r.data


def test_generate_button_runs_a_job_and_shows_its_progress(app, dev_world):
    r = _hr(app, dev_world).post("/pengembangan/antrean/buat", data={"period_id": dev_world.period.id})
    assert r.status_code == 303 and "pekerjaan=" in r.headers["Location"]
    assert db.session.scalar(select(func.count(Referral.id))) > 0
    page = _hr(app, dev_world).get(r.headers["Location"]).get_data(as_text=True)
    assert "Usulan baru" in page


def _jp_refs(ns, *employees):
    s = suggestions(ns)
    return [s.by_key[f"jp:2026:{e.id}"] for e in employees]


def test_bulk_assign_assigns_everyone_and_notifies_employee_and_atasan(app, dev_world):
    ns = dev_world
    refs = _jp_refs(ns, ns.staff1, ns.staff2)
    r = _hr(app, ns).post(
        "/pengembangan/antrean/tugaskan?alasan=jp_kurang",
        data={"ids": [x.id for x in refs], "programme_id": ns.bimtek.id},
    )
    assert r.status_code == 303
    for ref in refs:
        db.session.refresh(ref)
        assert ref.status == ReferralStatus.DITUGASKAN and ref.programme_id == ns.bimtek.id
    notified = set(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == lifecycle.NOTIFY_KIND)).all()
    )
    assert {ns.u_staff.id, ns.u_staff2.id, ns.u_kasi.id} <= notified
    assert db.session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.entity == "referral", AuditLog.action == "update")
    )


def test_bulk_assign_is_all_or_nothing_with_a_message_on_the_ineligible_row(app, dev_world):
    ns = dev_world
    refs = _jp_refs(ns, ns.kasi, ns.staff1)  # staff1 (pelaksana, III/a) is not eligible for manajerial
    r = _hr(app, ns).post(
        "/pengembangan/antrean/tugaskan?alasan=jp_kurang",
        data={"ids": [x.id for x in refs], "programme_id": ns.manajerial.id},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Staf Satu tidak memenuhi syarat" in html and "Jabatan Pelaksana" in html
    assert "tidak ada yang disimpan" in html
    for ref in refs:
        db.session.refresh(ref)
        assert ref.status == ReferralStatus.DIUSULKAN


def test_assigning_beyond_capacity_saves_nothing(app, dev_world):
    ns = dev_world
    refs = _jp_refs(ns, ns.staff1, ns.staff2, ns.kasi)  # bimtek has 2 seats
    r = _hr(app, ns).post(
        "/pengembangan/antrean/tugaskan", data={"ids": [x.id for x in refs], "programme_id": ns.bimtek.id}
    )
    assert r.status_code == 422 and "Kapasitas" in r.get_data(as_text=True)
    assert not db.session.scalar(select(func.count(Referral.id)).where(Referral.status == ReferralStatus.DITUGASKAN))


def test_overlapping_schedule_is_refused(app, dev_world):
    ns = dev_world
    s = suggestions(ns)
    lifecycle.assign([s.by_key[f"jp:2026:{ns.staff1.id}"]], ns.bimtek, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    low = s.by_key[f"rating:{ns.r_low.id}:predikat_rendah"]
    r = _hr(app, ns).post(f"/pengembangan/rujukan/{low.id}/tugaskan", data={"programme_id": ns.seminar.id})
    assert r.status_code == 422 and "bentrok" in r.get_data(as_text=True)
    db.session.refresh(low)
    assert low.status == ReferralStatus.DIUSULKAN


def test_dismiss_needs_a_reason_and_keeps_it(app, dev_world):
    ns = dev_world
    ref = _jp_refs(ns, ns.staff2)[0]
    r = _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/tolak", data={"reason": ""})
    assert r.status_code == 422 and "Alasan" in r.get_data(as_text=True)
    r = _hr(app, ns).post("/pengembangan/antrean/tolak", data={"ids": [ref.id], "reason": "Sedang tugas belajar."})
    assert r.status_code == 303
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.DITOLAK and ref.dismiss_reason == "Sedang tugas belajar."


def test_assigned_listener_receives_pembinaan_referrals(app, dev_world):
    seen = []
    with signals.referral_assigned.connected_to(lambda ref, actor, today: seen.append(ref.needs_improvement_plan)):
        low = suggestions(dev_world).by_key[f"rating:{dev_world.r_low.id}:predikat_rendah"]
        lifecycle.assign([low], dev_world.pembinaan, dev_world.u_hr, date(2026, 10, 1))
    assert seen == [True]


# --- lifecycle: start, complete, JP -------------------------------------------------------------------


def _running(app, ns, programme=None):
    ref = _jp_refs(ns, ns.staff1)[0]
    lifecycle.assign([ref], programme or ns.elearning, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    assert _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/mulai").status_code == 303
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.BERJALAN
    return ref


def test_completing_without_attendance_is_refused(app, dev_world):
    ref = _running(app, dev_world)
    r = _hr(app, dev_world).post(f"/pengembangan/rujukan/{ref.id}/selesai", data={"jp": "20"})
    assert r.status_code == 422 and "Kehadiran wajib diisi" in r.get_data(as_text=True)
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.BERJALAN and not db.session.scalar(select(func.count(JpEntry.id)))


def test_a_certificate_that_is_not_pdf_or_image_is_refused_and_nothing_is_saved(app, dev_world):
    ref = _running(app, dev_world)
    r = _hr(app, dev_world).post(
        f"/pengembangan/rujukan/{ref.id}/selesai",
        data={"attendance_percent": "100", "jp": "20", "certificate": (io.BytesIO(DOCX_LIKE), "sertifikat.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and "PDF atau gambar" in r.get_data(as_text=True)
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.BERJALAN and not db.session.scalar(select(func.count(JpEntry.id)))


def test_negative_jp_on_completion_is_refused(app, dev_world):
    ref = _running(app, dev_world)
    r = _hr(app, dev_world).post(
        f"/pengembangan/rujukan/{ref.id}/selesai", data={"attendance_percent": "90", "jp": "-3"}
    )
    assert r.status_code == 422 and "tidak boleh negatif" in r.get_data(as_text=True)


def test_completion_credits_jp_and_the_employee_sees_it_grow(app, dev_world):
    ns = dev_world
    staff = app.test_client(user=ns.u_staff)
    assert "0 JP" in staff.get("/pengembangan/").get_data(as_text=True)
    ref = _running(app, ns)
    r = _hr(app, ns).post(
        f"/pengembangan/rujukan/{ref.id}/selesai",
        data={
            "attendance_percent": "100",
            "jp": "20",
            "result": "Lulus",
            "certificate": (io.BytesIO(PDF_BYTES), "s.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.SELESAI and ref.jp_credited == 20 and len(ref.certificates) == 1
    from kinerja_web.timeutil import today_wib

    assert jp_ledger.jp_total(ns.staff1.id, today_wib().year) == 20
    page = staff.get("/pengembangan/").get_data(as_text=True)
    assert '<strong id="jp-total">20 JP</strong>' in page and "Target tercapai" in page
    cert = staff.get(f"/pengembangan/sertifikat/{ref.certificates[0].id}")
    assert cert.status_code == 200 and cert.data == PDF_BYTES
    assert app.test_client(user=ns.u_other).get(f"/pengembangan/sertifikat/{ref.certificates[0].id}").status_code == 404


def test_not_completed_keeps_the_reason_and_credits_nothing(app, dev_world):
    ref = _running(app, dev_world)
    r = _hr(app, dev_world).post(
        f"/pengembangan/rujukan/{ref.id}/tidak-selesai", data={"reason": "Sakit sepanjang kegiatan."}
    )
    assert r.status_code == 303
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.TIDAK_SELESAI and not db.session.scalar(select(func.count(JpEntry.id)))


def _late_certificate(app, ns, data: bytes, name: str):
    """A finished referral whose certificate arrives afterwards: (referral, response to the upload)."""
    ref = _running(app, ns)
    lifecycle.complete(
        ref, attendance_percent=100, result=None, jp=None, certificate=None, actor=ns.u_hr, today=date(2026, 10, 9)
    )
    db.session.commit()
    r = _hr(app, ns).post(
        f"/pengembangan/rujukan/{ref.id}/sertifikat",
        data={"certificate": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    db.session.refresh(ref)
    return ref, r


def test_late_certificate_upload_accepts_an_image(app, dev_world):
    ref, r = _late_certificate(app, dev_world, PNG_BYTES, "sertifikat.png")
    assert r.status_code == 303
    assert ref.certificates[0].content_type == "image/png"


def test_hr_records_jp_from_another_source_and_negative_jp_is_refused(app, dev_world):
    ns = dev_world
    url = f"/pengembangan/pegawai/{ns.staff2.id}"
    r = _hr(app, ns).post(url, data={"title": "Webinar", "jp": "-2", "on_date": "2026-05-02"})
    assert (
        r.status_code == 422
        and "tidak boleh negatif" in r.get_data(as_text=True)
        and "Webinar" in r.get_data(as_text=True)
    )
    r = _hr(app, ns).post(url, data={"title": "Webinar", "jp": "4", "on_date": "2026-05-02"})
    assert r.status_code == 303 and jp_ledger.jp_total(ns.staff2.id, 2026) == 4


# --- catalogue and rules -------------------------------------------------------------------------------


def test_catalogue_shows_eligibility_to_the_employee(app, dev_world):
    html = app.test_client(user=dev_world.u_staff).get("/pengembangan/katalog").get_data(as_text=True)
    assert "Pelatihan Manajerial" in html and "Tidak memenuhi" in html and "III/b" in html


def test_programme_with_negative_jp_or_bad_dates_is_refused(app, dev_world):
    data = {"code": "X-1", "name": "Uji", "bentuk": "seminar", "jp": "-1", "provider": "BKPSDM", "active": "y"}
    r = _hr(app, dev_world).post("/pengembangan/katalog/baru", data=data)
    assert r.status_code == 422 and "tidak boleh negatif" in r.get_data(as_text=True)
    data.update(jp="8", start_date="2026-05-02", end_date="2026-05-01")
    r = _hr(app, dev_world).post("/pengembangan/katalog/baru", data=data)
    assert r.status_code == 422 and "sebelum tanggal mulai" in r.get_data(as_text=True)
    data.update(end_date="2026-05-03", min_golongan="V/z")
    assert _hr(app, dev_world).post("/pengembangan/katalog/baru", data=data).status_code == 422
    data.update(min_golongan="")
    assert _hr(app, dev_world).post("/pengembangan/katalog/baru", data=data).status_code == 303


def test_changing_a_rule_adds_a_version_with_its_author(app, dev_world):
    r = _hr(app, dev_world).post(
        "/pengembangan/aturan",
        data={
            "kind": "jp_kurang",
            "jp_kurang-bentuk": "e_learning",
            "jp_kurang-programme_id": str(dev_world.elearning.id),
            "jp_kurang-month": "11",
            "jp_kurang-berlaku_mulai": "2026-06-01",
            "jp_kurang-active": "y",
        },
    )
    assert r.status_code == 303
    rules = db.session.scalars(select(ReferralRule).where(ReferralRule.kind == RuleKind.JP_KURANG)).all()
    assert [x.version for x in rules] == [1, 2] and rules[1].changed_by_id == dev_world.u_hr.id
    assert referral_rules.rules_in_force(date(2026, 5, 31))[RuleKind.JP_KURANG].version == 1
    assert referral_rules.rules_in_force(date(2026, 6, 1))[RuleKind.JP_KURANG].params == {"month": 11}


def test_rule_with_a_bad_threshold_is_refused(app, dev_world):
    r = _hr(app, dev_world).post(
        "/pengembangan/aturan",
        data={
            "kind": "berakhlak_rendah",
            "berakhlak_rendah-bentuk": "coaching",
            "berakhlak_rendah-threshold": "7",
            "berakhlak_rendah-berlaku_mulai": "2026-06-01",
        },
    )
    assert r.status_code == 422 and "di antara 1 dan 5" in r.get_data(as_text=True)


# --- documents -----------------------------------------------------------------------------------------


def test_surat_tugas_is_issued_once_numbered_and_downloadable_by_the_employee(app, docs_setup):
    ns = docs_setup
    ref = _jp_refs(ns, ns.staff1)[0]
    lifecycle.assign([ref], ns.bimtek, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    for _ in range(2):
        r = _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/surat-tugas", data={"unit_id": ns.opd.id})
        assert r.status_code == 303
    docs = db.session.scalars(select(IssuedDocument).where(IssuedDocument.source_ref == f"surat_tugas:{ref.id}")).all()
    assert len(docs) == 1 and docs[0].number.startswith("800.1.13/1/BKPSDM/")
    body = docs[0].context["body"]
    assert body["pegawai"]["name"] == ns.staff1.full_name and "Bimtek SKP" in body["untuk"][0]
    pdf = app.test_client(user=ns.u_staff).get(f"/pengembangan/dokumen/{docs[0].id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert app.test_client(user=ns.u_other).get(f"/pengembangan/dokumen/{docs[0].id}.pdf").status_code == 404


def test_daftar_peserta_lists_the_assigned_participants(app, docs_setup):
    ns = docs_setup
    refs = _jp_refs(ns, ns.staff1, ns.staff2)
    lifecycle.assign(refs, ns.bimtek, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    r = _hr(app, ns).post(f"/pengembangan/katalog/{ns.bimtek.id}/daftar-peserta", data={"unit_id": ns.opd.id})
    assert r.status_code == 303
    doc = db.session.scalar(select(IssuedDocument).where(IssuedDocument.source_ref == f"daftar_peserta:{ns.bimtek.id}"))
    assert [p["name"] for p in doc.context["body"]["pegawai"]] == [ns.staff2.full_name, ns.staff1.full_name]
    assert doc.pdf.startswith(b"%PDF")


def test_a_racing_second_click_on_daftar_peserta_issues_no_second_valid_list(app, docs_setup, monkeypatch):
    from kinerja_web.services.development import documents as devdocs

    ns = docs_setup
    lifecycle.assign(_jp_refs(ns, ns.staff1), ns.bimtek, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    url, form = f"/pengembangan/katalog/{ns.bimtek.id}/daftar-peserta", {"unit_id": ns.opd.id}
    assert _hr(app, ns).post(url, data=form).status_code == 303
    # The second request did not see the first one's list yet: it computes the same idempotency key.
    monkeypatch.setattr(devdocs, "daftar_documents", lambda programme: [])
    r = _hr(app, ns).post(url, data=form, follow_redirects=True)
    assert r.status_code == 200 and "sudah diterbitkan" in r.get_data(as_text=True)
    (doc,) = db.session.scalars(
        select(IssuedDocument).where(IssuedDocument.source_ref == f"daftar_peserta:{ns.bimtek.id}")
    )
    assert doc.is_valid


def test_daftar_peserta_without_participants_says_so(app, docs_setup):
    r = _hr(app, docs_setup).post(
        f"/pengembangan/katalog/{docs_setup.seminar.id}/daftar-peserta",
        data={"unit_id": docs_setup.opd.id},
        follow_redirects=True,
    )
    assert "belum mempunyai peserta" in r.get_data(as_text=True)


# --- dashboard ------------------------------------------------------------------------------------------


def test_dashboard_shows_jp_coverage_per_opd_and_the_funnel(app, dev_world):
    ns = dev_world
    from kinerja_web.timeutil import today_wib

    year = today_wib().year
    db.session.add(
        JpEntry(employee_id=ns.staff1.id, year=year, jp=20, source="lainnya", title="Diklat", on_date=date(year, 3, 1))
    )
    db.session.commit()
    refs = _jp_refs(ns, ns.staff2)
    lifecycle.assign(refs, ns.elearning, ns.u_hr, date(2026, 10, 1))
    db.session.commit()
    from kinerja_web.services.development import dashboard as page_services

    rows = {r.opd: r for r in page_services.jp_coverage(year)}
    assert rows["Dinas Uji"].reached == 1 and rows["Dinas Uji"].employees == 5
    assert str(rows["Dinas Uji"].percent) == "20.0"
    f = page_services.funnel(2026)
    assert f.assigned == 1 and f.suggested >= 3 and f.completed == 0
    html = _hr(app, ns).get(f"/pengembangan/dasbor?tahun={year}").get_data(as_text=True)
    assert "<svg" in html and "Dinas Uji" in html and "20,0%" in html


def test_dashboard_exports_xlsx(app, dev_world):
    import io as _io

    from openpyxl import load_workbook

    r = _hr(app, dev_world).get("/pengembangan/dasbor.xlsx?tahun=2026")
    assert r.status_code == 200
    wb = load_workbook(_io.BytesIO(r.data))
    assert wb.sheetnames == ["Cakupan JP 2026", "Corong rujukan 2026"]
    assert wb["Cakupan JP 2026"]["A1"].value == "Perangkat daerah"


def test_a_certificate_is_stored_without_anything_appended_and_served_as_a_download(app, dev_world):
    ns = dev_world
    ref, r = _late_certificate(app, ns, PNG_BYTES + upload_files.HTML, "sertifikat pelatihan.png")
    assert r.status_code == 303
    cert = ref.certificates[0]
    assert cert.data == PNG_BYTES
    got = app.test_client(user=ns.u_staff).get(f"/pengembangan/sertifikat/{cert.id}")
    assert got.data == PNG_BYTES and got.mimetype == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"] == 'attachment; filename="sertifikat pelatihan.png"'


def test_a_docx_is_no_certificate(app, dev_world):
    ns = dev_world
    r = _hr(app, ns).post(
        f"/pengembangan/rujukan/{_running(app, ns).id}/selesai",
        data={"attendance_percent": "100", "jp": "20", "certificate": (io.BytesIO(upload_files.docx()), "s.docx")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and "Sertifikat harus berupa berkas PDF atau gambar" in r.get_data(as_text=True)


def test_completing_before_the_programme_starts_is_refused_and_nothing_is_credited(app, dev_world):
    ns = dev_world
    ref = _running(app, ns, ns.bimtek)  # starts in 10 days
    r = _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/selesai", data={"attendance_percent": "100", "jp": "20"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "belum dapat dicatat selesai" in html and "tanggal mulai" in html
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.BERJALAN and not db.session.scalar(select(func.count(JpEntry.id)))


def test_below_the_minimum_attendance_of_the_rule_in_force_no_jp_is_credited(app, dev_world):
    ns = dev_world
    minimum = referral_rules.minimum_attendance(date(2026, 12, 1))
    assert minimum.percent == 80 and minimum.rule is not None and minimum.rule.note  # the seeded version, cited
    ref = _running(app, ns)
    r = _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/selesai", data={"attendance_percent": "60", "jp": "20"})
    assert r.status_code == 303
    db.session.refresh(ref)
    assert ref.status == ReferralStatus.SELESAI and ref.attendance_percent == 60 and ref.jp_credited == 0
    assert not db.session.scalar(select(func.count(JpEntry.id)))
    page = _hr(app, ns).get(f"/pengembangan/rujukan/{ref.id}").get_data(as_text=True)
    assert "di bawah batas 80%" in page


def _post_rule(app, ns, kind: str, **fields):
    """A new version of a rule through the rules page (its form fields carry the rule kind as prefix)."""
    return _hr(app, ns).post(
        "/pengembangan/aturan", data={"kind": kind} | {f"{kind}-{k}": v for k, v in fields.items()}
    )


def test_a_new_version_of_the_minimum_attendance_applies_from_its_start_date(app, dev_world):
    ns = dev_world
    note = "Keputusan Kepala BKPSDM Nomor 800/1/2026"
    r = _post_rule(app, ns, "kehadiran_minimal", percent="50", berlaku_mulai="2026-01-01", note=note, active="y")
    assert r.status_code == 303
    assert referral_rules.minimum_attendance(date(2026, 12, 1)).percent == 50
    r = _post_rule(app, ns, "kehadiran_minimal", percent="0", berlaku_mulai="2026-01-01")
    assert r.status_code == 422 and "Kehadiran minimal 1–100%" in r.get_data(as_text=True)
    ref = _running(app, ns)
    _hr(app, ns).post(f"/pengembangan/rujukan/{ref.id}/selesai", data={"attendance_percent": "60", "jp": "20"})
    db.session.refresh(ref)
    assert ref.jp_credited == 20
