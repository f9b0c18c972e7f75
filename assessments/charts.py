"""Server-rendered SVG charts for the results page and the PDF briefing.

Pure functions: plain data in, an SVG string out; no Django, no JavaScript. Every chart is an
accessible image (role="img" with <title> and <desc>, to be shown beside a data table), escapes
all text (labels come from staff), keeps every mark and label inside its viewBox, and styles
itself with presentation attributes and classes only, because the CSP forbids inline styles.

The returned string is complete, escaped markup: a template may mark it safe.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import escape
from xml.etree import ElementTree

from assessments.formatting import chart_score_text

Score = int | float | Decimal | Fraction

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Arial, Helvetica, sans-serif"
INK = "#0b0c0c"
GREY = "#505a5f"
RULE = "#b1b4b6"
PALE = "#f3f2f1"
BLUE = "#1d70b8"
GREEN = "#00703c"
RED = "#d4351c"
LINE_HEIGHT = 1.25
ELLIPSIS = "\u2026"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- Text ------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """Escaped for XML text and attributes, without characters XML forbids."""
    return escape(_CONTROL.sub("", str(value)), quote=True)


def _clean(value: object) -> str:
    return " ".join(_CONTROL.sub("", str(value)).split())


# Widths in em, generous enough for DejaVu Sans (the widest font a server may fall back to).
_NARROW = set("ijlI.,;:'!|()[]{} ")
_WIDE = set("mwMW@%")


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    """An upper estimate of the rendered width of `text` in user units."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.36
        elif char in _WIDE:
            em += 1.0
        elif char.isupper() or char.isdigit():
            em += 0.74
        else:
            em += 0.62
    return em * font_size * (1.1 if bold else 1)


