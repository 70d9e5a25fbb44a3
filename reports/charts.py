"""Server-side SVG charts for the results page and the PDF.

Plain SVG strings, built here rather than with a chart library, so that the
very same markup goes to the browser and to WeasyPrint: the two outputs
cannot drift apart. Every chart carries a <title> and <desc> and is labelled
through aria-labelledby; the pages also show the numbers in a table.

Colours are set as presentation attributes (not inline styles), so a strict
Content-Security-Policy does not strip them, and they keep 3:1 contrast or
better against white (WCAG 1.4.11).
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
INK = "#212529"
MUTED = "#595959"  # 7:1 on white
GRID = "#c4c9ce"
BRAND = "#1d4e6b"
BELOW = "#a8431a"  # a level below the threshold; 5.6:1 on white
TRACK = "#e9ecef"
THRESHOLD = "#6b4e00"  # 7.5:1 on white


@dataclass(frozen=True)
class Axis:
    """One spoke of the radar: a pillar's name and its score (None: nothing to score)."""

    label: str
    value: float | None


@dataclass(frozen=True)
class Bar:
    """One level of a pillar: its name, score (None: nothing to score) and whether it is met."""

    label: str
    value: float | None
    met: bool


def _num(value: float) -> str:
    """Coordinates with two decimals at most, so the markup is stable and small."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _score_text(value: float | None) -> str:
    return "no score" if value is None else f"{value:.0f}"


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


def radar_svg(
    axes: Sequence[Axis],
    *,
    threshold: float | None = None,
    maximum: float = 100.0,
    chart_id: str = "radar",
    title: str = "Pillar scores",
) -> SafeString:
    """A radar (spider) chart of the pillar scores, 0 to ``maximum`` from the centre out.

    The first axis points up and the others follow clockwise. A dashed ring
    marks the maturity threshold when one is given; the figure's caption
    says so (no legend inside: WeasyPrint lays out SVG text letter by
    letter, about as costly as a line of the report's text per letter).
    """
    width, height = 560, 420
    cx, cy, radius = width / 2, 206, 140
    count = max(len(axes), 3)

    def at(index: float, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    def ring(fraction: float) -> str:
        return _points([at(i, fraction) for i in range(count)])

    parts: list[str] = []
    for step in (0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<polygon points="{ring(step)}" fill="none" stroke="{GRID}" stroke-width="1"/>'
        )
        # Scale labels sit on the ring, between the first two spokes, clear of the score points.
        x, y = at(0.5, step * math.cos(math.pi / count))
        parts.append(
            f'<text x="{_num(x + 3)}" y="{_num(y - 3)}" font-size="10" fill="{MUTED}">'
            f"{step * maximum:.0f}</text>"
        )
    for i in range(count):
        x, y = at(i, 1.0)
        parts.append(
            f'<line x1="{_num(cx)}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    if threshold is not None:
        parts.append(
            f'<polygon points="{ring(threshold / maximum)}" fill="none" stroke="{THRESHOLD}" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
    values = [min(max((axis.value or 0.0) / maximum, 0.0), 1.0) for axis in axes]
    shape = [at(i, v) for i, v in enumerate(values)]
    parts.append(
        f'<polygon points="{_points(shape)}" fill="{BRAND}" fill-opacity="0.22" '
        f'stroke="{BRAND}" stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for x, y in shape:
        parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{BRAND}"/>')
    for i, axis in enumerate(axes):
        parts.append(_radar_label(i, count, axis, at))

    description = "; ".join(f"{axis.label}: {_score_text(axis.value)}" for axis in axes)
    if threshold is not None:
        description += f". Dashed ring: the level threshold, {threshold:.0f}."
    return _svg(chart_id, title, description, width, height, "".join(parts), "report-radar")


def _radar_label(index: int, count: int, axis: Axis, at) -> str:
    x, y = at(index, 1.0)
    dx = x - at(0, 0)[0]
    if abs(dx) < 1:
        anchor = "middle"
    else:
        anchor = "start" if dx > 0 else "end"
        x += 10 if dx > 0 else -10
    lines = textwrap.wrap(axis.label, 16) or [""]
    line_height = 15
    # Above the top spoke the text grows upwards; elsewhere it starts at the tip.
    if y < at(0, 0)[1] - 1:
        first = y - 12 - line_height * len(lines)
    elif y > at(0, 0)[1] + 1:
        first = y + 22
    else:
        first = y - (line_height * len(lines)) / 2 + 4
    tspans = [
        format_html('<tspan x="{}" y="{}">{}</tspan>', _num(x), _num(first + n * line_height), line)
        for n, line in enumerate(lines)
    ]
    tspans.append(
        format_html(
            '<tspan x="{}" y="{}" font-weight="bold" fill="{}">{}</tspan>',
            _num(x),
            _num(first + len(lines) * line_height + 2),
            BRAND,
            _score_text(axis.value),
        )
    )
    return (
        f'<text text-anchor="{anchor}" font-size="13" fill="{INK}">' + "".join(tspans) + "</text>"
    )


def level_bars_svg(
    bars: Sequence[Bar],
    *,
    threshold: float | None = None,
    maximum: float = 100.0,
    chart_id: str = "levels",
    title: str = "Level scores",
) -> SafeString:
    """Horizontal bars, one per level; a dashed line marks the threshold.

    The page explains the dashed line once, above the pillars, rather than
    under every chart (see ``radar_svg`` on the cost of SVG text).
    """
    label_width, track_width, value_width = 130, 300, 70
    row, top = 30, 10
    width = label_width + track_width + value_width
    height = top + row * len(bars) + 4
    parts: list[str] = []
    for n, bar in enumerate(bars):
        y = top + n * row
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="{}">{}</text>',
                _num(y + 15),
                INK,
                bar.label,
            )
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{track_width}" height="18" '
            f'fill="{TRACK}"/>'
        )
        if bar.value is not None:
            length = track_width * min(max(bar.value / maximum, 0.0), 1.0)
            colour = BRAND if bar.met else BELOW
            parts.append(
                f'<rect x="{label_width}" y="{y + 2}" width="{_num(length)}" height="18" '
                f'fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{label_width + track_width + 8}" y="{_num(y + 16)}" font-size="13" '
            f'font-weight="bold" fill="{INK}">{escape(_score_text(bar.value))}</text>'
        )
    if threshold is not None:
        x = label_width + track_width * threshold / maximum
        bottom = top + row * len(bars)
        parts.append(
            f'<line x1="{_num(x)}" y1="{top - 4}" x2="{_num(x)}" y2="{bottom}" '
            f'stroke="{THRESHOLD}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    description = "; ".join(
        f"{bar.label}: {_score_text(bar.value)}"
        + ("" if bar.value is None else (" (met)" if bar.met else " (below the threshold)"))
        for bar in bars
    )
    return _svg(chart_id, title, description, width, height, "".join(parts), "report-bars")


def _svg(
    chart_id: str, title: str, description: str, width: int, height: int, body: str, css: str
) -> SafeString:
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        css=css,
        w=width,
        h=height,
        id=chart_id,
        font=FONT,
        title=title,
        desc=description,
    )
    # ``body`` is built above from numbers and format_html-escaped labels only.
    return mark_safe(head + body + "</svg>")  # noqa: S308


@dataclass(frozen=True)
class Line:
    """One pillar's scores over time (None: nothing to score that time)."""

    label: str
    values: tuple[float | None, ...]


# Each line differs by colour, dash pattern and marker, so it reads in grey or print too.
LINE_STYLES = (
    (BRAND, "", "circle"),
    (BELOW, "7 4", "square"),
    (THRESHOLD, "2 3", "triangle"),
    ("#5b2a86", "9 3 2 3", "diamond"),  # 9:1 on white
)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        corners = [(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)]
    else:
        corners = [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]
    return f'<polygon points="{_points(corners)}" fill="{colour}"/>'


def trend_svg(
    labels: Sequence[str],
    lines: Sequence[Line],
    *,
    maximum: float = 100.0,
    chart_id: str = "trend",
    title: str = "Pillar scores over time",
) -> SafeString:
    """A line per pillar across the assessments (``labels``: their dates), evenly spaced.

    Each line has its own colour, dash pattern and marker, named in a legend
    under the plot; the page prints the numbers in a table beside it.
    """
    width, left, right, top, plot_height = 560, 40, 24, 12, 180
    plot_width = width - left - right
    legend_top = top + plot_height + 40
    height = legend_top + 22 * ((len(lines) + 1) // 2)
    count = len(labels)

    def x_of(index: int) -> float:
        return left + (plot_width * index / (count - 1) if count > 1 else plot_width / 2)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - min(max(value / maximum, 0.0), 1.0))

    parts: list[str] = []
    for step in (0, 25, 50, 75, 100):
        y = y_of(step * maximum / 100)
        parts.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y + 4)}" font-size="10" fill="{MUTED}" '
            f'text-anchor="end">{step}</text>'
        )
    for index, label in enumerate(labels):
        anchor = "start" if index == 0 and count > 1 else "end" if index == count - 1 else "middle"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="{}">{}</text>',
                _num(x_of(index)),
                top + plot_height + 18,
                INK,
                anchor if count > 1 else "middle",
                label,
            )
        )
    styled = list(zip(lines, itertools.cycle(LINE_STYLES)))
    for line, (colour, dashes, shape) in styled:
        points = [(x_of(i), y_of(v)) for i, v in enumerate(line.values) if v is not None]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        if len(points) > 1:
            parts.append(
                f'<polyline points="{_points(points)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        parts.extend(_marker(shape, x, y, colour) for x, y in points)
    for n, (line, (colour, dashes, shape)) in enumerate(styled):
        x, y = left + (n % 2) * 260, legend_top + 22 * (n // 2)
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 36}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>' + _marker(shape, x + 18, y, colour)
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                x + 44,
                y + 4,
                INK,
                line.label,
            )
        )
    description = "; ".join(
        f"{line.label}: "
        + ", ".join(
            f"{_score_text(v)} ({label})" for label, v in zip(labels, line.values, strict=False)
        )
        for line in lines
    )
    return _svg(chart_id, title, description, width, height, "".join(parts), "report-trend")
