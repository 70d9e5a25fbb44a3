"""Geometry for the small server-side SVG charts of the workspace.

The templates draw the shapes; these functions only place them, so the
charts need no JavaScript and look the same in every browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    max_value: int


def bar_chart(items: list[tuple[str, int]], *, width: int = 560, height: int = 220) -> BarChart:
    """Vertical bars, one per (label, count), scaled to the largest count."""
    top, bottom, side = 24, 40, 16
    plot_height = height - top - bottom
    slot = (width - 2 * side) / max(len(items), 1)
    bar_width = slot * 0.6
    max_value = max((value for _, value in items), default=0)
    bars = []
    for i, (label, value) in enumerate(items):
        bar_height = plot_height * value / max_value if max_value else 0
        x = side + i * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(top + plot_height - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                label_x=round(x + bar_width / 2, 1),
            )
        )
    return BarChart(
        width=width,
        height=height,
        baseline=top + plot_height,
        bars=bars,
        max_value=max_value,
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    when: datetime


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    points: list[Point]
    path: str
    gridlines: list[Gridline]
    first: datetime | None
    last: datetime | None
    baseline: float


def line_chart(
    series: list[tuple[datetime, float]], *, width: int = 640, height: int = 240
) -> LineChart:
    """A 0–100 score over time: points placed by date, joined by a line."""
    left, right, top, bottom = 44, 20, 24, 36
    # Points sit inside the plot by this much, so labels over the first and last fit.
    inset = 36
    plot_width, plot_height = width - left - right - 2 * inset, height - top - bottom
    series = sorted((when, value) for when, value in series if value is not None)

    def y_of(value: float) -> float:
        return round(top + plot_height * (1 - value / 100), 1)

    points = []
    if series:
        start, end = series[0][0], series[-1][0]
        span = (end - start).total_seconds()
        for when, value in series:
            fraction = (when - start).total_seconds() / span if span else 0.5
            points.append(
                Point(
                    x=round(left + inset + plot_width * fraction, 1),
                    y=y_of(value),
                    value=value,
                    when=when,
                )
            )
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    return LineChart(
        width=width,
        height=height,
        left=left,
        right=width - right,
        points=points,
        path=path,
        gridlines=[Gridline(y=y_of(v), label=str(v)) for v in (0, 25, 50, 75, 100)],
        first=series[0][0] if series else None,
        last=series[-1][0] if series else None,
        baseline=top + plot_height,
    )
