"""Server-rendered SVG charts for the reports and the public pages (no JavaScript, no CDN).

Pure functions returning SVG text: every label is escaped, numbers are written the Vietnamese way
(`thidua.lib.numbers.format_number`), sizes come from the viewBox and the `.chart` class of the
stylesheet (no style attributes: the pages run under a Content-Security-Policy without inline
styles). Each chart names itself (`<title>`, `aria-labelledby`) and every page shows the same
numbers in a table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from thidua.lib.numbers import format_number

# Colour-blind-safe (Okabe–Ito, darkened for contrast on white), then greys.
PALETTE = ("#0b57d0", "#b3261e", "#137333", "#8a5a00", "#6a1b9a", "#00838f", "#c2185b", "#5f6368")
Number = int | float | Decimal
_ids = itertools.count(1)


def _fmt(value: Number, places: int) -> str:
    return format_number(value, places)


def _open(title: str, width: int, height: int) -> tuple[str, str]:
    ident = f"chart-{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{ident}"><title id="{ident}">{escape(title)}</title>'
    )
    return head, ident


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, Number]],
    *,
    title: str,
    places: int = 0,
    suffix: str = "",
    max_value: Number | None = None,
) -> str:
    """One horizontal bar per item, the value written after the bar."""
    if not items or not any(float(v) for _, v in items):
        return ""
    top = float(max_value if max_value is not None else max(float(v) for _, v in items)) or 1.0
    label_w, bar_w, row_h = 240, 280, 28
    height = row_h * len(items) + 8
    head, _ = _open(title, label_w + bar_w + 100, height)
    parts = [head]
    for index, (label, value) in enumerate(items):
        y = 4 + index * row_h
        width = max(0.0, float(value)) / top * bar_w
        text = _fmt(value, places) + suffix
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 19}" text-anchor="end" font-size="14">{escape(_clip(label, 30))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="{row_h - 9}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {text}</title></rect>"
            f'<text x="{label_w + width + 5:.1f}" y="{y + 19}" font-size="14">{text}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[Number]]], *, title: str, places: int = 0
) -> str:
    """Stacked columns, one per x label (years), a legend below."""
    if not x_labels or not series:
        return ""
    totals = [sum(float(values[i]) for _, values in series) for i in range(len(x_labels))]
    top = max(totals) or 0.0
    if not top:
        return ""
    left = max(60, 8 * len(_fmt(top, places)) + 14)  # room for the widest tick label
    top_pad, plot_w, plot_h = 18, 580 - left, 230
    step = plot_w / len(x_labels)
    bar = min(56.0, step * 0.6)
    legend_y = top_pad + plot_h + 46
    height = legend_y + 22 * ((len(series) + 1) // 2) + 6
    head, _ = _open(title, left + plot_w + 20, height)
    parts = [
        head,
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="#5f6368"/>',
    ]
    for tick in (0.0, top / 2, top):
        y = top_pad + plot_h - tick / top * plot_h
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13">{_fmt(tick, places)}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dadce0"/>'
        )
    for i, label in enumerate(x_labels):
        x = left + step * i + (step - bar) / 2
        base = float(top_pad + plot_h)
        for number, (name, values) in enumerate(series):
            value = float(values[i])
            if value <= 0:
                continue
            h = value / top * plot_h
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[number % len(PALETTE)]}">'
                f"<title>{escape(name)} — {escape(label)}: {_fmt(value, places)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" font-size="13">{_fmt(totals[i], places)}</text>'
            f'<text x="{x + bar / 2:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" font-size="13">{escape(label)}</text>'
        )
    parts.extend(_legend([name for name, _ in series], left, legend_y))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    title: str,
    places: int = 0,
    invert: bool = False,
    suffix: str = "",
) -> str:
    """One line per series over the x labels (gaps where a value is missing); `invert` puts the
    lowest value on top (a rank: 1 is best)."""
    values = [float(v) for _, points in series for v in points if v is not None]
    if not x_labels or not values:
        return ""
    low, high = min(values), max(values)
    if invert:
        low = min(low, 1.0)
    if high == low:
        low, high = low - 1, high + 1
    left = max(64, 8 * len(_fmt(max(abs(low), abs(high)), places) + suffix) + 14)
    top_pad, plot_w, plot_h = 14, 564 - left, 230
    step = plot_w / max(len(x_labels) - 1, 1)
    legend_y = top_pad + plot_h + 46
    height = legend_y + 22 * ((len(series) + 1) // 2) + 6
    head, _ = _open(title, left + plot_w + 40, height)

    def y_of(v: float) -> float:
        share = (v - low) / (high - low)
        return top_pad + (share if invert else 1 - share) * plot_h

    parts = [
        head,
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#5f6368"/>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="#5f6368"/>',
    ]
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{left - 6}" y="{y_of(tick) + 4:.1f}" text-anchor="end" font-size="13">{_fmt(tick, places)}{suffix}</text>'
        )
    for i, label in enumerate(x_labels):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" font-size="13">{escape(label)}</text>'
        )
    for number, (name, points) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        segments: list[list[str]] = [[]]
        for i, value in enumerate(points):
            if value is None:
                segments.append([])
                continue
            x, y = left + i * step, y_of(float(value))
            segments[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)} — {escape(x_labels[i])}: {_fmt(value, places)}{suffix}</title></circle>"
            )
        for segment in segments:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(segment)}"/>'
                )
    parts.extend(_legend([name for name, _ in series], left, legend_y))
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: Sequence[str], left: int, top: int) -> list[str]:
    out = []
    for number, name in enumerate(names):
        lx = 10 + (number % 2) * 290
        ly = top + (number // 2) * 22
        out.append(
            f'<rect x="{lx}" y="{ly - 11}" width="13" height="13" fill="{PALETTE[number % len(PALETTE)]}"/>'
            f'<text x="{lx + 18}" y="{ly}" font-size="14">{escape(_clip(name, 34))}</text>'
        )
    return out
