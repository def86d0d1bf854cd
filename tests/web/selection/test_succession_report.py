"""Succession of key posts and the selection-vs-other report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kinerja_web.domain.predikat import Predikat
from kinerja_web.domain.selection import CandidateStatus, SelectionStatus
from kinerja_web.domain.talent import Potensial
from kinerja_web.extensions import db
from kinerja_web.models import TalentPotensial, utcnow
from kinerja_web.services.selection import report, succession

from ..competency.fixtures import assess
from .fixtures import period_of, rate


def test_key_posts_with_incumbent_retirement_and_talent_pool_candidates(app, sel_world):
    ns = sel_world
    year = ns.today.year - 1
    # kasi (pengawas) is in box 9 and feeds the kabid (administrator) post; kabid's incumbent retires soon.
    db.session.add(TalentPotensial(employee_id=ns.kasi.id, period_id=period_of(year).id, potensial=Potensial.TINGGI))
    rate(ns.kasi, year, Predikat.SANGAT_BAIK)
    ns.kabid.birth_date = date(ns.today.year - 57, 1, 15)  # BUP 58 for administrators
    db.session.commit()
    assess(ns.kasi, "2,5")  # 22.5 of the administrator's 27
    rows = {r.position.id: r for r in succession.succession(ns.today)}
    kabid = rows[ns.p_kabid.id]
    assert kabid.incumbent.id == ns.kabid.id and kabid.retires_on == date(ns.today.year + 1, 2, 1)
    assert kabid.vacant_within
    assert [(c.employee.id, c.kotak, c.jpm, c.kategori) for c in kabid.candidates] == [
        (ns.kasi.id, 9, Decimal("83.33"), "Cukup Optimal (Masih Memenuhi Syarat)")
    ]
    assert rows[ns.p_head.id].retires_on == date(1970 + 60, 6, 1)  # JPT: 60
    soon = succession.succession(ns.today, within_months=24)
    assert ns.p_kabid.id in {r.position.id for r in soon} and ns.p_head.id not in {r.position.id for r in soon}
    r = app.test_client(user=ns.u_hr).get("/seleksi/suksesi?kosong=1")
    assert r.status_code == 200 and "Kasi Uji" in r.get_data(as_text=True)


def test_report_says_data_belum_cukup_under_the_minimum_group(app, sel_world):
    ns = sel_world
    ns.sel.status = SelectionStatus.DECIDED
    ns.c1.status = CandidateStatus.CHOSEN
    ns.sel.decided_at = utcnow().replace(year=ns.today.year - 2)
    rate(ns.staff1, ns.today.year, Predikat.SANGAT_BAIK)  # the year after the appointment
    db.session.commit()
    years, least = report.predikat_report(ns.today)
    assert least == 10
    last = years[-1]
    assert last.groups[report.SELECTED].n >= 1 and not last.groups[report.SELECTED].enough
    app.config["SELECTION_REPORT_MIN_GROUP"] = 1
    years, _ = report.predikat_report(ns.today)
    assert years[-1].groups[report.SELECTED].enough
    body = app.test_client(user=ns.u_hr).get("/seleksi/laporan").get_data(as_text=True)
    assert "Diangkat melalui seleksi" in body
    app.config["SELECTION_REPORT_MIN_GROUP"] = 10
    assert "data belum cukup" in app.test_client(user=ns.u_hr).get("/seleksi/laporan").get_data(as_text=True)


def test_the_pansel_of_a_candidate_is_known_to_the_competency_area(sel_world):
    from kinerja_web import access

    ns = sel_world
    assert access.is_pansel_for_candidate(ns.u_kasi, ns.staff1)  # kasi sits on the pansel, staff1 is a candidate
    assert not access.is_pansel_for_candidate(ns.u_kasi, ns.other)  # not a candidate
    assert not access.is_pansel_for_candidate(ns.u_other, ns.staff1)  # not on the pansel