def _truncate(text: str, width: float, font_size: float) -> str:
    if text_width(text, font_size) <= width:
        return text
    while text and text_width(text + ELLIPSIS, font_size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text: str, width: float, font_size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines no wider than `width`; what does not fit
    ends in an ellipsis."""
    words = _clean(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width(candidate, font_size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        lines[-1] = _truncate(lines[-1] + ELLIPSIS, width, font_size)
    return [_truncate(line, width, font_size) for line in lines] or [""]


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# 55 -> "55", 91.66 -> "91.7", None -> "not scored": how every chart labels a score.
format_score = chart_score_text


# A chart as an <img> source. A briefing embeds its charts this way: WeasyPrint parses an image's
# SVG with ElementTree, where an inline <svg> element's every node goes through the HTML parser
# and the CSS cascade as well (measured: about twice the cost of drawing the chart).
CHART_URI_PREFIX = "data:image/svg+xml;base64,"


@dataclass(frozen=True)
class ChartImage:
    src: str
    alt: str  # the chart's title and description


def chart_image(svg: str) -> ChartImage:
    root = ElementTree.fromstring(svg)  # noqa: S314 (markup this module made)
    title = root.findtext(f"{{{SVG_NS}}}title", "").strip()
    desc = root.findtext(f"{{{SVG_NS}}}desc", "").strip()
    return ChartImage(
        src=CHART_URI_PREFIX + base64.b64encode(svg.encode()).decode("ascii"),
        alt=f"{title}. {desc}" if desc else title,
    )


def _svg(
    *,
    width: float,
    height: float,
    chart_id: str,
    css_class: str,
    title: str,
    desc: str,
    body: list[str],
) -> str:
    chart_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'width="{_n(width)}" height="{_n(height)}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="app-chart {css_class}" '
            f'font-family="{FONT}" fill="{INK}">',
            f'<title id="{chart_id}-title">{_text(_clean(title))}</title>',
            f'<desc id="{chart_id}-desc">{_text(_clean(desc))}</desc>',
            *body,
            "</svg>",
        ]
    )


def _text_lines(
    lines: list[str],
    *,
    x: float,
    first_baseline: float,
    font_size: float,
    anchor: str = "start",
    css_class: str = "",
    fill: str | None = None,
    bold_last: bool = False,
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(first_baseline)}" font-size="{_n(font_size)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if css_class:
        attrs += f' class="{css_class}"'
    if fill:
        attrs += f' fill="{fill}"'
    if len(lines) == 1 and not bold_last:
        return f"<text {attrs}>{_text(lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else font_size * LINE_HEIGHT)}"'
        + (' font-weight="bold"' if bold_last and i == len(lines) - 1 else "")
        + f">{_text(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return f"<text {attrs}>{spans}</text>"


def _score_value(score: Score | None) -> float | None:
    if score is None:
        return None
    value = float(score)
    if not 0 <= value <= 100:
        raise ValueError(f"a score must lie between 0 and 100, got {score}")
    return value


# --- Radar -----------------------------------------------------------------------------------

RINGS = (20, 40, 60, 80, 100)


def radar_point(
    index: int, count: int, value: float, cx: float, cy: float, radius: float
) -> tuple[float, float]:
    """Where `value` (0-100) on axis `index` of `count` lies: axis 0 points up, then clockwise."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * value / 100
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def radar_chart(
    themes: Sequence[tuple[str, Score | None]],
    *,
    size: int = 480,
    title: str = "Readiness by theme",
    chart_id: str = "radar-chart",
    font_size: float = 13,
) -> str:
    """A radar of theme scores (0-100), rings at 20/40/60/80/100. A theme without a score gets
    an axis and a "not scored" label but no point, so it never reads as zero."""
    values = [(_clean(label), _score_value(score)) for label, score in themes]
    height = float(size)
    width = size * 1.6
    pad = 4.0
    cx, cy = width / 2, height / 2
    radius = size * 0.33
    label_gap = 10.0
    label_width = width / 2 - radius - label_gap - pad * 2
    ring_font = font_size * 0.8
    count = len(values)

    body = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>']
    body.append(f'<g class="app-chart__grid" fill="none" stroke="{RULE}" stroke-width="1">')
    body.extend(
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius * ring / 100)}"/>' for ring in RINGS
    )
    for i in range(count):
        x, y = radar_point(i, count, 100, cx, cy, radius)
        body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}"/>')
    body.append("</g>")
    body.append(f'<g class="app-chart__ring-labels" font-size="{_n(ring_font)}" fill="{GREY}">')
    body.extend(
        f'<text x="{_n(cx + 3)}" y="{_n(cy - radius * ring / 100 - 2)}">{ring}</text>'
        for ring in RINGS
    )
    body.append("</g>")

    scored = [(i, value) for i, (_, value) in enumerate(values) if value is not None]
    points = [radar_point(i, count, value, cx, cy, radius) for i, value in scored]
    if len(points) >= 2:
        body.append(
            '<polygon class="app-chart__area" points="'
            + " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
            + f'" fill="{BLUE}" fill-opacity="0.2" stroke="{BLUE}" stroke-width="2" '
            'stroke-linejoin="round"/>'
        )
    for (i, value), (x, y) in zip(scored, points, strict=True):
        body.append(
            f'<circle class="app-chart__point" cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{BLUE}">'
            f"<title>{_text(values[i][0])}: {format_score(value)}</title></circle>"
        )

    line_height = font_size * LINE_HEIGHT
    ascent, descent = font_size * 0.8, font_size * 0.25
    for i, (label, score_value) in enumerate(values):
        lines = [*wrap(label, label_width, font_size, 3), format_score(score_value)]
        angle = -math.pi / 2 + 2 * math.pi * i / count
        cos, sin = math.cos(angle), math.sin(angle)
        x = cx + (radius + label_gap) * cos
        y = cy + (radius + label_gap) * sin
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        block = (len(lines) - 1) * line_height + ascent + descent
        if sin < -0.3:
            top = y - block
        elif sin > 0.3:
            top = y
        else:
            top = y - block / 2
        top = min(max(top, pad), height - pad - block)
        widest = max(
            text_width(line, font_size, bold=i == len(lines) - 1) for i, line in enumerate(lines)
        )
        left = {"start": x, "middle": x - widest / 2, "end": x - widest}[anchor]
        x += min(max(left, pad), width - pad - widest) - left
        body.append(
            _text_lines(
                lines,
                x=x,
                first_baseline=top + ascent,
                font_size=font_size,
                anchor=anchor,
                css_class="app-chart__label",
                bold_last=True,
            )
        )

    if values:
        desc = f"Radar chart of {count} theme scores out of 100: " + "; ".join(
            f"{label} {format_score(value)}" for label, value in values
        )
    else:
        desc = "No themes to show."
    return _svg(
        width=width,
        height=height,
        chart_id=chart_id,
        css_class="app-chart--radar",
        title=title,
        desc=desc + ".",
        body=body,
    )


