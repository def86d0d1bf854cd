"""Small server-side SVG charts: the same markup goes into HTML pages and WeasyPrint PDFs.

No JavaScript and no fonts beyond the page's own; every label is escaped here, so templates can
print the returned `Markup` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

PALETTE = ("#0b4f6c", "#20a39e", "#f4a259", "#8e7dbe", "#bc4b51")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | int | None]  # one per category; None draws nothing ("tidak ditampilkan")
    color: str | None = None


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    min_value: int = 0,
    max_value: int = 5,
    width: int = 680,
    bar_height: int = 9,
    label_width: int = 170,
    tick_step: int = 1,
) -> Markup:
    """Horizontal grouped bar chart (one group of bars per category), with a legend and value labels."""
    gap = 8
    group_h = max(1, len(series)) * bar_height + gap
    top, legend_h = 24, 22
    plot_w = width - label_width - 50
    height = top + len(categories) * group_h + 22 + legend_h
    span = max_value - min_value

    def x(v: Decimal | int) -> float:
        return label_width + plot_w * float(Decimal(v) - min_value) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(min_value, max_value + 1, max(1, tick_step)):
        tx = _num(x(tick))
        y2 = top + len(categories) * group_h
        parts.append(f'<line x1="{tx}" y1="{top - 4}" x2="{tx}" y2="{y2}" stroke="#ddd"/>')
        parts.append(f'<text x="{tx}" y="{y2 + 14}" text-anchor="middle" fill="#555">{tick}</text>')
    for i, cat in enumerate(categories):
        gy = top + i * group_h
        parts.append(
            f'<text x="{label_width - 6}" y="{_num(gy + group_h / 2)}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#222">{escape(cat)}</text>'
        )
        for j, s in enumerate(series):
            v = s.values[i] if i < len(s.values) else None
            if v is None:
                continue
            color = s.color or PALETTE[j % len(PALETTE)]
            y = gy + j * bar_height
            w = max(0.0, x(v) - label_width)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{_num(w)}" height="{bar_height - 1}" fill="{color}">'
                f"<title>{escape(s.label)}: {escape(_fmt(v))}</title></rect>"
            )
            parts.append(
                f'<text x="{_num(label_width + w + 3)}" y="{y + bar_height - 2}" fill="#333" font-size="9">'
                f"{escape(_fmt(v))}</text>"
            )
    ly = height - legend_h + 12
    lx = label_width
    for j, s in enumerate(series):
        color = s.color or PALETTE[j % len(PALETTE)]
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly}" fill="#222">{escape(s.label)}</text>')
        lx += 24 + 7 * len(s.label)
    parts.append("</svg>")
    return Markup("".join(parts))


def _fmt(v: Decimal | int) -> str:
    """Indonesian decimal comma: 3,67."""
    return str(v).replace(".", ",")


def _shade(share: Decimal) -> tuple[str, str]:
    """Fill and text colour for a share 0–1: white → the house blue, text white on dark cells."""
    s = max(Decimal(0), min(Decimal(1), Decimal(share)))
    lo, hi = (255, 255, 255), (11, 79, 108)
    rgb = [round(a + (b - a) * float(s)) for a, b in zip(lo, hi, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("#ffffff" if s >= Decimal("0.5") else "#1f2933")


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    title: str,
    label_width: int = 270,
    cell_width: int = 112,
    cell_height: int = 30,
    max_label: int = 36,
) -> Markup:
    """Counts per (row, column) with the share of the row total in each cell, shaded by that share.

    Each cell prints "n (x%)" so the table reads without colour (and in black-and-white print).
    """
    top, legend_h = 46, 30
    width = label_width + cell_width * len(columns) + 10
    height = top + cell_height * len(rows) + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for j, col in enumerate(columns):
        cx = _num(label_width + j * cell_width + cell_width / 2)
        words = col.replace("/", "/ ").split(" ", 1) if len(col) > 14 else [col]  # two lines for long headers
        lines = "".join(
            f'<tspan x="{cx}" dy="{0 if k == 0 else 13}">{escape(w.strip())}</tspan>' for k, w in enumerate(words)
        )
        first_y = top - 8 - 13 * (len(words) - 1)
        parts.append(f'<text x="{cx}" y="{first_y}" text-anchor="middle" fill="#222" font-weight="bold">{lines}</text>')
    for i, (label, row) in enumerate(zip(rows, counts, strict=True)):
        y = top + i * cell_height
        total = sum(row)
        short = label if len(label) <= max_label else label[: max_label - 1].rstrip() + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{_num(y + cell_height / 2)}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#222"><title>{escape(label)}</title>{escape(short)}</text>'
        )
        for j, n in enumerate(row):
            share = Decimal(n) / total if total else Decimal(0)
            fill, ink = _shade(share)
            x = label_width + j * cell_width
            pct = _fmt((share * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_width - 2}" height="{cell_height - 2}" fill="{fill}" '
                f'stroke="#c9d3db"><title>{escape(label)}, {escape(columns[j])}: {n} ({pct}%)</title></rect>'
            )
            parts.append(
                f'<text x="{_num(x + cell_width / 2)}" y="{_num(y + cell_height / 2)}" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{ink}">{n} ({pct}%)</text>'
            )
    ly = height - legend_h + 12
    for k in range(6):
        fill, _ = _shade(Decimal(k) / 5)
        parts.append(
            f'<rect x="{label_width + k * 30}" y="{ly}" width="28" height="10" fill="{fill}" stroke="#c9d3db"/>'
        )
    parts.append(
        f'<text x="{label_width - 6}" y="{ly + 9}" text-anchor="end" fill="#555">porsi dalam baris 0%</text>'
        f'<text x="{label_width + 6 * 30 + 4}" y="{ly + 9}" fill="#555">100%</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def progress_bars(
    labels: Sequence[str], done: Sequence[int], expected: Sequence[int], *, title: str, width: int = 680
) -> Markup:
    """One horizontal bar per label: the finished part of `expected`, with "done/expected (x%)" beside it."""
    label_width, bar_h, gap, top = 230, 14, 8, 10
    plot_w = width - label_width - 120
    height = top + len(labels) * (bar_h + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, d, e) in enumerate(zip(labels, done, expected, strict=True)):
        y = top + i * (bar_h + gap)
        share = Decimal(d) / e if e else Decimal(0)
        w = plot_w * float(share)
        pct = _fmt((share * 100).quantize(Decimal("1")))
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_h - 3}" text-anchor="end" fill="#222">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#e4ecf1"/>'
            f'<rect x="{label_width}" y="{y}" width="{_num(w)}" height="{bar_h}" fill="{PALETTE[1]}"/>'
            f'<text x="{label_width + plot_w + 6}" y="{y + bar_h - 3}" fill="#333">{d}/{e} ({pct}%)</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def value_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    fmt=None,
    width: int = 680,
    bar_height: int = 11,
    label_width: int = 250,
) -> Markup:
    """Horizontal grouped bars scaled to the largest value (money, counts), zero line at the left; negative
    values are drawn as zero-width with their label. `fmt` turns a value into its label (default: `_fmt`)."""
    fmt = fmt or _fmt
    gap = 8
    group_h = max(1, len(series)) * bar_height + gap
    top, legend_h = 10, 22
    plot_w = width - label_width - 110
    height = top + len(categories) * group_h + legend_h + 6
    values = [v for s in series for v in s.values if v is not None]
    peak = max([Decimal(v) for v in values if v > 0], default=Decimal(1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{top + len(categories) * group_h}" '
        f'stroke="#999"/>',
    ]
    fits = max(8, int((label_width - 10) / 6.8))  # ~6.8 px per character at 11 px
    for i, cat in enumerate(categories):
        gy = top + i * group_h
        short = cat if len(cat) <= fits else cat[: fits - 1].rstrip() + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{_num(gy + group_h / 2)}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#222"><title>{escape(cat)}</title>{escape(short)}</text>'
        )
        for j, s in enumerate(series):
            v = s.values[i] if i < len(s.values) else None
            if v is None:
                continue
            color = s.color or PALETTE[j % len(PALETTE)]
            y = gy + j * bar_height
            w = max(0.0, plot_w * float(Decimal(v) / peak))
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{_num(w)}" height="{bar_height - 1}" fill="{color}">'
                f"<title>{escape(s.label)}: {escape(fmt(v))}</title></rect>"
            )
            parts.append(
                f'<text x="{_num(label_width + w + 3)}" y="{y + bar_height - 2}" fill="#333" font-size="9">'
                f"{escape(fmt(v))}</text>"
            )
    ly = height - legend_h + 12
    lx = label_width
    for j, s in enumerate(series):
        color = s.color or PALETTE[j % len(PALETTE)]
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly}" fill="#222">{escape(s.label)}</text>')
        lx += 24 + 7 * len(s.label)
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Step:
    """One bar of a waterfall: a signed change (penghasilan +, potongan −), or a total drawn from zero."""

    label: str
    amount: int
    total: bool = False


def waterfall(steps: Sequence[Step], *, title: str, fmt=None, width: int = 680, label_width: int = 200) -> Markup:
    """Horizontal waterfall, one row per step: each change floats from the running total before it to the
    running total after it (green up, red down); a total row is drawn from zero. Reads top to bottom, so it
    stays legible at phone width; the value is printed beside every bar."""
    fmt = fmt or _fmt
    bar_h, gap, top = 16, 6, 6
    plot_w = width - label_width - 100
    running, spans = 0, []
    for s in steps:
        if s.total:
            spans.append((0, s.amount))
            running = s.amount
        else:
            spans.append((running, running + s.amount))
            running += s.amount
    lo = min([0, *(min(a, b) for a, b in spans)])
    hi = max([1, *(max(a, b) for a, b in spans)])
    height = top + len(steps) * (bar_h + gap) + 4

    def x(v: int) -> float:
        return label_width + plot_w * (v - lo) / (hi - lo)

    fits = max(8, int((label_width - 10) / 6.8))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart waterfall" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{_num(x(0))}" y1="0" x2="{_num(x(0))}" y2="{height}" stroke="#999"/>',
    ]
    for i, (s, (a, b)) in enumerate(zip(steps, spans, strict=True)):
        y = top + i * (bar_h + gap)
        color = PALETTE[0] if s.total else ("#2e7d32" if s.amount >= 0 else "#bc4b51")
        left, right = x(min(a, b)), x(max(a, b))
        value = fmt(s.amount) if s.total or s.amount < 0 else "+" + fmt(s.amount)
        short = s.label if len(s.label) <= fits else s.label[: fits - 1].rstrip() + "…"
        weight = ' font-weight="bold"' if s.total else ""
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_h - 4}" text-anchor="end" fill="#222"{weight}>'
            f"<title>{escape(s.label)}</title>{escape(short)}</text>"
            f'<rect x="{_num(left)}" y="{y}" width="{_num(max(1.0, right - left))}" height="{bar_h}" fill="{color}">'
            f"<title>{escape(s.label)}: {escape(value)}</title></rect>"
            f'<text x="{_num(right + 4)}" y="{y + bar_h - 4}" fill="#333"{weight}>{escape(value)}</text>'
        )
        if i + 1 < len(steps) and not steps[i + 1].total:  # connector to the next bar's start
            parts.append(
                f'<line x1="{_num(x(b))}" y1="{y + bar_h}" x2="{_num(x(b))}" y2="{y + bar_h + gap}" '
                'stroke="#777" stroke-dasharray="2,2"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
