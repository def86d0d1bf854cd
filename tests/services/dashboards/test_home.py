"""The Beranda aggregates (services/dashboards/home.py) and the SKP rule they share (records.effective_skps)."""

from __future__ import annotations

from datetime import date

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.services.dashboards import home
from kinerja_web.services.skp import records
from tests.web.skp_fixtures import make_period, make_skp


def test_current_period_is_this_years_else_the_newest(app):
    assert home.current_period(date(2026, 5, 1)) is None
    old, new = make_period(2024), make_period(2025)
    assert home.current_period(date(2026, 5, 1)) == new
    assert home.current_period(date(2024, 5, 1)) == old


def test_effective_skps_prefer_the_approved_version_as_effective_skp_does(app, org_chart):
    period = make_period(2026)
    make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED, version=1)
    make_skp(org_chart.staff1, period, status=SkpStatus.DRAFT, version=2)
    make_skp(org_chart.staff2, period, status=SkpStatus.DRAFT, version=1)
    make_skp(org_chart.staff2, period, status=SkpStatus.RETURNED, version=2)
    ids = [org_chart.staff1.id, org_chart.staff2.id, org_chart.kasi.id]
    many = records.effective_skps(period.id, ids)
    assert {e: s.status for e, s in many.items()} == {
        org_chart.staff1.id: SkpStatus.APPROVED,
        org_chart.staff2.id: SkpStatus.RETURNED,
    }
    for e in ids:
        assert many.get(e) == records.effective_skp(e, period.id)
    assert records.effective_skps(period.id, []) == {}


def test_team_year_counts_skp_states_with_the_members_without_one(app, org_chart):
    period = make_period(2026)
    make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    team = home.team_year(org_chart.u_kasi, [org_chart.staff1.id, org_chart.staff2.id], date(2026, 5, 1))
    assert team.year == 2026 and team.size == 2
    assert dict(team.skp_states) == {"Diajukan": 1, "Belum ada SKP": 1}
    assert team.approvals_due == 1 and team.ratings_due == 0


def test_pay_card_change_is_this_month_minus_the_previous(app):
    card = home.PayCard(1, "Oktober 2026", 5_000_000, 1_200_000, "September 2026", 5_300_000, 1_500_000)
    assert card.netto_change == -300_000 and card.tpp_change == -300_000
    assert home.PayCard(1, "Oktober 2026", 5_000_000, 1_200_000).netto_change is None