# --- Bars ------------------------------------------------------------------------------------


def bar_chart(
    themes: Sequence[tuple[str, Score | None]],
    *,
    width: int = 640,
    title: str = "Score by theme",
    chart_id: str = "bar-chart",
    font_size: float = 13,
    bar_height: float = 22,
) -> str:
    """One horizontal bar per theme on a 0-100 scale, with its value printed after the bar."""
    values = [(_clean(label), _score_value(score)) for label, score in themes]
    pad = 4.0
    label_width = width * 0.38
    x0 = label_width + 12
    value_room = text_width("100", font_size, bold=True) + 10
    x1 = width - pad - value_room
    axis_top = font_size + 8
    row_gap = max(10.0, font_size * LINE_HEIGHT * 2 - bar_height + 4)
    row = bar_height + row_gap
    height = axis_top + 6 + len(values) * row + pad

    def x_of(value: float) -> float:
        return x0 + (x1 - x0) * value / 100

    body = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>']
    body.append(f'<g class="app-chart__grid" stroke="{RULE}" stroke-width="1">')
    body.extend(
        f'<line x1="{_n(x_of(tick))}" y1="{_n(axis_top)}" x2="{_n(x_of(tick))}" '
        f'y2="{_n(height - pad)}"/>'
        for tick in (0, *RINGS)
    )
    body.append("</g>")
    body.append(
        f'<g class="app-chart__ticks" font-size="{_n(font_size * 0.85)}" fill="{GREY}" '
        'text-anchor="middle">'
    )
    body.extend(
        f'<text x="{_n(x_of(tick))}" y="{_n(axis_top - 6)}">{tick}</text>' for tick in (0, *RINGS)
    )
    body.append("</g>")

    ascent = font_size * 0.8
    line_height = font_size * LINE_HEIGHT
    for i, (label, value) in enumerate(values):
        top = axis_top + 6 + i * row + row_gap / 2
        middle = top + bar_height / 2
        lines = wrap(label, label_width - pad, font_size, 2)
        block = (len(lines) - 1) * line_height
        first = middle - block / 2 + ascent / 2 - 1
        body.append(
            _text_lines(
                lines,
                x=label_width,
                first_baseline=first,
                font_size=font_size,
                anchor="end",
                css_class="app-chart__label",
            )
        )
        if value is None:
            body.append(
                f'<text class="app-chart__value app-chart__value--none" x="{_n(x0 + 6)}" '
                f'y="{_n(middle + ascent / 2 - 1)}" font-size="{_n(font_size)}" fill="{GREY}">'
                "not scored</text>"
            )
            continue
        end = x_of(value)
        body.append(
            f'<rect class="app-chart__bar" x="{_n(x0)}" y="{_n(top)}" width="{_n(end - x0)}" '
            f'height="{_n(bar_height)}" fill="{BLUE}"><title>{_text(label)}: '
            f"{format_score(value)}</title></rect>"
        )
        body.append(
            f'<text class="app-chart__value" x="{_n(end + 6)}" y="{_n(middle + ascent / 2 - 1)}" '
            f'font-size="{_n(font_size)}" font-weight="bold">{format_score(value)}</text>'
        )

    desc = (
        f"Bar chart of {len(values)} theme scores out of 100: "
        + "; ".join(f"{label} {format_score(value)}" for label, value in values)
        if values
        else "No themes to show"
    )
    return _svg(
        width=width,
        height=height,
        chart_id=chart_id,
        css_class="app-chart--bars",
        title=title,
        desc=desc + ".",
        body=body,
    )


