"""Penilaian kinerja by the pejabat penilai: rating screen, finalisation, calibration, kurva, payroll feed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_web.domain.predikat import Ekspektasi, Predikat, PredikatOrganisasi
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import (
    AuditLog,
    Notification,
    PayrollPredikat,
    PerformanceRating,
    RatingStatus,
    Role,
    UnitPredikat,
)

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def rate_url(period, employee, suffix=""):
    return f"/penilaian-kinerja/{period.id}/pegawai/{employee.id}{suffix}"


def unit_url(period, unit, suffix=""):
    return f"/penilaian-kinerja/{period.id}/unit/{unit.id}{suffix}"


def post_rating(app, user, period, employee, hasil="di_atas", perilaku="sesuai", aksi="simpan"):
    return app.test_client(user=user).post(
        rate_url(period, employee), data={"hasil_kerja": hasil, "perilaku_kerja": perilaku, "aksi": aksi}
    )


def rating_row(employee, period):
    return db.session.scalars(
        select(PerformanceRating).where(
            PerformanceRating.employee_id == employee.id, PerformanceRating.period_id == period.id
        )
    ).one_or_none()


@pytest.fixture
def big_team(org_chart, make_position, make_employee):
    """Four more staff under the kasi, so the OPD has 8 rated pegawai (kabid, kasi, 6 staff)."""
    extra = []
    for i in range(4):
        pos = make_position(f"Staf Tambahan {i}", org_chart.opd, org_chart.p_kasi)
        extra.append(make_employee(f"Staf Tambahan {i}", pos))
    db.session.commit()
    return extra


def test_appraiser_rates_and_sees_predikat_with_explanation(app, org_chart, period):
    r = post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "di_atas", "sesuai")
    assert r.status_code == 303
    page = app.test_client(user=org_chart.u_kasi).get(rate_url(period, org_chart.staff1))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Predikat: Baik" in text
    assert "rating hasil kerja «Di Atas Ekspektasi» dan rating perilaku kerja «Sesuai Ekspektasi»" in text
    assert 'class="sel"' in text and "▶ Baik" in text
    assert "masukan" in text and "bukan suara" in text  # the 360 aggregate is an input, not a vote
    assert rating_row(org_chart.staff1, period).predikat == Predikat.BAIK


def test_predikat_preview_fragment_highlights_the_cell(app, org_chart):
    r = app.test_client(user=org_chart.u_kasi).get(
        "/penilaian-kinerja/pratinjau?hasil_kerja=sesuai&perilaku_kerja=di_bawah", headers={"HX-Request": "true"}
    )
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in text
    assert "▶ Kurang/Misconduct" in text and 'id="pratinjau"' in text


def test_non_appraiser_cannot_rate(app, org_chart, period, u_kabid):
    assert post_rating(app, u_kabid, period, org_chart.staff1).status_code == 403  # superior, not atasan langsung
    assert post_rating(app, org_chart.u_staff, period, org_chart.staff1).status_code == 403  # self
    assert post_rating(app, org_chart.u_other, period, org_chart.staff1).status_code == 404  # unrelated pegawai
    assert post_rating(app, org_chart.u_hr, period, org_chart.staff1).status_code == 403  # HR sees, never rates
    assert rating_row(org_chart.staff1, period) is None


def test_invalid_rating_is_refused_with_a_message(app, org_chart, period):
    r = post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "luar_biasa", "sesuai")
    assert r.status_code == 422
    assert "Not a valid choice" not in r.get_data(as_text=True)
    assert rating_row(org_chart.staff1, period) is None


def test_double_finalise_finalises_once(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1)
    client = app.test_client(user=org_chart.u_kasi)
    first = client.post(rate_url(period, org_chart.staff1, "/final"))
    second = client.post(rate_url(period, org_chart.staff1, "/final"))
    assert first.status_code == second.status_code == 303
    assert rating_row(org_chart.staff1, period).status == RatingStatus.FINAL
    events = db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "finalise_rating"))
    notes = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == org_chart.u_staff.id, Notification.kind == "penilaian_kinerja"
        )
    )
    assert events == 1 and notes == 1


def test_final_rating_cannot_be_changed_by_the_appraiser(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, aksi="final")
    r = post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "di_bawah", "di_bawah")
    assert r.status_code == 422
    assert "sudah final" in r.get_data(as_text=True)
    assert rating_row(org_chart.staff1, period).predikat == Predikat.BAIK


def test_employee_sees_own_result_only_when_final(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1)
    own = app.test_client(user=org_chart.u_staff)
    draft_view = own.get(rate_url(period, org_chart.staff1)).get_data(as_text=True)
    assert "belum ditetapkan final" in draft_view and "Predikat: Baik" not in draft_view
    app.test_client(user=org_chart.u_kasi).post(rate_url(period, org_chart.staff1, "/final"))
    final_view = own.get(rate_url(period, org_chart.staff1)).get_data(as_text=True)
    assert "Predikat: Baik" in final_view and "menghasilkan predikat «Baik»" in final_view


def test_finalising_writes_payroll_predikat_for_every_month_of_the_period(app, org_chart, period):
    from kinerja_web.services.payroll.predikat import predikat_for

    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "di_atas", "di_atas", aksi="final")
    rows = db.session.scalars(select(PayrollPredikat).where(PayrollPredikat.employee_id == org_chart.staff1.id)).all()
    assert len(rows) == 12
    assert {r.predikat for r in rows} == {"sangat_baik"}
    assert {r.source for r in rows} == {"Penilaian kinerja Tahunan 2026"}
    assert predikat_for([org_chart.staff1.id], date(2026, 7, 1)) == {
        org_chart.staff1.id: (Predikat.SANGAT_BAIK, "Penilaian kinerja Tahunan 2026")
    }


def test_a_draft_does_not_feed_payroll(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1)
    assert db.session.scalar(select(func.count(PayrollPredikat.id))) == 0


def test_calibration_change_needs_a_reason_and_is_audited(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "sesuai", "sesuai", aksi="final")
    rating = rating_row(org_chart.staff1, period)
    hr = app.test_client(user=org_chart.u_hr)
    url = unit_url(period, org_chart.opd, f"/kalibrasi/{rating.id}")
    refused = hr.post(url, data={"hasil_kerja": "di_bawah", "perilaku_kerja": "sesuai", "alasan": ""})
    assert refused.status_code == 422 and "Alasan perubahan wajib diisi." in refused.get_data(as_text=True)
    db.session.refresh(rating)
    assert rating.predikat == Predikat.BAIK
    reason = "Realisasi triwulan IV jauh di bawah target setelah verifikasi bukti."
    ok = hr.post(url, data={"hasil_kerja": "di_bawah", "perilaku_kerja": "sesuai", "alasan": reason})
    assert ok.status_code == 303
    db.session.refresh(rating)
    assert rating.predikat == Predikat.BUTUH_PERBAIKAN and rating.change_reason == reason
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "calibrate_rating")).one()
    assert log.summary == reason
    payroll = db.session.scalars(select(PayrollPredikat).where(PayrollPredikat.employee_id == org_chart.staff1.id))
    assert {r.predikat for r in payroll} == {"butuh_perbaikan"}


def test_the_calibrator_sees_the_calibration_history_of_the_unit(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "sesuai", "sesuai", aksi="final")
    rating = rating_row(org_chart.staff1, period)
    hr = app.test_client(user=org_chart.u_hr)
    assert "Belum ada perubahan rating" in hr.get(unit_url(period, org_chart.opd)).get_data(as_text=True)
    reason = "Realisasi triwulan IV jauh di bawah target setelah verifikasi bukti."
    url = unit_url(period, org_chart.opd, f"/kalibrasi/{rating.id}")
    assert (
        hr.post(url, data={"hasil_kerja": "di_bawah", "perilaku_kerja": "sesuai", "alasan": reason}).status_code == 303
    )
    page = hr.get(unit_url(period, org_chart.opd)).get_data(as_text=True)
    history = page[page.index('id="riwayat"') :]
    assert "Staf Satu" in history and "Kalibrasi" in history and reason in history
    assert "Baik (hasil kerja sesuai ekspektasi, perilaku kerja sesuai ekspektasi)" in history
    assert "Butuh Perbaikan (hasil kerja di bawah ekspektasi, perilaku kerja sesuai ekspektasi)" in history
    assert org_chart.u_hr.username in history or (
        org_chart.u_hr.employee and org_chart.u_hr.employee.full_name in history
    )


def test_kurva_warnings_appear_with_numbers_for_a_unit(app, org_chart, period, big_team):
    hr = app.test_client(user=org_chart.u_hr)
    r = hr.post(unit_url(period, org_chart.opd, "/predikat"), data={"predikat": "baik"})
    assert r.status_code == 303
    for emp in [org_chart.kabid, org_chart.kasi, org_chart.staff1, org_chart.staff2, *big_team]:
        db.session.add(
            PerformanceRating(
                employee_id=emp.id,
                period_id=period.id,
                hasil_kerja=Ekspektasi.SESUAI,
                perilaku_kerja=Ekspektasi.SESUAI,
                predikat=Predikat.BAIK,
            )
        )
    db.session.commit()
    text = hr.get(unit_url(period, org_chart.opd)).get_data(as_text=True)
    assert "8 dari 8 pegawai (100%) melebihi batas maksimal 70%" in text
    assert "paling banyak 5 pegawai, kelebihan 3 pegawai" in text
    assert "harus ada paling sedikit 1 pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct" in text
    assert "Kepala Uji" not in text  # the unit's head is rated by the organisation above


def test_small_unit_gets_guidance_only(app, org_chart, period):
    db.session.add(UnitPredikat(unit_id=org_chart.opd.id, period_id=period.id, predikat=PredikatOrganisasi.BAIK))
    db.session.commit()
    text = app.test_client(user=org_chart.u_hr).get(unit_url(period, org_chart.opd)).get_data(as_text=True)
    assert "Panduan:" in text and "Peringatan:" not in text


def test_unit_leader_hasil_kerja_follows_the_unit_capaian(app, org_chart, period, u_kabid):
    db.session.add(UnitPredikat(unit_id=org_chart.opd.id, period_id=period.id, predikat=PredikatOrganisasi.ISTIMEWA))
    db.session.commit()
    text = app.test_client(user=u_kabid).get(rate_url(period, org_chart.kasi)).get_data(as_text=True)
    assert "Capaian kinerja organisasi unit tersebut «Istimewa»" in text
    assert 'checked id="hasil_kerja-0"' in text  # hasil_kerja-0 is «Di Atas Ekspektasi»
    assert 'checked id="perilaku_kerja-' not in text


def test_leader_above_sets_the_organisation_predikat_and_others_cannot(app, org_chart, period, make_unit, make_user):
    bidang = make_unit("Bidang Uji", parent=org_chart.opd)
    u_head = make_user("kadis1", {Role.PEGAWAI}, org_chart.head)
    db.session.commit()
    ok = app.test_client(user=u_head).post(unit_url(period, bidang, "/predikat"), data={"predikat": "istimewa"})
    assert ok.status_code == 303
    denied = app.test_client(user=org_chart.u_staff).post(
        unit_url(period, bidang, "/predikat"), data={"predikat": "baik"}
    )
    assert denied.status_code == 403
    assert db.session.scalars(select(UnitPredikat)).one().predikat == PredikatOrganisasi.ISTIMEWA


def test_todo_counts_pegawai_with_an_approved_skp_awaiting_the_appraiser(app, org_chart, period):
    from kinerja_web.todos import todos_for

    assert todos_for(org_chart.u_kasi) == []  # nothing to rate before an SKP is approved
    make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED)
    make_skp(org_chart.staff2, period, status=SkpStatus.APPROVED)
    assert "2 pegawai menunggu penilaian kinerja Anda" in [t.message for t in todos_for(org_chart.u_kasi)]
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, aksi="final")
    assert "1 pegawai menunggu penilaian kinerja Anda" in [t.message for t in todos_for(org_chart.u_kasi)]


def test_calibration_view_query_count_is_constant(app, org_chart, period, make_position, make_employee, count_queries):
    db.session.add(UnitPredikat(unit_id=org_chart.opd.id, period_id=period.id, predikat=PredikatOrganisasi.BAIK))
    db.session.commit()
    hr = app.test_client(user=org_chart.u_hr)

    def add_rated(n):
        for i in range(n):
            pos = make_position(f"Staf Kalibrasi {i}", org_chart.opd, org_chart.p_kasi)
            emp = make_employee(f"Staf Kalibrasi {i}", pos)
            db.session.add(
                PerformanceRating(
                    employee_id=emp.id,
                    period_id=period.id,
                    hasil_kerja=Ekspektasi.SESUAI,
                    perilaku_kerja=Ekspektasi.DI_ATAS,
                    predikat=Predikat.BAIK,
                )
            )
        db.session.commit()

    add_rated(2)
    hr.get(unit_url(period, org_chart.opd))  # warm caches (login, menu)
    with count_queries() as small:
        assert hr.get(unit_url(period, org_chart.opd)).status_code == 200
    add_rated(20)
    hr.get(unit_url(period, org_chart.opd))  # same warm-up after the commit expired the session
    with count_queries() as large:
        assert hr.get(unit_url(period, org_chart.opd)).status_code == 200
    assert len(large) == len(small), "\n".join(" ".join(q.split())[:110] for q in small + ["----"] + large)


def test_rating_screen_shows_skp_targets_realisasi_and_evidence_counts(app, org_chart, period):
    from kinerja_web.models import Realisasi

    skp = make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, rhks=(("Menyusun laporan", None),))
    indikator = skp.rhks[0].indikators[0]
    db.session.add(Realisasi(indikator_id=indikator.id, window_no=1, nilai="4", link="https://contoh.go.id/bukti"))
    db.session.commit()
    text = app.test_client(user=org_chart.u_kasi).get(rate_url(period, org_chart.staff1)).get_data(as_text=True)
    assert "Menyusun laporan" in text and "12 dokumen" in text
    assert "Triwulan I: 4" in text
    assert "1 realisasi · 1 bukti dukung" in text


def test_after_calibration_the_appraiser_changes_a_draft_only_through_calibration(app, org_chart, period):
    post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "sesuai", "sesuai")
    hr = app.test_client(user=org_chart.u_hr)
    hr.post(unit_url(period, org_chart.opd, "/predikat"), data={"predikat": "baik"})
    assert hr.post(unit_url(period, org_chart.opd, "/selesai")).status_code == 303
    r = post_rating(app, org_chart.u_kasi, period, org_chart.staff1, "di_bawah", "sesuai")
    assert r.status_code == 422 and "Kalibrasi unit pegawai ini sudah selesai" in r.get_data(as_text=True)
    assert rating_row(org_chart.staff1, period).predikat == Predikat.BAIK


def test_preview_answers_a_full_page_without_htmx_and_when_boosted(app, org_chart):
    client = app.test_client(user=org_chart.u_kasi)
    url = "/penilaian-kinerja/pratinjau?hasil_kerja=di_atas&perilaku_kerja=di_atas"
    plain = client.get(url)
    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    for r in (plain, boosted):
        assert r.status_code == 200 and "<html" in r.get_data(as_text=True)
        assert "▶ Sangat Baik" in r.get_data(as_text=True)
    assert "HX-Request" in plain.headers.get("Vary", "")


def test_organisation_predikat_keeps_its_basis_note(app, org_chart, period):
    hr = app.test_client(user=org_chart.u_hr)
    data = {"predikat": "baik", "note": "LKjIP 2026 dinilai BB"}
    assert hr.post(unit_url(period, org_chart.opd, "/predikat"), data=data).status_code == 303
    assert db.session.scalar(select(UnitPredikat.note)) == "LKjIP 2026 dinilai BB"
    assert "LKjIP 2026 dinilai BB" in hr.get(unit_url(period, org_chart.opd)).get_data(as_text=True)
