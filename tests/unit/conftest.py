"""Fixtures for the pure domain tests (no app)."""

import pytest

from kinerja_web.domain.payroll import default_rules


@pytest.fixture(scope="session")
def rules():
    """The shipped rule set (parsed once; it is immutable)."""
    return default_rules()
