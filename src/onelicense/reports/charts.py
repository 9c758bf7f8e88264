"""Geometry for the server-drawn SVG charts: the templates only place what is computed here."""

from dataclasses import dataclass

from onelicense.reports.selectors import ReportRow, TrendPoint

WIDTH = 640
BAR_HEIGHT = 22
LABEL_WIDTH = 160


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def bar_chart(rows: list[ReportRow], figure: str, limit: int = 20) -> BarChart:
    """Horizontal bars, one per row, of one count, longest first."""
    chosen = sorted(rows, key=lambda row: -row.counts[figure])[:limit]
    top = max((row.counts[figure] for row in chosen), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, row in enumerate(chosen):
        width = round(room * row.counts[figure] / top)
        bars.append(
            Bar(
                row.label,
                row.counts[figure],
                index * (BAR_HEIGHT + 6),
                width,
                LABEL_WIDTH + width + 6,
            )
        )
    return BarChart(bars, max(len(bars) * (BAR_HEIGHT + 6), BAR_HEIGHT))


@dataclass(frozen=True)
class Column:
    label: str
    received: int
    completed: int
    x: int
    received_y: int
    received_height: int
    completed_y: int
    completed_height: int


@dataclass(frozen=True)
class TrendChart:
    columns: list[Column]
    line: str  # the on-time rate as a polyline's points
    width: int
    height: int
    bar_width: int
    baseline: int


def trend_chart(points: list[TrendPoint], height: int = 200) -> TrendChart:
    """Per month: received and completed as paired bars; the on-time rate as a line (0–100%)."""
    top = max((max(p.received, p.completed) for p in points), default=0) or 1
    step = max(WIDTH // max(len(points), 1), 24)
    bar = max(step // 2 - 4, 4)
    columns, line = [], []
    for index, point in enumerate(points):
        x = index * step + 4
        received, completed = (round(height * n / top) for n in (point.received, point.completed))
        columns.append(
            Column(
                point.month.strftime("%Y-%m"),
                point.received,
                point.completed,
                x,
                height - received,
                received,
                height - completed,
                completed,
            )
        )
        if point.cases_decided:
            rate = point.cases_on_time / point.cases_decided
            line.append(f"{x + bar},{round(height * (1 - rate))}")
    return TrendChart(columns, " ".join(line), step * len(points) + 8, height, bar, height)
