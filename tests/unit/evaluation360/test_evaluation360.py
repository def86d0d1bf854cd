"""Pure 360° aggregation: thresholds, "tidak dapat menilai", pooling into "lainnya", spread, gaps."""

from decimal import Decimal

from kinerja_web.domain import evaluation360 as f
from kinerja_web.domain.evaluation360 import Sheet, aggregate, mean_and_spread, shuffled, trend

CODES = ("akuntabel", "kompeten")
TH = {"rekan": 3, "bawahan": 3}


def sheets(group, *scores, comment=""):
    return [Sheet(group, {"akuntabel": s, "kompeten": s}, {"akuntabel": comment} if comment else {}) for s in scores]


def test_two_peers_are_not_shown_as_peers():
    report = aggregate(sheets("rekan", 4, 5), CODES, TH, seed=1)
    assert "rekan" not in [b.key for b in report.buckets]
    assert report.hidden_groups == ("rekan",)


def test_three_peers_are_shown_with_their_average():
    report = aggregate(sheets("rekan", 4, 5, 3), CODES, TH, seed=1)
    assert [b.key for b in report.buckets] == ["rekan"]
    assert report.value("akuntabel").cells["rekan"].mean == Decimal("4.00")


def test_cannot_rate_is_excluded_from_the_average():
    s = sheets("rekan", 4, 2, 3, 5)
    s.append(Sheet("rekan", {"akuntabel": None, "kompeten": 1}))
    cell = aggregate(s, CODES, TH, seed=1).value("akuntabel").cells["rekan"]
    assert cell.answered == 4
    assert cell.mean == Decimal("3.50")


def test_a_value_with_fewer_scored_answers_than_the_threshold_shows_no_figure():
    s = sheets("rekan", 4, 5) + [Sheet("rekan", {"akuntabel": None, "kompeten": 3})]
    result = aggregate(s, CODES, TH, seed=1)
    assert result.value("akuntabel").cells["rekan"].mean is None
    assert result.value("kompeten").cells["rekan"].mean == Decimal("4.00")


def test_small_groups_are_merged_into_lainnya_when_the_pool_reaches_the_threshold():
    report = aggregate(sheets("rekan", 4, 5) + sheets("bawahan", 2, 3), CODES, TH, seed=1)
    assert [b.key for b in report.buckets] == ["lainnya"]
    assert report.buckets[0].raters == 4
    assert report.merged_groups == ("rekan", "bawahan")
    assert report.value("kompeten").cells["lainnya"].mean == Decimal("3.50")


def test_a_pool_below_the_threshold_is_hidden():
    report = aggregate(sheets("atasan", 4) + sheets("rekan", 5) + sheets("bawahan", 1), CODES, TH, seed=1)
    assert [b.key for b in report.buckets] == ["atasan"]
    assert report.hidden_groups == ("rekan", "bawahan")


def test_others_average_never_includes_a_hidden_group():
    report = aggregate(sheets("atasan", 4) + sheets("bawahan", 1, 1), CODES, TH, seed=1)
    assert report.value("akuntabel").others.mean == Decimal("4.00")
    assert report.value("akuntabel").others.answered == 1


def test_others_average_skips_a_value_cell_suppressed_by_cannot_rate():
    s = sheets("atasan", 5) + sheets("rekan", 1, 1) + [Sheet("rekan", {"akuntabel": None, "kompeten": 1})]
    assert aggregate(s, CODES, TH, seed=1).value("akuntabel").others.mean == Decimal("5.00")


def test_atasan_alone_is_shown_because_it_is_not_an_anonymous_group():
    report = aggregate(sheets("atasan", 3), CODES, TH, seed=1)
    assert report.value("akuntabel").cells["atasan"].mean == Decimal("3.00")


def test_higher_threshold_for_a_group_is_respected():
    report = aggregate(sheets("rekan", 4, 4, 4), CODES, {"rekan": 4, "bawahan": 3}, seed=1)
    assert report.buckets == ()


def test_spread_is_the_population_standard_deviation_in_decimal():
    mean, spread = mean_and_spread([2, 4, 4, 4, 5, 5, 7, 9])
    assert (mean, spread) == (Decimal("5.00"), Decimal("2.00"))
    assert isinstance(spread, Decimal)


def test_spread_of_identical_scores_is_zero():
    assert mean_and_spread([4, 4, 4]) == (Decimal("4.00"), Decimal("0.00"))