# --- Gantt timeline --------------------------------------------------------------------------

TIMELINE_DAYS = 100
TIMELINE_MARKERS = (30, 60, 100)
DAY_WINDOWS = ((1, 30), (31, 60), (61, 100))
_TIMELINE_PAD = 4.0


def gantt_timeline(
    actions: Sequence[tuple[str, int, int, bool]],
    today_day: int | None,
    *,
    width: int = 720,
    title: str = "100-day action plan timeline",
    chart_id: str = "action-timeline",
    font_size: float = 12,
    row_height: float = 24,
    row_titles: bool = True,
    label_share: float = 0.34,
) -> str:
    """One row per action (label, from day, to day, done) across days 1-100, with the 30/60/100
    day windows, and today's day marked when given. Done and overdue rows carry a tick or a
    warning triangle besides their colour. `row_titles` gives each row a tooltip, which a
    printed chart has no use for (and costs a PDF render about a third of the chart);
    `label_share` is the share of the width the labels take.

    Day d occupies the span from d-1 to d on the axis, so days 1-30 fill the first 30%. An action
    running past day 100 is cut at the edge and says so; one starting after day 100 is listed
    as "after day 100". Not done and past its last day: overdue."""
    rows = []
    for label, day_from, day_to, done in actions:
        if day_from > day_to:
            raise ValueError(f"action {label!r}: day {day_from} is after day {day_to}")
        rows.append((_clean(label), max(int(day_from), 1), int(day_to), bool(done)))
    label_width = width * label_share
    axis_top = font_size * 2 + 8
    layout = _TimelineLayout(
        width=width,
        label_width=label_width,
        x0=label_width + font_size * 1.4 + 8,  # the labels, then the done/overdue marks
        x1=width - _TIMELINE_PAD - 8,
        axis_top=axis_top,
        plot_bottom=axis_top + len(rows) * row_height,
        font_size=font_size,
        row_height=row_height,
    )
    today_room = font_size + 12 if today_day is not None else 0
    height = layout.plot_bottom + today_room + _TIMELINE_PAD + 4

    body = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>']
    body.extend(_timeline_axis(layout))
    done_count = overdue_count = 0
    for i, (label, day_from, day_to, done) in enumerate(rows):
        overdue = not done and today_day is not None and today_day > day_to
        done_count += done
        overdue_count += overdue
        state = "done" if done else ("overdue" if overdue else "open")
        body.extend(_timeline_row(layout, i, label, day_from, day_to, state, row_titles=row_titles))

    desc = f"Timeline of {len(rows)} actions over days 1 to {TIMELINE_DAYS}"
    if today_day is not None:
        body.extend(_timeline_today(layout, today_day))
        desc += f"; today is day {today_day}"
    desc += f". {done_count} done, {overdue_count} overdue."
    return _svg(
        width=width,
        height=height,
        chart_id=chart_id,
        css_class="app-chart--timeline",
        title=title,
        desc=desc,
        body=body,
    )


@dataclass(frozen=True, slots=True)
class _TimelineLayout:
    """Where a timeline's parts go: the labels end at `label_width`, days 0-100 run from `x0`
    to `x1`, and the rows fill `axis_top` to `plot_bottom`."""

    width: float
    label_width: float
    x0: float
    x1: float
    axis_top: float
    plot_bottom: float
    font_size: float
    row_height: float

    def x_of(self, day: float) -> float:
        day = min(max(day, 0), TIMELINE_DAYS)
        return self.x0 + (self.x1 - self.x0) * day / TIMELINE_DAYS


