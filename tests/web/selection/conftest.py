"""Fixtures of the selection tests."""

from .fixtures import sel_world  # noqa: F401