def test_self_high_and_others_low_is_a_blind_spot():
    report = aggregate(sheets("diri", 5) + sheets("rekan", 3, 3, 4), CODES, TH, seed=1)
    v = report.value("akuntabel")
    assert v.gap == Decimal("1.67") and v.blind_spot and not v.hidden_strength
    assert [x.code for x in report.blind_spots] == list(CODES)


def test_self_low_and_others_high_is_a_hidden_strength():
    report = aggregate(sheets("diri", 2) + sheets("rekan", 4, 4, 3), CODES, TH, seed=1)
    assert report.value("kompeten").hidden_strength


def test_small_gap_is_neither_blind_spot_nor_hidden_strength():
    v = aggregate(sheets("diri", 4) + sheets("rekan", 4, 4, 3), CODES, TH, seed=1).value("akuntabel")
    assert not v.blind_spot and not v.hidden_strength


def test_self_answers_never_count_as_others():
    report = aggregate(sheets("diri", 5) + sheets("atasan", 3), CODES, TH, seed=1)
    assert report.value("akuntabel").others.mean == Decimal("3.00")
    assert report.rater_count == 1


def test_comments_of_a_hidden_group_are_not_shown():
    report = aggregate(sheets("rekan", 4, 5, comment="rahasia"), CODES, TH, seed=1)
    assert report.value("akuntabel").comments == ()


def test_comment_order_does_not_depend_on_submission_order():
    a = sheets("rekan", 4, comment="alfa") + sheets("rekan", 4, comment="beta") + sheets("rekan", 4, comment="gama")
    first = aggregate(a, CODES, TH, seed=7).value("akuntabel").comments
    second = aggregate(list(reversed(a)), CODES, TH, seed=7).value("akuntabel").comments
    assert first == second and sorted(first) == ["alfa", "beta", "gama"]


def test_shuffle_is_deterministic_for_a_seed_and_drops_blanks():
    texts = ["c", "a", " ", "b", "d", "e"]
    assert shuffled(texts, 3) == shuffled(list(reversed(texts)), 3)
    assert sorted(shuffled(texts, 3)) == ["a", "b", "c", "d", "e"]


def test_trend_is_the_change_of_the_others_average():
    before = aggregate(sheets("atasan", 3), CODES, TH, seed=1)
    now = aggregate(sheets("atasan", 4), CODES, TH, seed=1)
    assert trend(now, before) == {"akuntabel": Decimal("1.00"), "kompeten": Decimal("1.00")}
    assert trend(now, None) == {"akuntabel": None, "kompeten": None}


def test_bucket_labels_are_indonesian():
    assert f.BUCKET_LABELS["lainnya"].startswith("Lainnya")


def _tallies(sheets: list[Sheet]) -> tuple[dict[str, int], dict[tuple[str, str], tuple[int, int]]]:
    """What the SQL sums give `others_means`: sheets per group, (answers, sum) per group and value."""
    sizes: dict[str, int] = {}
    tallies: dict[tuple[str, str], tuple[int, int]] = {}
    for s in sheets:
        sizes[s.group] = sizes.get(s.group, 0) + 1
        for code, score in s.scores.items():
            n, total = tallies.get((s.group, code), (0, 0))
            tallies[(s.group, code)] = (n + (score is not None), total + (score or 0))
    return sizes, tallies


def test_others_means_from_sums_are_the_reports_others_means():
    """Random panels (small groups, merged and hidden pools, "tidak dapat menilai", thresholds 1–5): the
    means from sums are exactly the Decimal means `aggregate` shows, and None exactly where it shows none."""
    import random

    rng = random.Random(23)
    codes = ["a", "b", "c", "d"]
    hidden = 0
    for _ in range(2000):
        sheets = [
            Sheet(
                rng.choice(["atasan", "rekan", "rekan", "bawahan", "bawahan", "diri"]),
                {c: rng.choice([None, 1, 2, 3, 4, 5]) for c in codes if rng.random() < 0.9},
            )
            for _ in range(rng.randint(0, 9))
        ]
        thresholds = {"rekan": rng.randint(1, 5), "bawahan": rng.randint(1, 5)}
        report = aggregate(sheets, codes, thresholds, seed=1)
        expected = {v.code: v.others.mean for v in report.values}
        hidden += sum(m is None for m in expected.values())
        assert f.others_means(*_tallies(sheets), codes, thresholds) == expected
    assert hidden  # the anonymity thresholds did hide figures in some panels
