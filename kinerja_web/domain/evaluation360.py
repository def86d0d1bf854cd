"""Aggregating 360° answers so that nobody can tell which rater said what.

Pure: the input is a list of `Sheet`s (one per rater who submitted) that carry the rater's group and
answers but no identity, so nothing downstream can leak a name. Rules (issue #5, domain README §2.7):

- Anonymous groups (rekan, bawahan) are shown only with at least `threshold` raters (default 3). Smaller
  groups are pooled into "lainnya"; if the pool is still below the (largest) threshold it is hidden.
- The same threshold applies per value: a shown group whose scored answers for one value are fewer than
  the threshold (because of "tidak dapat menilai") shows no figure for that value.
- "Semua penilai lain" (others) only combines cells that are themselves shown, so a hidden group can never
  be recovered by subtracting shown averages from a combined one.
- The atasan and the employee (diri sendiri) are not anonymous groups and are shown as they are.
- Comments are shown without names, ordered by text and then shuffled with a seed chosen by the caller
  from the cycle and evaluatee (never from rater ids or submission order).

The result is an *input* for the pejabat penilai's rating perilaku, not the rating itself
(PermenPANRB 6/2022; domain README §2.7): nothing here maps scores to Ekspektasi.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ATASAN, REKAN, BAWAHAN, DIRI, LAINNYA = "atasan", "rekan", "bawahan", "diri", "lainnya"
ANONYMOUS = (REKAN, BAWAHAN)
BUCKET_ORDER = (ATASAN, REKAN, BAWAHAN, LAINNYA)
BUCKET_LABELS = {
    ATASAN: "Atasan",
    REKAN: "Rekan kerja",
    BAWAHAN: "Bawahan",
    LAINNYA: "Lainnya (gabungan)",
    DIRI: "Diri sendiri",
}
DEFAULT_THRESHOLD = 3
# A self score at least one scale point above (below) what others see is a blind spot (hidden strength).
GAP_THRESHOLD = Decimal("1.00")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Sheet:
    """One submitted form: group, score per value (None = tidak dapat menilai), comments. No rater id."""

    group: str
    scores: Mapping[str, int | None]
    comments: Mapping[str, str] = field(default_factory=dict)
    overall_comment: str = ""


@dataclass(frozen=True)
class Cell:
    """Aggregate of one value in one bucket; `mean`/`spread` are None when too few answers to show."""

    answered: int  # raters whose answer counts (scores only; "tidak dapat menilai" excluded)
    mean: Decimal | None
    spread: Decimal | None  # population standard deviation

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    raters: int


@dataclass(frozen=True)
class ValueResult:
    code: str
    cells: Mapping[str, Cell]  # bucket key → cell, for shown buckets
    self_score: int | None
    others: Cell
    gap: Decimal | None  # self − others
    comments: tuple[str, ...]
    self_comment: str

    @property
    def blind_spot(self) -> bool:
        return self.gap is not None and self.gap >= GAP_THRESHOLD

    @property
    def hidden_strength(self) -> bool:
        return self.gap is not None and -self.gap >= GAP_THRESHOLD


@dataclass(frozen=True)
class Report:
    buckets: tuple[Bucket, ...]
    values: tuple[ValueResult, ...]
    hidden_groups: tuple[str, ...]  # group keys whose answers are not shown at all
    merged_groups: tuple[str, ...]  # group keys shown only inside "lainnya"
    has_self: bool
    overall_comments: tuple[str, ...]
    self_overall_comment: str

    @property
    def blind_spots(self) -> tuple[ValueResult, ...]:
        return tuple(v for v in self.values if v.blind_spot)

    @property
    def hidden_strengths(self) -> tuple[ValueResult, ...]:
        return tuple(v for v in self.values if v.hidden_strength)

    @property
    def rater_count(self) -> int:
        return sum(b.raters for b in self.buckets)

    def value(self, code: str) -> ValueResult:
        return next(v for v in self.values if v.code == code)


def mean_and_spread(scores: Sequence[int]) -> tuple[Decimal, Decimal]:
    """Arithmetic mean and population standard deviation, in Decimal rounded half-up to 0.01."""
    n = Decimal(len(scores))
    mean = sum((Decimal(s) for s in scores), Decimal(0)) / n
    variance = sum(((Decimal(s) - mean) ** 2 for s in scores), Decimal(0)) / n
    return mean.quantize(TWO_PLACES, ROUND_HALF_UP), variance.sqrt().quantize(TWO_PLACES, ROUND_HALF_UP)


def _cell(scores: list[int], min_answers: int) -> Cell:
    if not scores or len(scores) < min_answers:
        return Cell(len(scores), None, None)
    mean, spread = mean_and_spread(scores)
    return Cell(len(scores), mean, spread)


def shuffled(texts: Iterable[str], seed: int) -> tuple[str, ...]:
    """Blank-free texts sorted (so input order carries no information), then shuffled by `seed`."""
    items = sorted(t.strip() for t in texts if t and t.strip())
    random.Random(seed).shuffle(items)
    return tuple(items)


def _bucket_groups(
    sizes: Mapping[str, int], thresholds: Mapping[str, int]
) -> tuple[dict[str, tuple[str, ...]], dict[str, int], list[str], list[str]]:
    """Which rater groups each shown bucket holds, from the number of sheets per group; returns (bucket →
    groups, bucket thresholds, merged groups, hidden groups)."""
    shown: dict[str, tuple[str, ...]] = {}
    limits: dict[str, int] = {}
    pooled: list[str] = []
    for key in (ATASAN, REKAN, BAWAHAN):
        size = sizes.get(key, 0)
        if not size:
            continue
        if key in ANONYMOUS:
            limit = thresholds.get(key, DEFAULT_THRESHOLD)
            if size < limit:
                pooled.append(key)
                continue
            limits[key] = limit
        else:
            limits[key] = 1
        shown[key] = (key,)
    if pooled:
        limit = max(thresholds.get(k, DEFAULT_THRESHOLD) for k in pooled)
        if sum(sizes[k] for k in pooled) >= limit:
            shown[LAINNYA], limits[LAINNYA] = tuple(pooled), limit
            return shown, limits, pooled, []
        return shown, limits, [], pooled
    return shown, limits, [], []


def _buckets(
    sheets: Sequence[Sheet], thresholds: Mapping[str, int]
) -> tuple[dict[str, list[Sheet]], dict[str, int], list[str], list[str]]:
    """Split sheets into shown buckets; returns (buckets, bucket thresholds, merged groups, hidden groups)."""
    by_group: dict[str, list[Sheet]] = {}
    for s in sheets:
        by_group.setdefault(s.group, []).append(s)
    groups, limits, merged, hidden = _bucket_groups({k: len(v) for k, v in by_group.items()}, thresholds)
    shown = {bucket: [s for g in members for s in by_group[g]] for bucket, members in groups.items()}
    return shown, limits, merged, hidden


def others_means(
    sizes: Mapping[str, int],
    tallies: Mapping[tuple[str, str], tuple[int, int]],
    value_codes: Sequence[str],
    thresholds: Mapping[str, int],
) -> dict[str, Decimal | None]:
    """The "semua penilai lain" mean per value of `aggregate`, from sums instead of sheets: the same buckets,
    thresholds and rounding, so the same figure (None where `aggregate` shows none).

    :param sizes: submitted sheets per rater group.
    :param tallies: (group, value code) → (scored answers, sum of the scores); "tidak dapat menilai" not counted.
    """
    groups, limits, _, _ = _bucket_groups(sizes, thresholds)
    out: dict[str, Decimal | None] = {}
    for code in value_codes:
        answered = total = 0
        for bucket, members in groups.items():
            counts = [tallies.get((g, code), (0, 0)) for g in members]
            n = sum(c[0] for c in counts)
            if n and n >= limits[bucket]:  # the cell is shown (`_cell`)
                answered += n
                total += sum(c[1] for c in counts)
        # the mean of `mean_and_spread`: a sum of integer Decimals is exact, so Decimal(total) is that sum
        out[code] = (Decimal(total) / Decimal(answered)).quantize(TWO_PLACES, ROUND_HALF_UP) if answered else None
    return out


def aggregate(sheets: Sequence[Sheet], value_codes: Sequence[str], thresholds: Mapping[str, int], seed: int) -> Report:
    """Per value and per shown bucket: mean and spread; self vs others gap; anonymous comments.

    :param thresholds: anonymity threshold per anonymous group (rekan, bawahan), default 3.
    :param seed: comment-order seed; derive it from the cycle and evaluatee, never from raters.
    """
    selves = [s for s in sheets if s.group == DIRI]
    self_sheet = selves[0] if selves else None
    shown, limits, merged, hidden = _buckets([s for s in sheets if s.group != DIRI], thresholds)
    buckets = tuple(Bucket(k, BUCKET_LABELS[k], len(shown[k])) for k in BUCKET_ORDER if k in shown)
    results = []
    for i, code in enumerate(value_codes):
        cells: dict[str, Cell] = {}
        others: list[int] = []
        comments: list[str] = []
        for b in buckets:
            scores = [s.scores[code] for s in shown[b.key] if s.scores.get(code) is not None]
            cell = _cell(scores, limits[b.key])
            cells[b.key] = cell
            if cell.shown:
                others.extend(scores)
                comments.extend(s.comments.get(code, "") for s in shown[b.key])
        others_cell = _cell(others, 1)
        self_score = self_sheet.scores.get(code) if self_sheet else None
        gap = None
        if self_score is not None and others_cell.shown:
            gap = (Decimal(self_score) - others_cell.mean).quantize(TWO_PLACES, ROUND_HALF_UP)
        results.append(
            ValueResult(
                code=code,
                cells=cells,
                self_score=self_score,
                others=others_cell,
                gap=gap,
                comments=shuffled(comments, seed * 31 + i),
                self_comment=(self_sheet.comments.get(code, "") if self_sheet else "").strip(),
            )
        )
    overall = [s.overall_comment for b in buckets for s in shown[b.key]]
    return Report(
        buckets=buckets,
        values=tuple(results),
        hidden_groups=tuple(hidden),
        merged_groups=tuple(merged),
        has_self=self_sheet is not None,
        overall_comments=shuffled(overall, seed * 31 + len(value_codes)),
        self_overall_comment=(self_sheet.overall_comment if self_sheet else "").strip(),
    )


def trend(current: Report, previous: Report | None) -> dict[str, Decimal | None]:
    """Change of the others' mean per value against the previous cycle (None where either is not shown)."""
    out: dict[str, Decimal | None] = {}
    for v in current.values:
        before = None
        if previous is not None:
            prev = next((p for p in previous.values if p.code == v.code), None)
            before = prev.others.mean if prev else None
        out[v.code] = (v.others.mean - before) if (v.others.mean is not None and before is not None) else None
    return out
