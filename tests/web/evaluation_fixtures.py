"""Fixtures for the locking/documents and keberatan tests (import with `from .evaluation_fixtures import *`)."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.domain.predikat import Ekspektasi, PredikatOrganisasi
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import ANNUAL, Role
from kinerja_web.services.rating import documents, locking, organisation
from kinerja_web.services.rating import ratings as rating_services

from .skp_fixtures import *  # noqa: F403
from .skp_fixtures import make_skp

GIVEN_ON = date(2027, 1, 4)  # the day the period is locked and the result given


def rate_final(employee, period, appraiser_user, hasil=Ekspektasi.SESUAI, perilaku=Ekspektasi.SESUAI):
    rating = rating_services.save_rating(
        employee, period, ANNUAL, hasil, perilaku, "Catatan uji", appraiser_user, date(2026, 12, 20)
    )
    rating_services.finalise(rating, appraiser_user)
    db.session.commit()
    return rating


@pytest.fixture
def rated(org_chart, period, make_user):
    """staff1 has an approved SKP and a final rating (Baik) by the kasi; the OPD's organisation predikat is set."""
    ns = org_chart
    ns.period = period
    ns.u_kabid = make_user("kabid1", {Role.PEGAWAI}, ns.kabid)
    ns.skp = make_skp(ns.staff1, period, status=SkpStatus.APPROVED, appraiser=ns.kasi)
    ns.rating = rate_final(ns.staff1, period, ns.u_kasi)
    organisation.set_unit_predikat(ns.opd, period, ANNUAL, PredikatOrganisasi.BAIK, ns.u_hr)
    db.session.commit()
    return ns


@pytest.fixture
def locked(app, rated):
    """The annual window locked on GIVEN_ON: the evaluation and penetapan documents are issued."""
    with app.test_request_context():
        locking.lock(rated.period, ANNUAL, rated.u_hr, GIVEN_ON, "http://kinerja.test")
    db.session.refresh(rated.rating)
    rated.doc = documents.valid_evaluation_document(rated.rating)
    return rated
