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


def test_heat_map_prints_count_and_row_share_in_each_cell():
    from kinerja_web.charts import heat_map

    svg = str(heat_map(["Dinas A"], ["Baik", "Kurang"], [[3, 1]], title="Sebaran"))
    assert ">3 (75%)</text>" in svg and ">1 (25%)</text>" in svg


def test_heat_map_row_without_ratings_shows_zero_percent_not_an_error():
    from kinerja_web.charts import heat_map

    assert ">0 (0%)</text>" in str(heat_map(["Dinas Kosong"], ["Baik"], [[0]], title="Sebaran"))


def test_heat_map_escapes_labels_and_shortens_long_ones_keeping_the_full_name_as_title():
    from kinerja_web.charts import heat_map

    long = "Badan <Kepegawaian> dan Pengembangan Sumber Daya Manusia"
    svg = str(heat_map([long], ["Baik"], [[1]], title="Sebaran"))
    assert "<Kepegawaian>" not in svg and "<title>Badan &lt;Kepegawaian&gt; dan Pengembangan" in svg and "…" in svg


def test_progress_bars_show_done_of_expected():
    from kinerja_web.charts import progress_bars

    assert ">66/100 (66%)</text>" in str(progress_bars(["Dinas A"], [66], [100], title="Kemajuan"))


def test_waterfall_floats_each_change_from_the_running_total_and_draws_totals_from_zero():
    import re

    from kinerja_web.charts import Step, waterfall

    steps = [Step("Gaji <pokok>", 100), Step("Tunjangan", 50), Step("Jumlah", 150, total=True), Step("PPh", -30)]
    svg = str(waterfall(steps + [Step("Bersih", 120, total=True)], title="Uji", width=400, label_width=100))
    assert "Gaji &lt;pokok&gt;" in svg and "<pokok>" not in svg
    bars = [(float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)]
    plot = 400 - 100 - 100  # label column and value text excluded
    scale = plot / 150
    expected = [(0, 100), (100, 150), (0, 150), (120, 150), (0, 120)]  # (from, to) of each bar
    for (x, w), (lo, hi) in zip(bars, expected, strict=True):
        assert abs(x - (100 + lo * scale)) < 0.1 and abs(w - (hi - lo) * scale) < 0.1
    assert ">+100</text>" in svg and ">-30</text>" in svg and ">120</text>" in svg
