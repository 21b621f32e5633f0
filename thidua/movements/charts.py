"""Server-rendered SVG charts (no JS library): a horizontal bar chart and a line chart.

Pure functions returning SVG text; every label is escaped. Colours follow app.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from thidua.lib.numbers import format_number

PALETTE = ("#b3261e", "#0b57d0", "#137333", "#8a5a00", "#6a1b9a", "#00838f", "#5f6368", "#c2185b")


def _num(value: Decimal | float) -> str:
    """Vietnamese decimal comma, two decimals (points are rounded to 2 decimals everywhere)."""
    return format_number(value, 2)


def bar_chart(
    items: Sequence[tuple[str, Decimal | float]], *, max_value: Decimal | float | None = None
) -> str:
    """Scores by unit: one horizontal bar per item, value printed at the end of the bar."""
    if not items:
        return ""
    top = float(max_value or max(float(v) for _, v in items) or 1)
    label_w, bar_w, row_h = 260, 420, 26
    height = row_h * len(items) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {label_w + bar_w + 70} {height}" '
        f'aria-label="Biểu đồ điểm theo đơn vị">'
    ]
    for index, (label, value) in enumerate(items):
        y = 5 + index * row_h
        width = max(0.0, float(value)) / top * bar_w if top else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" fill="{PALETTE[0 if index else 1]}">'
            f"<title>{escape(label)}: {_num(value)}</title></rect>"
            f'<text x="{label_w + width + 6:.1f}" y="{y + 17}" font-size="12">{_num(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | float | None]]]
) -> str:
    """Trend over periods: one line per unit (gaps where a period has no score), with a legend."""
    if not x_labels or not series:
        return ""
    values = [float(v) for _, points in series for v in points if v is not None]
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    left, top, plot_w, plot_h = 50, 10, 560, 220
    legend_y = top + plot_h + 40
    height = legend_y + 20 * ((len(series) + 1) // 2) + 10
    step = plot_w / max(len(x_labels) - 1, 1)

    def y_of(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {left + plot_w + 40} {height}" '
        f'aria-label="Biểu đồ diễn biến điểm qua các kỳ">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>',
    ]
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{left - 6}" y="{y_of(tick) + 4:.1f}" text-anchor="end" font-size="11">{_num(tick)}</text>'
        )
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text x="{left + index * step:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    for number, (name, points) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        segments: list[list[str]] = [[]]
        for index, value in enumerate(points):
            if value is None:
                segments.append([])
                continue
            x, y = left + index * step, y_of(float(value))
            segments[-1].append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} — {escape(x_labels[index])}: {_num(value)}</title></circle>"
            )
        for segment in segments:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(segment)}"/>'
                )
        lx = left + (number % 2) * 300
        ly = legend_y + (number // 2) * 20
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 18}" y="{ly}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
