from datetime import date
from decimal import Decimal as D

from kinerja_web.domain.competency import NATIONAL_CODES, JpmKategori
from kinerja_web.extensions import db
from kinerja_web.models import CompetencyRule, CompetencyStandard, CompetencyStandardItem
from kinerja_web.services.competency import assessments
from kinerja_web.services.competency.jpm import jpm_against, latest_snapshots
from kinerja_web.services.competency.standards import competency_map

from .fixtures import assess


def test_no_assessment_gives_none(org_chart):
    assert jpm_against(org_chart.staff1.id, org_chart.p_staff1.id, date(2026, 6, 1)) is None


def test_jpm_against_own_post_uses_default_levels(org_chart):
    # kasi holds a pengawas post: default required level 2 for all nine
    p = assess(org_chart.kasi, {**{c: "2" for c in NATIONAL_CODES}, "PDOL": "1,5"})
    r = jpm_against(org_chart.kasi.id, org_chart.p_kasi.id, date(2026, 6, 1))
    assert r.assessment_id == p.id and r.assessed_on == date(2026, 3, 10)
    assert r.jpm == D("97.22")  # 17.5 / 18
    assert r.kategori == JpmKategori.OPTIMAL and r.kategori == "optimal"
    assert ("PDOL", 2, D("1.5")) in r.gaps
    assert [g.code for g in r.needs] == ["PDOL"]
    # against the kabid (administrator, level 3) post: 17.5 / 27
    up = jpm_against(org_chart.kasi.id, org_chart.p_kabid.id, date(2026, 6, 1))
    assert up.jpm == D("64.81") and up.kategori == JpmKategori.KURANG_OPTIMAL
    # snapshot against the post held when assessed
    assert p.jpm == D("97.22") and p.kategori == JpmKategori.OPTIMAL
    assert latest_snapshots([org_chart.kasi.id])[org_chart.kasi.id].participant_id == p.id


def test_assessment_after_the_date_is_not_used(org_chart):
    assess(org_chart.kasi, "2", held_on=date(2026, 9, 1))
    assert jpm_against(org_chart.kasi.id, org_chart.p_kasi.id, date(2026, 6, 1)) is None


def test_standard_overrides_and_capping_rule(org_chart):
    assess(org_chart.staff1, "3")
    comps = competency_map()
    std = CompetencyStandard(
        position_id=org_chart.p_staff1.id, version=1, berlaku_mulai=date(2026, 1, 1), dasar_hukum="Perbup 1/2026"
    )
    std.items.append(CompetencyStandardItem(competency=comps["INT"], required_level=4))
    db.session.add(std)
    db.session.commit()
    r = jpm_against(org_chart.staff1.id, org_chart.p_staff1.id, date(2026, 6, 1))
    # INT 3 of 4, eight others capped at 1: (3 + 8) / (4 + 8)
    assert r.jpm == D("91.67")
    db.session.add(CompetencyRule(version=1, berlaku_mulai=date(2026, 5, 1), params={"cap_at_required": False}))
    db.session.commit()
    r = jpm_against(org_chart.staff1.id, org_chart.p_staff1.id, date(2026, 6, 1))
    assert r.jpm == D("225.00")  # (3 + 24) / 12


def test_meeting_needs_reason_when_consensus_differs_from_mean(org_chart):
    p = assess(org_chart.staff2, "1")
    event = p.event
    a2 = assessments.add_assessor(event, "Asesor B")
    a1 = event.assessors[0]
    form = {f"r-{a1.id}-INT": "3", f"r-{a2.id}-INT": "3,5", "c-INT": "3", f"r-{a1.id}-KS": "7", "c-KS": "2,3"}
    data, errors = assessments.check_meeting(p, form, list(NATIONAL_CODES))
    assert set(errors) == {"alasan-INT", f"r-{a1.id}-KS", "c-KS"}
    assert "rata-rata asesor (3,25)" in errors["alasan-INT"]
    form.update({"alasan-INT": "Bukti simulasi in-tray kuat", f"r-{a1.id}-KS": "2", "c-KS": "2"})
    data, errors = assessments.check_meeting(p, form, list(NATIONAL_CODES))
    assert errors == {}
    assessments.save_meeting(p, data)
    db.session.commit()
    levels = {r.competency.code: r.level for r in p.results}
    assert levels["INT"] == D(3) and levels["KS"] == D(2)
    assert p.finalised_at is None  # the form held only two consensus levels: no longer complete
    assert len(p.ratings) == 3