def _timeline_axis(layout: _TimelineLayout) -> list[str]:
    """The shaded day windows, their "Days 1-30" headings and the day markers."""
    x_of, font_size = layout.x_of, layout.font_size
    axis_top, plot_bottom = layout.axis_top, layout.plot_bottom
    body = [
        f'<rect class="app-chart__window" x="{_n(x_of(first - 1))}" y="{_n(axis_top)}" '
        f'width="{_n(x_of(last) - x_of(first - 1))}" '
        f'height="{_n(plot_bottom - axis_top)}" fill="{PALE}"/>'
        for i, (first, last) in enumerate(DAY_WINDOWS)
        if i % 2
    ]
    body.append(
        f'<g class="app-chart__ticks" font-size="{_n(font_size * 0.9)}" fill="{GREY}" '
        'text-anchor="middle">'
    )
    for first, last in DAY_WINDOWS:
        middle = (x_of(first - 1) + x_of(last)) / 2
        body.append(f'<text x="{_n(middle)}" y="{_n(font_size)}">Days {first}\u2013{last}</text>')
    body.append("</g>")
    body.append(f'<g class="app-chart__markers" stroke="{GREY}" stroke-width="1">')
    body.append(
        f'<line x1="{_n(layout.x0)}" y1="{_n(axis_top - 4)}" x2="{_n(layout.x0)}" '
        f'y2="{_n(plot_bottom)}"/>'
    )
    body.extend(
        f'<line x1="{_n(x_of(day))}" y1="{_n(axis_top - 4)}" x2="{_n(x_of(day))}" '
        f'y2="{_n(plot_bottom)}" stroke-dasharray="3 3"/>'
        for day in TIMELINE_MARKERS
    )
    body.append("</g>")
    body.append(f'<g class="app-chart__marker-labels" font-size="{_n(font_size * 0.85)}">')
    body.append(f'<text x="{_n(layout.x0 + 2)}" y="{_n(axis_top - 7)}">Day 1</text>')
    body.extend(
        f'<text x="{_n(x_of(day) - 2)}" y="{_n(axis_top - 7)}" text-anchor="end">Day {day}</text>'
        for day in TIMELINE_MARKERS
    )
    body.append("</g>")
    return body


_STATE_FILL = {"done": GREEN, "overdue": RED, "open": BLUE}
_STATE_WORDS = {"done": "done", "overdue": "overdue", "open": "not done"}


def _timeline_row(
    layout: _TimelineLayout,
    index: int,
    label: str,
    day_from: int,
    day_to: int,
    state: str,
    *,
    row_titles: bool,
) -> list[str]:
    """Row `index`: its label, a tick or warning mark for done or overdue, and its bar."""
    font_size, row_height = layout.font_size, layout.row_height
    top = layout.axis_top + index * row_height
    baseline = top + row_height / 2 + font_size * 0.8 / 2 - 1
    fill = _STATE_FILL[state]
    body = [f'<g class="app-chart__row app-chart__row--{state}">']
    if row_titles:
        when = f"days {day_from}\u2013{day_to}"
        body.append(f"<title>{_text(label)}: {when}, {_STATE_WORDS[state]}</title>")
    body.append(
        f'<text x="{_n(layout.label_width)}" y="{_n(baseline)}" font-size="{_n(font_size)}" '
        f'text-anchor="end" class="app-chart__label">'
        f"{_text(_truncate(label, layout.label_width - _TIMELINE_PAD, font_size))}</text>"
    )
    body.extend(_timeline_mark(layout, top, state, fill))
    if day_from > TIMELINE_DAYS:
        body.append(
            f'<text x="{_n(layout.x1)}" y="{_n(baseline)}" font-size="{_n(font_size * 0.9)}" '
            f'text-anchor="end" fill="{GREY}">after day {TIMELINE_DAYS} \u2192</text>'
        )
    else:
        body.extend(_timeline_bar(layout, top, day_from, day_to, fill))
    body.append("</g>")
    return body


