"""Tests of assessments/charts.py: parse the SVG and check structure, escaping, positions and
that every mark and label stays inside the viewBox."""

import base64
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.charts import (
    CHART_URI_PREFIX,
    bar_chart,
    chart_image,
    format_score,
    gantt_timeline,
    radar_chart,
    text_width,
    trend_chart,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
NASTY = "<script>alert(\"x\")</script> & 'quotes' \x00\x07 ]]> <b>"
NASTY_CLEAN = "<script>alert(\"x\")</script> & 'quotes' ]]> <b>"
LONG = (
    "Cyber security, information governance and resilience across every constituent council "
    "of the combined authority and all its partners WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW"
)
NINE_THEMES = [
    ("Vision and digital leadership", Decimal("55.0")),
    ("Digital culture, skills and talent", 72),
    ("Innovation unit and industry collaboration", 38.5),
    ("Citizen-centric, joined-up services and smart communities", 61),
    ("Digital inclusion", None),
    ("Data: open data and data assets", Decimal("91.7")),
    ("Smart procurement and commercial", 20),
    ("Connectivity and digital infrastructure", 100),
    (LONG, 0),
]
ACTIONS = [
    ("Name a senior owner for cyber and information risk", 1, 30, True),
    ("Define the CDIC role and mandate", 20, 45, False),
    ("Convene the Digital Skills Taskforce", 30, 100, False),
    ("Launch a region-wide data asset audit", 61, 140, False),
    ("Scale pilots region-wide", 120, 200, False),
    (LONG, 5, 6, False),
]


def parse(svg: str) -> ET.Element:
    # Parses the charts' own output, not untrusted input.
    root = ET.fromstring(svg)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    return root


def viewbox(root):
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0)
    return width, height


