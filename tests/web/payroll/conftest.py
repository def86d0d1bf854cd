"""Fixtures shared by the payroll web tests."""

from __future__ import annotations

import pytest

from kinerja_web.extensions import db
from kinerja_web.services.payroll import rules
from tests.web.payroll.test_payroll_flow import as_user


@pytest.fixture
def admin(app, org_chart):
    """The administrator's client, with the payroll rule tables loaded."""
    rules.seed_rules()
    db.session.commit()
    return as_user(app, org_chart.u_admin)
