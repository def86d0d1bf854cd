"""The side menu marks exactly one item as the current page."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "path, current",
    [("/", "Beranda"), ("/organisasi/", "Struktur Organisasi"), ("/organisasi/kualitas-data", "Kualitas Data")],
)
def test_only_the_most_specific_menu_item_is_current(app, org_chart, path, current):
    body = app.test_client(user=org_chart.u_hr).get(path).get_data(as_text=True)
    marked = re.findall(r'aria-current="page">([^<]+)<', body)
    assert marked == [current]