def all_text(root) -> str:
    return " ".join(" ".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def check_accessible(root):
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title"
    assert desc.tag == f"{SVG}desc"
    assert title.text.strip()
    assert desc.text.strip()
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def check_no_inline_style_or_script(svg: str, root):
    for el in root.iter():
        assert "style" not in el.attrib, el.tag
        assert el.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject")
        assert not any(name.startswith("on") for name in el.attrib), el.tag
    assert "style=" not in svg


# --- Geometry: everything inside the viewBox ----------------------------------------------------


def _font(size: float, bold: bool):
    image_font = pytest.importorskip("PIL.ImageFont")
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    if not (FONT_DIR / name).exists():
        pytest.skip("DejaVu fonts are not installed (make install adds fonts-dejavu-core)")
    return image_font.truetype(str(FONT_DIR / name), size=round(size))


def measured_width(text: str, size: float, bold: bool) -> float:
    """The real width in DejaVu Sans, the widest font a browser or WeasyPrint falls back to here
    (the charts ask for Arial/Helvetica, which are narrower)."""
    return _font(size, bold).getlength(text) * size / round(size)


def _points(text: str):
    numbers = [
        float(n)
        for n in text.replace(",", " ")
        .replace("M", " ")
        .replace("L", " ")
        .replace("Z", " ")
        .split()
    ]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def marks_and_boxes(root):
    """(what, left, top, right, bottom) for every drawn element, text measured in DejaVu."""
    boxes = []

    def walk(el, inherited):
        attrs = {**inherited, **{k: v for k, v in el.attrib.items() if k in INHERITED}}
        tag = el.tag.removeprefix(SVG)
        get = lambda name: float(el.get(name))  # noqa: E731
        if tag == "rect":
            boxes.append(
                (tag, get("x"), get("y"), get("x") + get("width"), get("y") + get("height"))
            )
        elif tag == "circle":
            r = get("r")
            boxes.append((tag, get("cx") - r, get("cy") - r, get("cx") + r, get("cy") + r))
        elif tag == "line":
            x1, y1, x2, y2 = get("x1"), get("y1"), get("x2"), get("y2")
            boxes.append((tag, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
        elif tag in ("polygon", "path"):
            points = _points(el.get("points") or el.get("d"))
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            boxes.append((tag, min(xs), min(ys), max(xs), max(ys)))
        elif tag == "text":
            boxes.extend(text_boxes(el, attrs))
            return
        for child in el:
            walk(child, attrs)

    walk(root, {})
    return boxes


INHERITED = ("font-size", "font-weight", "text-anchor")


def text_boxes(el, inherited):
    attrs = {**inherited, **{k: v for k, v in el.attrib.items() if k in INHERITED}}
    size = float(attrs["font-size"])
    spans = el.findall(f"{SVG}tspan")
    x, y = float(el.get("x")), float(el.get("y"))
    lines = []
    if spans:
        for span in spans:
            x = float(span.get("x", x))
            y += float(span.get("dy", 0))
            bold = span.get("font-weight", attrs.get("font-weight")) == "bold"
            lines.append((span.text or "", x, y, bold))
    else:
        lines.append((el.text or "", x, y, attrs.get("font-weight") == "bold"))
    boxes = []
    for text, x, y, bold in lines:
        width = measured_width(text, size, bold)
        anchor = attrs.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((f"text {text!r}", left, y - size * 0.8, left + width, y + size * 0.25))
    return boxes


def check_inside_viewbox(root):
    width, height = viewbox(root)
    boxes = marks_and_boxes(root)
    assert boxes
    for what, left, top, right, bottom in boxes:
        assert left >= -0.01, (what, left)
        assert top >= -0.01, (what, top)
        assert right <= width + 0.01, (what, right, width)
        assert bottom <= height + 0.01, (what, bottom, height)


def overlapping_text(root):
    texts = [box for box in marks_and_boxes(root) if box[0].startswith("text")]
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                pairs.append((a[0], b[0]))
    return pairs


# --- Helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "text"),
    [(None, "not scored"), (55, "55"), (Decimal("55.0"), "55"), (91.66, "91.7"), (100, "100")],
)
def test_format_score(score, text):
    assert format_score(score) == text


def test_wrap_keeps_lines_within_width_and_ends_cut_text_with_an_ellipsis():
    lines = wrap(LONG, 150, 13, 3)
    assert len(lines) == 3
    assert all(text_width(line, 13) <= 150 for line in lines)
    assert lines[-1].endswith("\u2026")
    assert wrap("Digital inclusion", 150, 13, 3) == ["Digital inclusion"]
    assert wrap("", 150, 13, 3) == [""]


def test_text_width_estimate_is_never_below_the_real_width():
    samples = [LONG, "Vision and digital leadership", "Day 100", "100", "not scored", "MWMW mw"]
    for sample in samples:
        for bold in (False, True):
            assert text_width(sample, 13, bold=bold) >= measured_width(sample, 13, bold), sample


# --- Radar ------------------------------------------------------------------------------------


def test_radar_structure_and_accessibility():
    svg = radar_chart(NINE_THEMES, chart_id="results-radar")
    root = parse(svg)
    check_accessible(root)
    check_no_inline_style_or_script(svg, root)
    assert root[0].get("id") == "results-radar-title"
    desc = root[1].text
    assert "Vision and digital leadership 55" in desc
    assert "Digital inclusion not scored" in desc
    # Rings at 20/40/60/80/100, labelled.
    circles = [c for c in root.iter(f"{SVG}circle") if c.get("r") != "4"]
    rings = sorted(float(c.get("r")) for c in circles)
    radius = 480 * 0.33
    assert rings == pytest.approx([radius * ring / 100 for ring in (20, 40, 60, 80, 100)])
    ring_labels = [
        t.text for t in root.iter(f"{SVG}text") if t.text in {"20", "40", "60", "80", "100"}
    ]
    assert ring_labels == ["20", "40", "60", "80", "100"]
    # One axis per theme, one point per scored theme.
    assert len(list(root.iter(f"{SVG}line"))) == 9
    assert len([c for c in root.iter(f"{SVG}circle") if c.get("r") == "4"]) == 8


def test_radar_points_for_known_scores():
    # size 480: viewBox 768 x 480, centre (384, 240), radius 0.33 * 480 = 158.4.
    # Axis 0 points up, then clockwise every 90 degrees for four themes:
    #   100 up    -> (384, 240 - 158.4)      = (384, 81.6)
    #   50 right  -> (384 + 79.2, 240)       = (463.2, 240)
    #   0 down    -> the centre               = (384, 240)
    #   25 left   -> (384 - 39.6, 240)       = (344.4, 240)
    root = parse(radar_chart([("A", 100), ("B", 50), ("C", 0), ("D", 25)]))
    assert viewbox(root) == (768, 480)
    polygon = root.find(f".//{SVG}polygon")
    points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
    expected = [(384, 81.6), (463.2, 240), (384, 240), (344.4, 240)]
    for (x, y), (ex, ey) in zip(points, expected, strict=True):
        assert x == pytest.approx(ex, abs=0.01)
        assert y == pytest.approx(ey, abs=0.01)
    dots = [
        (float(c.get("cx")), float(c.get("cy")))
        for c in root.iter(f"{SVG}circle")
        if c.get("r") == "4"
    ]
    assert dots == [pytest.approx(p, abs=0.01) for p in expected]


def test_radar_unscored_theme_has_no_point_and_reads_not_scored():
    root = parse(radar_chart([("A", 80), ("B", None), ("C", 40)]))
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "4"]
    assert [d.find(f"{SVG}title").text for d in dots] == ["A: 80", "C: 40"]
    assert "B not scored" in all_text(root)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 9, 14])