def _timeline_mark(layout: _TimelineLayout, top: float, state: str, fill: str) -> list[str]:
    # Shapes, not glyphs: a text mark costs a PDF render as much as the row's label.
    middle_x = layout.label_width + 6 + layout.font_size / 2
    middle_y = top + layout.row_height / 2
    r = layout.font_size / 2
    if state == "done":
        return [
            f'<path class="app-chart__mark" d="M{_n(middle_x - r)} {_n(middle_y)} '
            f"L{_n(middle_x - r * 0.3)} {_n(middle_y + r * 0.7)} "
            f'L{_n(middle_x + r)} {_n(middle_y - r * 0.7)}" fill="none" stroke="{fill}" '
            'stroke-width="2"/>'
        ]
    if state == "overdue":
        return [
            f'<path class="app-chart__mark" d="M{_n(middle_x)} {_n(middle_y - r)} '
            f"L{_n(middle_x + r)} {_n(middle_y + r * 0.8)} "
            f'L{_n(middle_x - r)} {_n(middle_y + r * 0.8)} Z" fill="{fill}"/>'
        ]
    return []


def _timeline_bar(
    layout: _TimelineLayout, top: float, day_from: int, day_to: int, fill: str
) -> list[str]:
    """The bar from `day_from` to `day_to`, with an arrow at the edge when it runs past day 100."""
    row_height, x1 = layout.row_height, layout.x1
    start, end = layout.x_of(day_from - 1), layout.x_of(day_to)
    body = [
        f'<rect class="app-chart__bar" x="{_n(start)}" y="{_n(top + 5)}" '
        f'width="{_n(end - start)}" height="{_n(row_height - 10)}" fill="{fill}" rx="2"/>'
    ]
    if day_to > TIMELINE_DAYS:
        body.append(
            f'<path class="app-chart__beyond" d="M{_n(x1)} {_n(top + 3)} '
            f"L{_n(x1 + 6)} {_n(top + row_height / 2)} "
            f'L{_n(x1)} {_n(top + row_height - 3)} Z" fill="{fill}"/>'
        )
    return body


def _timeline_today(layout: _TimelineLayout, today_day: int) -> list[str]:
    """The line at today's day and its label, kept inside the chart."""
    font_size, pad = layout.font_size, _TIMELINE_PAD
    x = layout.x_of(today_day - 0.5)
    if today_day < 1:
        words = f"Today: day {today_day}, before the first day"
    elif today_day > TIMELINE_DAYS:
        words = f"Today: day {today_day}, after day {TIMELINE_DAYS}"
    else:
        words = f"Today: day {today_day}"
    label_w = text_width(words, font_size, bold=True)
    anchor_x = min(max(x - label_w / 2, pad), layout.width - pad - label_w)
    return [
        f'<line class="app-chart__today" x1="{_n(x)}" y1="{_n(layout.axis_top - 4)}" '
        f'x2="{_n(x)}" y2="{_n(layout.plot_bottom + 4)}" stroke="{INK}" stroke-width="2"/>',
        f'<text class="app-chart__today-label" x="{_n(anchor_x)}" '
        f'y="{_n(layout.plot_bottom + 6 + font_size)}" font-size="{_n(font_size)}" '
        f'font-weight="bold">{_text(words)}</text>',
    ]


# --- Trend line ------------------------------------------------------------------------------


