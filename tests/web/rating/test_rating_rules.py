"""Rating rules as versioned data, end to end: a past year re-evaluates identically under its old version after a
new version is added, this year uses the new one; HR adds a version through the form (overlap/gap refused at the
field, nothing saved); the history shows who changed what, and the change is audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from kinerja_web.domain import rating_rules as rr
from kinerja_web.domain.predikat import MATRIKS_PREDIKAT, Ekspektasi, Predikat, PredikatOrganisasi
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, RatingRuleVersion, TalentPotensial
from kinerja_web.services import rating_rules
from kinerja_web.services.rating import organisation, ratings
from kinerja_web.services.talent import boxes

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_period

E, P = Ekspektasi, Predikat
URL = "/penilaian-kinerja/aturan"
# The new version of 2027: "sesuai × sesuai" becomes Butuh Perbaikan (an invented change, to see it take effect).
CHANGED = dict(MATRIKS_PREDIKAT) | {(E.SESUAI, E.SESUAI): P.BUTUH_PERBAIKAN}


def _matrix_form(changed: dict, **extra) -> dict:
    data = {f"sel-{h.value}-{p.value}": v.value for (h, p), v in changed.items()}
    return data | {"citation": "Perbup Lampung Utara 9/2027 (contoh)", "note": "uji"} | extra


def test_past_year_re_evaluates_identically_after_a_new_version(app, org_chart):
    last_year, this_year = make_period(2026), make_period(2027)
    on = date(2027, 1, 10)
    old = ratings.save_rating(org_chart.staff1, last_year, 0, E.SESUAI, E.SESUAI, None, org_chart.u_kasi, on)
    assert old.predikat is P.BAIK and old.rule_version == "predikat_matriks@2022-01-01"

    rating_rules.add_version(rr.PREDIKAT, CHANGED, date(2027, 1, 1), None, "Perbup 9/2027", None, org_chart.u_hr)

    # Last year: a re-saved rating and a new rating of that year compute with the old version.
    again = ratings.save_rating(org_chart.staff1, last_year, 0, E.SESUAI, E.SESUAI, None, org_chart.u_kasi, on)
    other = ratings.save_rating(org_chart.staff2, last_year, 0, E.SESUAI, E.SESUAI, None, org_chart.u_kasi, on)
    assert (again.predikat, other.predikat) == (P.BAIK, P.BAIK)
    assert other.rule_version == "predikat_matriks@2022-01-01"
    # A calibration change of last year's rating keeps the version it recorded.
    ratings.calibrate(again, E.DI_ATAS, E.SESUAI, "Kalibrasi unit: bukti dukung baru", org_chart.u_hr)
    ratings.calibrate(again, E.SESUAI, E.SESUAI, "Kalibrasi unit: dikembalikan semula", org_chart.u_hr)
    assert again.predikat is P.BAIK and again.rule_version == "predikat_matriks@2022-01-01"

    # This year: the new version.
    new = ratings.save_rating(org_chart.staff1, this_year, 0, E.SESUAI, E.SESUAI, None, org_chart.u_kasi, on)
    assert new.predikat is P.BUTUH_PERBAIKAN and new.rule_version == "predikat_matriks@2027-01-01"
    text = ratings.explained(new)["penjelasan"].kalimat
    assert "Perbup 9/2027" in text


def test_calibration_records_the_kurva_version(app, org_chart):
    period = make_period(2026)
    organisation.set_unit_predikat(org_chart.opd, period, 0, PredikatOrganisasi.BAIK, org_chart.u_hr)
    row = organisation.mark_calibrated(org_chart.opd, period, 0, org_chart.u_hr)
    assert row.kurva_rule_version == "kurva_distribusi@2023-01-01"
    assert organisation.calibration(org_chart.opd, period).kurva_version.version_id == row.kurva_rule_version


def test_talent_numbering_follows_the_periods_version(app, org_chart):
    last_year, this_year = make_period(2026), make_period(2027)
    numbering = dict(rr.DEFAULT_DATA[rr.KOTAK])
    numbering[E.DI_ATAS, rr.Potensial.RENDAH], numbering[E.SESUAI, rr.Potensial.RENDAH] = 2, 4
    rating_rules.add_version(rr.KOTAK, numbering, date(2027, 1, 1), None, "Perbup 10/2027", None, org_chart.u_hr)
    for period in (last_year, this_year):
        r = ratings.save_rating(
            org_chart.staff1, period, 0, E.DI_ATAS, E.DI_ATAS, None, org_chart.u_kasi, date(2027, 1, 5)
        )
        ratings.finalise(r, org_chart.u_kasi)
        db.session.add(TalentPotensial(employee_id=org_chart.staff1.id, period_id=period.id, potensial="rendah"))
    db.session.flush()
    assert boxes.talent_box(org_chart.staff1.id, last_year.id).nomor == 4
    assert boxes.talent_box(org_chart.staff1.id, this_year.id).nomor == 2


def test_hr_reads_the_rule_tables_and_others_may_not(app, org_chart):
    page = app.test_client(user=org_chart.u_hr).get(URL)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for label in rr.LABELS.values():
        assert label in text
    assert (
        "PermenPANRB 6/2022" in text and 'id="versi-predikat_matriks@2022-01-01"' in text and "Versi pertama." in text
    )
    assert app.test_client(user=org_chart.u_kasi).get(URL).status_code == 403
    assert app.test_client(user=org_chart.u_kasi).get(f"{URL}/{rr.PREDIKAT}").status_code == 403
    assert app.test_client(user=org_chart.u_hr).get(f"{URL}/tidak_ada").status_code == 404


def test_form_starts_from_the_latest_version(app, org_chart):
    for code in rr.CODES:
        page = app.test_client(user=org_chart.u_hr).get(f"{URL}/{code}")
        assert page.status_code == 200, code
    text = app.test_client(user=org_chart.u_hr).get(f"{URL}/{rr.KEBERATAN}").get_data(as_text=True)
    assert 'name="hari" value="14"' in text


def test_overlapping_version_is_refused_at_the_field_and_nothing_is_saved(app, org_chart):
    client = app.test_client(user=org_chart.u_hr)
    r = client.post(f"{URL}/{rr.PREDIKAT}", data=_matrix_form(CHANGED, berlaku_mulai="2021-06-01"))
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Tumpang tindih" in text and 'id="galat-berlaku_mulai"' in text
    assert 'value="Perbup Lampung Utara 9/2027 (contoh)"' in text  # typed values stay
    assert db.session.scalar(select(func.count(RatingRuleVersion.id))) == 0


def test_gap_after_an_ended_version_is_refused(app, org_chart):
    client = app.test_client(user=org_chart.u_hr)
    r = client.post(
        f"{URL}/{rr.KEBERATAN}",
        data={
            "hari": "10",
            "jenis": "kerja",
            "libur": "",
            "citation": "Perbup 1/2027",
            "berlaku_mulai": "2027-01-01",
            "berlaku_sampai": "2027-12-31",
        },
    )
    assert r.status_code == 303
    r = client.post(
        f"{URL}/{rr.KEBERATAN}",
        data={
            "hari": "14",
            "jenis": "kalender",
            "libur": "",
            "citation": "Perbup 2/2028",
            "berlaku_mulai": "2028-02-01",
        },
    )
    assert r.status_code == 422 and "Ada celah" in r.get_data(as_text=True)
    assert (
        db.session.scalar(select(func.count(RatingRuleVersion.id)).where(RatingRuleVersion.code == rr.KEBERATAN)) == 2
    )


def test_bad_cells_get_their_message(app, org_chart):
    client = app.test_client(user=org_chart.u_hr)
    numbering = {f"kotak-{k.value}-{p.value}": str(n) for (k, p), n in rr.DEFAULT_DATA[rr.KOTAK].items()}
    numbering["kotak-di_atas-rendah"] = "9"
    r = client.post(f"{URL}/{rr.KOTAK}", data=numbering | {"citation": "x", "berlaku_mulai": "2027-01-01"})
    assert r.status_code == 422 and "dipakai lebih dari satu kotak" in r.get_data(as_text=True)
    r = client.post(
        f"{URL}/{rr.KEBERATAN}", data={"hari": "0", "jenis": "kalender", "citation": "", "berlaku_mulai": ""}
    )
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Jumlah hari harus antara 1 dan 90." in text and "Dasar hukum wajib diisi." in text
    assert "Berlaku mulai wajib diisi." in text
    assert db.session.scalar(select(func.count(RatingRuleVersion.id))) == 0


def test_a_new_version_is_saved_audited_and_shown_in_the_history(app, org_chart):
    client = app.test_client(user=org_chart.u_hr)
    r = client.post(f"{URL}/{rr.PREDIKAT}", data=_matrix_form(CHANGED, berlaku_mulai="2027-01-01"))
    assert r.status_code == 303
    stored = db.session.scalars(select(RatingRuleVersion).where(RatingRuleVersion.code == rr.PREDIKAT)).all()
    assert [v.version_id for v in stored] == ["predikat_matriks@2022-01-01", "predikat_matriks@2027-01-01"]
    assert stored[1].created_by_id == org_chart.u_hr.id
    assert db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.entity == "rating_rule_version", AuditLog.entity_id == stored[1].id
        )
    )
    text = client.get(URL).get_data(as_text=True)
    assert "Hasil kerja sesuai ekspektasi × perilaku sesuai ekspektasi: Baik → Butuh Perbaikan" in text
    assert "Perbup Lampung Utara 9/2027 (contoh)" in text


def test_a_referral_rule_version_may_not_start_before_the_latest_one(app, org_chart):
    import pytest

    from kinerja_web.domain import DomainError
    from kinerja_web.domain.development import ProgrammeBentuk
    from kinerja_web.models import RuleKind
    from kinerja_web.services.development import rules as referral_rules

    def save(day):
        return referral_rules.save_rule(
            RuleKind.BERAKHLAK_RENDAH,
            bentuk=ProgrammeBentuk.COACHING,
            programme_id=None,
            params={"threshold": "2.75"},
            berlaku_mulai=day,
            active=True,
            note="Perbup contoh",
            actor=org_chart.u_hr,
        )

    save(date(2027, 1, 1))
    assert save(date(2027, 1, 1)).version == 2  # the same day: a correction of that day's version
    with pytest.raises(DomainError, match="Tumpang tindih") as refused:
        save(date(2026, 6, 1))
    assert refused.value.field == "berlaku_mulai"