def test_radar_stays_inside_its_viewbox(count):
    themes = [(LONG if i % 2 else f"Theme {i}", (i * 37) % 101) for i in range(count)]
    root = parse(radar_chart(themes))
    check_inside_viewbox(root)


def test_radar_labels_do_not_overlap_for_nine_themes():
    root = parse(radar_chart(NINE_THEMES))
    check_inside_viewbox(root)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "app-chart__label"]
    assert len(labels) == 9
    label_root = ET.Element(f"{SVG}svg", root.attrib)
    label_root.extend(labels)
    assert overlapping_text(label_root) == []


def test_radar_escapes_text():
    svg = radar_chart([(NASTY, 50), ("B", 60), ("C", 70)], title=NASTY)
    root = parse(svg)
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert root[0].text == NASTY_CLEAN
    assert NASTY_CLEAN.split()[0] in all_text(root)


def test_radar_rejects_scores_outside_0_to_100():
    with pytest.raises(ValueError, match="between 0 and 100"):
        radar_chart([("A", 101)])


# --- Bars -------------------------------------------------------------------------------------


def bars(root):
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "app-chart__bar"]


def test_bar_chart_one_bar_per_scored_theme_with_value_labels():
    svg = bar_chart(NINE_THEMES)
    root = parse(svg)
    check_accessible(root)
    check_no_inline_style_or_script(svg, root)
    check_inside_viewbox(root)
    assert len(bars(root)) == 8
    values = [t.text for t in root.iter(f"{SVG}text") if "app-chart__value" in t.get("class", "")]
    assert values == ["55", "72", "38.5", "61", "not scored", "91.7", "20", "100", "0"]
    assert "Digital inclusion not scored" in root[1].text


def test_bar_lengths_are_proportional_to_scores():
    root = parse(bar_chart([("A", 100), ("B", 50), ("C", 25), ("D", 0)]))
    found = bars(root)
    starts = {float(b.get("x")) for b in found}
    assert len(starts) == 1
    full, half, quarter, zero = (float(b.get("width")) for b in found)
    assert half == pytest.approx(full / 2, abs=0.01)
    assert quarter == pytest.approx(full / 4, abs=0.01)
    assert zero == 0
    # The 100 bar ends on the 100 gridline.
    (start,) = starts
    gridlines = sorted(float(line.get("x1")) for line in root.iter(f"{SVG}line"))
    assert gridlines[0] == pytest.approx(start)
    assert gridlines[-1] == pytest.approx(start + full)


@pytest.mark.parametrize("count", [0, 1, 9, 20])
def test_bar_chart_stays_inside_its_viewbox(count):
    themes = [(LONG if i % 3 == 0 else f"Theme {i}", 100 if i % 2 else None) for i in range(count)]
    root = parse(bar_chart(themes, width=480))
    check_inside_viewbox(root)


def test_bar_chart_escapes_text():
    svg = bar_chart([(NASTY, 40)])
    assert "<script>" not in svg
    root = parse(svg)
    assert NASTY_CLEAN in root[1].text


# --- Gantt ------------------------------------------------------------------------------------


def plot_x(root):
    """x0 and x1 of the day axis, from the Day 1 line and the day 100 marker."""
    lines = list(root.find(f".//{SVG}g[@class='app-chart__markers']"))
    return float(lines[0].get("x1")), float(lines[-1].get("x1"))


def test_gantt_structure_markers_and_today():
    svg = gantt_timeline(ACTIONS, 45)
    root = parse(svg)
    check_accessible(root)
    check_no_inline_style_or_script(svg, root)
    check_inside_viewbox(root)
    text = all_text(root)
    for marker in ("Day 1", "Day 30", "Day 60", "Day 100", "Today: day 45"):
        assert marker in text
    assert (
        root[1].text
        == "Timeline of 6 actions over days 1 to 100; today is day 45. 1 done, 1 overdue."
    )
    rows = [g for g in root.iter(f"{SVG}g") if "app-chart__row" in g.get("class", "")]
    assert [g.get("class").split("--")[1] for g in rows] == [
        "done",
        "open",
        "open",
        "open",
        "open",
        "overdue",
    ]
    assert rows[0].find(f"{SVG}title").text.endswith("days 1\u201330, done")
    assert "after day 100" in "".join(rows[4].itertext())


