"""Small server-side SVG charts: the same markup goes into HTML pages and WeasyPrint PDFs.

No JavaScript and no fonts beyond the page's own; every label is escaped here, so templates can
print the returned `Markup` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    for tick in range(min_value, max_value + 1):
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
