"""The order in which the areas' demo data is seeded: `flask seed demo` and `flask seed scale`.

Every function flushes; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...domain.predikat import Ekspektasi
from ...extensions import db
from ...models import User
from .. import rating_rules
from . import (
    accounts,
    awards,
    competency,
    development,
    guide,
    org,
    payroll,
    pembinaan,
    public_feedback,
    public_service,
    rating,
    selection,
)


@dataclass
class DemoSummary:
    regency: org.SeedResult
    accounts: dict[str, str]  # username → role labels
    followup: dict[str, int]  # "plans", "proposals" → how many were made
    programmes: int
    payroll: dict[str, int]  # "rules", "predikat", "documents", "statuses" → how many were made
    public_service: public_service.PublicServiceDemo | None = None
    public_feedback: public_feedback.PublicFeedbackDemo | None = None


def demo(employees: int, today: date) -> DemoSummary:
    """The demo regency with one account per role, follow-up examples, the development catalogue and a payroll that
    runs by clicking (rules, predikat, BPKAD's document settings, TPP statuses)."""
    rating_rules.seed_rules()  # the rating rules' first versions (a database made by `flask db upgrade` has them)
    regency = org.build_regency(employees, today=today)
    made_accounts = accounts.create_demo_accounts(today)
    followup = seed_followup_demo(today)
    programmes = development.seed_development(today)
    made_payroll = payroll.seed_payroll_demo(today)
    guide.seed_announcement(today)
    services = public_service.seed_public_service(today)
    made_accounts.update(services.accounts)
    feedback = public_feedback.seed_public_feedback(today)
    competency.seed_competency(today)
    selection.seed_selection_demo(today)
    return DemoSummary(regency, made_accounts, followup, programmes, made_payroll, services, feedback)


def scale(employees: int, today: date) -> org.SeedResult:
    """A large regency for the benchmarks (its own random seed) with the demo accounts and a year of work
    (`seed.scale`: written in bulk, 100,000 employees in minutes)."""
    from . import scale as scale_data  # lazy: `flask seed demo` does not need it

    return scale_data.scale(employees, today)


def seed_followup_demo(today: date) -> dict[str, int]:
    """Follow-up examples on the demo accounts: one running pembinaan plan, one penghargaan proposal.

    Needs final ratings, so it adds last year's (closed) period and three final annual ratings when the
    demo has none; last year's annual predikat is what this year's follow-up acts on: a sibling of `pegawai` (Butuh Perbaikan, with a plan started two months ago and one
    coaching session), `pegawai` (Butuh Perbaikan, waiting in HR's queue for a plan) and `atasan`
    (Sangat Baik, proposed for a penghargaan by `kabid`). Existing ratings are kept as they are.
    """
    from ..org import appraisers  # lazy, as before: `flask` start-up does not import the service

    users = {
        u.username: u
        for u in db.session.scalars(
            select(User).where(User.username.in_(["pegawai", "atasan", "kabid", "kepegawaian"]))
        )
    }
    period = rating.closed_period(today.year - 1)
    atasan, pegawai, kabid = (users[n].employee for n in ("atasan", "pegawai", "kabid"))
    # A small demo (--employees) may leave `pegawai` without a colleague: then no running plan is shown.
    sibling = next((e for e in appraisers.direct_subordinates(atasan, today) if e.id != pegawai.id), None)
    low = (
        rating.final_annual_rating(period, sibling, atasan, Ekspektasi.DI_BAWAH, Ekspektasi.SESUAI, today)
        if sibling
        else None
    )
    rating.final_annual_rating(period, pegawai, atasan, Ekspektasi.DI_BAWAH, Ekspektasi.SESUAI, today)
    top = rating.final_annual_rating(period, atasan, kabid, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, today)
    made = {"plans": 0, "proposals": 0}
    if low is not None:
        made["plans"] = pembinaan.running_plan(sibling, low, atasan, users, today)
    made["proposals"] = awards.proposal(atasan, period, top, users["kabid"])
    db.session.flush()
    return made