def test_gantt_positions_for_known_days():
    root = parse(
        gantt_timeline([("A", 1, 30, False), ("B", 31, 60, True), ("C", 90, 120, False)], 45)
    )
    x0, x1 = plot_x(root)
    day = (x1 - x0) / 100  # one day's width
    # Day d covers d-1 .. d: days 1-30 run from x0 to x0 + 30 days; 31-60 from 30 to 60 days.
    a, b, c = (r for r in root.iter(f"{SVG}rect") if r.get("class") == "app-chart__bar")
    assert float(a.get("x")) == pytest.approx(x0, abs=0.01)
    assert float(a.get("width")) == pytest.approx(30 * day, abs=0.01)
    assert float(b.get("x")) == pytest.approx(x0 + 30 * day, abs=0.01)
    assert float(b.get("width")) == pytest.approx(30 * day, abs=0.01)
    # C runs past day 100: cut at the edge, with an arrow.
    assert float(c.get("x")) + float(c.get("width")) == pytest.approx(x1, abs=0.01)
    assert root.find(f".//{SVG}path[@class='app-chart__beyond']") is not None
    # The 30/60/100 markers sit at the end of those days; today in the middle of day 45.
    markers = [
        float(line.get("x1")) for line in root.find(f".//{SVG}g[@class='app-chart__markers']")
    ]
    assert markers == pytest.approx([x0, x0 + 30 * day, x0 + 60 * day, x1], abs=0.01)
    today = root.find(f".//{SVG}line[@class='app-chart__today']")
    assert float(today.get("x1")) == pytest.approx(x0 + 44.5 * day, abs=0.01)


@pytest.mark.parametrize(
    ("today_day", "label", "edge"),
    [
        (0, "Today: day 0, before the first day", "left"),
        (130, "Today: day 130, after day 100", "right"),
    ],
)
def test_gantt_today_outside_the_100_days_sits_at_the_edge(today_day, label, edge):
    root = parse(gantt_timeline(ACTIONS, today_day))
    check_inside_viewbox(root)
    x0, x1 = plot_x(root)
    today = root.find(f".//{SVG}line[@class='app-chart__today']")
    assert float(today.get("x1")) == pytest.approx(x0 if edge == "left" else x1, abs=0.01)
    assert label in all_text(root)


def test_gantt_without_today_has_no_marker():
    root = parse(gantt_timeline(ACTIONS, None))
    assert root.find(f".//{SVG}line[@class='app-chart__today']") is None
    assert "Today" not in all_text(root)
    check_inside_viewbox(root)


def test_gantt_empty_and_many_rows_stay_inside():
    check_inside_viewbox(parse(gantt_timeline([], 10)))
    many = [(f"{LONG} {i}", 1 + i * 3, 10 + i * 5, i % 3 == 0) for i in range(40)]
    check_inside_viewbox(parse(gantt_timeline(many, 50, width=480)))


def test_gantt_escapes_text_and_rejects_backwards_days():
    svg = gantt_timeline([(NASTY, 1, 10, False)], 5)
    assert "<script>" not in svg
    root = parse(svg)
    assert NASTY_CLEAN in root.find(f".//{SVG}g/{SVG}title").text
    with pytest.raises(ValueError, match="day 10 is after day 5"):
        gantt_timeline([("Backwards", 10, 5, False)], 5)


def test_gantt_marks_done_and_overdue_rows_with_shapes_besides_colour():
    root = parse(gantt_timeline(ACTIONS, 45))
    rows = [g for g in root.iter(f"{SVG}g") if "app-chart__row" in g.get("class", "")]
    marks = [
        (row.get("class").split("--")[1], row.find(f"{SVG}path[@class='app-chart__mark']"))
        for row in rows
    ]
    for state, mark in marks:
        # A tick (an open stroke) when done, a filled triangle when overdue, none when open.
        if state == "done":
            assert mark.get("fill") == "none"
            assert not mark.get("d").endswith("Z")
        elif state == "overdue":
            assert mark.get("d").endswith("Z")
        else:
            assert mark is None
    assert {state for state, _ in marks} == {"done", "open", "overdue"}


