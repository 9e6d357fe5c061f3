"""Horizontal bar charts as plain geometry, drawn as inline SVG by
templates/overview/_bar_chart.html: no JavaScript, nothing fetched.

A chart is a list of rows (a category and its label) each holding one or more
bars; every bar carries its value as text next to it, so nothing is said by
colour alone. Horizontal bars leave room for Chinese labels of any length."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 230  # the category labels, right-aligned against the bars
VALUE_WIDTH = 140  # room for the value written after the longest bar
BAR_HEIGHT = 22
BAR_GAP = 3  # between the bars of one row
ROW_GAP = 12
PADDING = 8
FONT_SIZE = 14
LABEL_EMS = (LABEL_WIDTH - 12) / FONT_SIZE
BAR_SPACE = WIDTH - LABEL_WIDTH - VALUE_WIDTH - PADDING
# Fill per series; the bar's text names the series, the colour only helps.
FILLS = ("#8b1a1a", "#3d5a80", "#6b6b6b")


@dataclass(frozen=True)
class Value:
    """One data point: the number the bar's length shows (None: no data,
    no bar) and the text written next to it."""

    number: float | None
    text: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    text: str
    text_x: float
    text_y: float
    fill: str


@dataclass(frozen=True)
class Row:
    label: str  # as drawn (shortened to fit)
    full_label: str
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    label_x: float
    axis_x: float
    rows: tuple[Row, ...]
    font_size: int = FONT_SIZE

    @property
    def bars(self) -> list[Bar]:
        return [bar for row in self.rows for bar in row.bars]


def text_width_ems(text: str) -> float:
    """Rough width in ems: CJK and other wide characters take a full em,
    the rest a bit more than half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def fit(text: str, ems: float = LABEL_EMS) -> str:
    """The text, shortened with an ellipsis when wider than `ems`."""
    if text_width_ems(text) <= ems:
        return text
    kept = ""
    for character in text:
        if text_width_ems(kept + character + "…") > ems:
            break
        kept += character
    return kept + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[Value]]],
) -> BarChart:
    """A chart of `rows`: (category label, its values, one per series). Bar
    lengths share one scale, from zero to the largest value."""
    numbers = [v.number for _label, values in rows for v in values if v.number is not None]
    top = max(numbers, default=0) or 1
    axis_x = LABEL_WIDTH
    y = PADDING
    drawn = []
    for label, values in rows:
        bars = []
        for index, value in enumerate(values):
            length = 0.0 if not value.number else max(1.0, BAR_SPACE * value.number / top)
            bars.append(
                Bar(
                    x=axis_x,
                    y=y,
                    width=round(length, 1),
                    height=BAR_HEIGHT,
                    text=value.text,
                    text_x=round(axis_x + length + 6, 1),
                    text_y=y + BAR_HEIGHT / 2,
                    fill=FILLS[index % len(FILLS)],
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        group_height = len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        drawn.append(
            Row(
                label=fit(label),
                full_label=label,
                label_y=y - BAR_GAP - group_height / 2,
                bars=tuple(bars),
            )
        )
        y += ROW_GAP - BAR_GAP
    height = int(y - ROW_GAP + PADDING) if rows else 2 * PADDING
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=height,
        label_x=axis_x - 8,
        axis_x=axis_x,
        rows=tuple(drawn),
    )
