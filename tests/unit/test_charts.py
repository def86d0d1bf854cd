"""The SVG builder escapes labels and skips values that must not be drawn."""

from decimal import Decimal

from kinerja_web.charts import Series, grouped_bars


def test_chart_is_svg_with_escaped_labels_and_decimal_comma():
    svg = grouped_bars(["<b>Akuntabel</b>"], [Series("Rekan & atasan", [Decimal("3.67")])], title="Uji")
    assert svg.startswith("<svg") and "&lt;b&gt;Akuntabel" in svg and "<b>" not in svg
    assert "Rekan &amp; atasan" in svg and "3,67" in svg


def test_missing_values_draw_no_bar():
    svg = grouped_bars(["A", "B"], [Series("Rekan", [None, 4])], title="Uji")
    assert svg.count("<rect") == 2  # one bar plus the legend swatch