def trend_chart(
    points: Sequence[tuple[str, Score | None]],
    *,
    width: int = 640,
    plot_height: float = 220,
    title: str = "Readiness index over time",
    chart_id: str = "trend-chart",
    font_size: float = 12,
) -> str:
    """The readiness index of successive assessments (label, index), oldest first, as a line on
    a 0-100 scale with each value printed above its point. An assessment without an index is
    marked "not scored" and breaks the line."""
    values = [(_clean(label), _score_value(score)) for label, score in points]
    pad = 4.0
    tick_size = font_size * 0.85
    x0 = pad + text_width("100", tick_size) + 8
    x1 = width - pad
    top = pad + font_size * 1.6
    bottom = top + plot_height
    columns = max(len(values), 1)
    column = (x1 - x0) / columns
    label_lines = 3
    height = bottom + 8 + label_lines * font_size * LINE_HEIGHT + pad

    def x_of(i: int) -> float:
        return x0 + column * (i + 0.5)

    def y_of(value: float) -> float:
        return bottom - plot_height * value / 100

    body = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>']
    body.append(f'<g class="app-chart__grid" stroke="{RULE}" stroke-width="1">')
    body.extend(
        f'<line x1="{_n(x0)}" y1="{_n(y_of(tick))}" x2="{_n(x1)}" y2="{_n(y_of(tick))}"/>'
        for tick in (0, *RINGS)
    )
    body.append("</g>")
    body.append(
        f'<g class="app-chart__ticks" font-size="{_n(tick_size)}" fill="{GREY}" text-anchor="end">'
    )
    body.extend(
        f'<text x="{_n(x0 - 6)}" y="{_n(y_of(tick) + tick_size * 0.35)}">{tick}</text>'
        for tick in (0, *RINGS)
    )
    body.append("</g>")

    segments: list[list[tuple[float, float]]] = [[]]
    for i, (_, value) in enumerate(values):
        if value is None:
            segments.append([])
        else:
            segments[-1].append((x_of(i), y_of(value)))
    for segment in segments:
        if len(segment) > 1:
            d = " ".join(
                f"{'M' if j == 0 else 'L'}{_n(x)} {_n(y)}" for j, (x, y) in enumerate(segment)
            )
            body.append(
                f'<path class="app-chart__line" d="{d}" fill="none" stroke="{BLUE}" '
                'stroke-width="3"/>'
            )

    for i, (label, value) in enumerate(values):
        x = x_of(i)
        lines = wrap(label, column - 6, font_size, label_lines)
        body.append(
            _text_lines(
                lines,
                x=x,
                first_baseline=bottom + 8 + font_size * 0.8,
                font_size=font_size,
                anchor="middle",
                css_class="app-chart__label",
            )
        )
        if value is None:
            words = "not scored"
            y = bottom - 6
            fill = GREY
        else:
            body.append(
                f'<circle class="app-chart__point" cx="{_n(x)}" cy="{_n(y_of(value))}" r="5" '
                f'fill="{BLUE}"><title>{_text(label)}: {format_score(value)}</title></circle>'
            )
            words = format_score(value)
            y = y_of(value) - 9
            fill = INK
        room = text_width(words, font_size, bold=True) / 2 + 1
        x_text = min(max(x, x0 + room), x1 - room)
        body.append(
            f'<text class="app-chart__value" x="{_n(x_text)}" y="{_n(y)}" '
            f'font-size="{_n(font_size)}" font-weight="bold" text-anchor="middle" '
            f'fill="{fill}">{_text(words)}</text>'
        )

    if values:
        desc = (
            f"Line chart of the readiness index out of 100 across {len(values)} assessment"
            f"{'s' if len(values) != 1 else ''}, oldest first: "
            + "; ".join(f"{label} {format_score(value)}" for label, value in values)
        )
    else:
        desc = "No submitted assessments to show yet"
        body.append(
            f'<text x="{_n((x0 + x1) / 2)}" y="{_n(top + plot_height / 2)}" '
            f'font-size="{_n(font_size)}" text-anchor="middle" fill="{GREY}">'
            "No submitted assessments yet</text>"
        )
    return _svg(
        width=width,
        height=height,
        chart_id=chart_id,
        css_class="app-chart--trend",
        title=title,
        desc=desc + ".",
        body=body,
    )