def test_gantt_for_print_has_no_row_tooltips_and_narrower_labels():
    wide = parse(gantt_timeline(ACTIONS, 45))
    narrow = parse(gantt_timeline(ACTIONS, 45, row_titles=False, label_share=0.12))
    assert narrow.findall(f".//{SVG}g/{SVG}title") == []
    assert len(wide.findall(f".//{SVG}g/{SVG}title")) == len(ACTIONS)
    # The day axis starts further left when the labels take less room.
    assert plot_x(narrow)[0] < plot_x(wide)[0]
    check_inside_viewbox(narrow)


def test_chart_image_embeds_the_svg_with_its_title_and_description_as_alt_text():
    svg = radar_chart(NINE_THEMES, title="Readiness <by> theme")
    image = chart_image(svg)
    assert image.src.startswith(CHART_URI_PREFIX)
    assert base64.b64decode(image.src.removeprefix(CHART_URI_PREFIX)).decode() == svg
    root = parse(svg)
    assert image.alt == f"Readiness <by> theme. {root[1].text}"
    assert image.alt.startswith("Readiness <by> theme. Radar chart of 9 theme scores")


def test_charts_on_one_page_have_distinct_ids():
    ids = []
    for svg in (radar_chart(NINE_THEMES), bar_chart(NINE_THEMES), gantt_timeline(ACTIONS, 1)):
        root = parse(svg)
        ids += [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 6


# --- Trend line ---------------------------------------------------------------------------------

TREND = [
    ("Baseline, day 1 (8 May 2017)", Decimal("31.5")),
    ("Day 50 check (27 Jun 2017)", 44),
    ("Day 100 review (16 Aug 2017)", None),
    ("Year one (8 May 2018)", 62.26),
]


def test_trend_structure_and_accessibility():
    svg = trend_chart(TREND, chart_id="region-trend")
    root = parse(svg)
    check_accessible(root)
    check_no_inline_style_or_script(svg, root)
    assert root[0].get("id") == "region-trend-title"
    desc = root[1].text
    assert "4 assessments, oldest first" in desc
    assert "Baseline, day 1 (8 May 2017) 31.5" in desc
    assert "Day 100 review (16 Aug 2017) not scored" in desc
    points = list(root.iter(f"{SVG}circle"))
    assert [p.find(f"{SVG}title").text for p in points] == [
        "Baseline, day 1 (8 May 2017): 31.5",
        "Day 50 check (27 Jun 2017): 44",
        "Year one (8 May 2018): 62.3",
    ]
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "app-chart__value"]
    assert values == ["31.5", "44", "not scored", "62.3"]
    # An unscored assessment breaks the line: one segment of two points, none of one.
    paths = [p.get("d") for p in root.iter(f"{SVG}path")]
    assert len(paths) == 1
    assert paths[0].count("L") == 1


def test_trend_points_for_known_values():
    # width 640, font 12: ticks at 10.2 px, x0 = 4 + text_width("100", 10.2) + 8
    # = 4 + 3 * 0.74 * 10.2 + 8 = 34.644; x1 = 636; two columns of 300.678 px.
    # top = 4 + 12 * 1.6 = 23.2; plot 220 px, so bottom = 243.2.
    root = parse(trend_chart([("A", 0), ("B", 100)]))
    x0 = 4 + 3 * 0.74 * 12 * 0.85 + 8
    column = (636 - x0) / 2
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert dots == [
        pytest.approx((x0 + column / 2, 243.2), abs=0.01),
        pytest.approx((x0 + column * 1.5, 23.2), abs=0.01),
    ]
    d = root.find(f".//{SVG}path").get("d")
    assert _points(d) == [pytest.approx(dot, abs=0.01) for dot in dots]


@pytest.mark.parametrize("count", [0, 1, 2, 4, 12, 30])
def test_trend_stays_inside_its_viewbox(count):
    points = [(LONG if i % 2 else f"Assessment {i}", (i * 37) % 101) for i in range(count)]
    if count > 2:
        points[1] = ("Not scored", None)
    root = parse(trend_chart(points))
    check_inside_viewbox(root)


def test_trend_without_assessments_says_so():
    root = parse(trend_chart([]))
    assert "No submitted assessments yet" in all_text(root)
    assert root[1].text == "No submitted assessments to show yet."
    assert list(root.iter(f"{SVG}circle")) == []


def test_trend_escapes_text_and_rejects_scores_outside_0_to_100():
    svg = trend_chart([(NASTY, 50), ("B", 60)], title=NASTY)
    assert "<script>" not in svg
    root = parse(svg)
    assert root[0].text == NASTY_CLEAN
    with pytest.raises(ValueError, match="between 0 and 100"):
        trend_chart([("A", 101)])
    with pytest.raises(ValueError, match="between 0 and 100"):
        trend_chart([("A", -0.5)])
