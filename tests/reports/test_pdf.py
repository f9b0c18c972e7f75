import gc
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessments.charts import CHART_URI_PREFIX, chart_image, radar_chart
from reports.pdf import (
    BASE_URL,
    StaticOnlyURLFetcher,
    cyclic_gc_paused,
    pdf_from_html,
    static_file_for_url,
)

HTML = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="/static/reports/print/briefing.css"></head>
<body><h1>Tees Valley</h1><p>Readiness index 42</p>
<img src="file:///etc/passwd" alt=""><img src="http://127.0.0.1:9/x.png" alt=""></body></html>"""


def test_only_our_static_files_are_fetched():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(f"{BASE_URL}static/reports/print/briefing.css")
    assert b"@page" in css.read()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/anything.css",
        "https://example.org/static/reports/print/briefing.css",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../citydigital/settings.py",
        f"{BASE_URL}static/",
    ):
        with pytest.raises(ValueError, match="only load our own static files"):
            fetcher.fetch(url)
    assert static_file_for_url(f"{BASE_URL}static/no/such/file.css") is None


def test_chart_images_are_read_from_their_data_uri_and_other_data_uris_are_refused():
    svg = radar_chart([("Skills", 50), ("Data", 75), ("Services", 25)])
    src = chart_image(svg).src
    assert StaticOnlyURLFetcher().fetch(src).read() == svg.encode()
    for url in (
        "data:text/html;base64,PGI+eDwvYj4=",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml,<svg/>",
    ):
        with pytest.raises(ValueError, match="only load our own static files"):
            StaticOnlyURLFetcher().fetch(url)
    with pytest.raises(ValueError, match="not a chart"):
        StaticOnlyURLFetcher().fetch(f"{CHART_URI_PREFIX}not*base64")


def test_a_chart_is_drawn_and_tagged_as_a_figure_with_its_alt_text():
    image = chart_image(radar_chart([("Skills", 50), ("Data", 75), ("Services", 25)]))
    html = HTML.replace(
        "<p>Readiness index 42</p>", f'<figure><img src="{image.src}" alt="{image.alt}"></figure>'
    )
    rendered = pdf_from_html(html, title="t", author="a")
    reader = PdfReader(BytesIO(rendered.content))
    # The chart's own text is drawn from the SVG.
    assert "Services" in reader.pages[0].extract_text()
    figures = [
        element
        for element in structure_elements(reader.trailer["/Root"]["/StructTreeRoot"])
        if element.get("/S") == "/Figure"
    ]
    assert [str(figure["/Alt"]) for figure in figures] == [image.alt]


def structure_elements(node) -> list:
    """Every element of a tagged PDF's structure tree, depth first."""
    node = node.get_object()
    found = [node] if "/S" in node else []
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and ("/S" in kid or "/K" in kid):
            found += structure_elements(kid)
    return found


HEADINGS = {"/H1", "/H2", "/H3", "/H4"}
BLOCKS = {"/P", "/LI", "/Figure"}


def assert_headings_keep_with_what_they_head(content: bytes) -> None:
    """Read from the PDF's tags: each heading is on the page of the first two blocks under it
    in its chapter (paragraphs, list items, figures, table rows), and each table header on the
    page of the first row after it, so no page ends with a heading or a header alone."""
    reader = PdfReader(BytesIO(content))
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    found = []  # (heading tag, or None for a block; page number; chapter)
    chapter = 0  # WeasyPrint tags each page's part of a section apart: chapters go by their H2
    for element in structure_elements(reader.trailer["/Root"]["/StructTreeRoot"]):
        tag = element["/S"]
        page = page_numbers.get(element.raw_get("/Pg").idnum) if "/Pg" in element else None
        chapter += tag == "/H2"
        if tag in HEADINGS or tag == "/THead":
            found.append((tag, page, chapter))
        elif tag in BLOCKS or (tag == "/TR" and element["/P"].get("/S") == "/TBody"):
            found.append((None, page, chapter))
    assert any(tag == "/H2" and page for tag, page, _ in found), "no pages in the tags"
    alone = []
    for index, (tag, page, heading_chapter) in enumerate(found):
        if tag is None:
            continue
        under = [p for t, p, c in found[index + 1 :] if t is None and c == heading_chapter]
        under = under[: 1 if tag == "/THead" else 2]
        if any(p != page for p in under):
            alone.append(f"{tag} on page {page}, what it heads on pages {under}")
    assert not alone, alone


PAGE_SIDE_MARGIN_PT = 18 * 72 / 25.4  # static/reports/print/briefing.css: @page margin


def assert_no_text_crosses_the_side_margins(content: bytes, tmp_path: Path) -> None:
    """Every word poppler finds on a page lies between the left and right margins: no table
    or line runs into them."""
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(content)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    outside, page, width = [], 0, 0.0
    for line in boxes.splitlines():
        if match := re.search(r'<page width="([\d.]+)"', line):
            page, width = page + 1, float(match.group(1))
        elif match := re.search(
            r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)".*>(.*)</word>', line
        ):
            left, right = float(match.group(1)), float(match.group(2))
            if left < PAGE_SIDE_MARGIN_PT - 0.5 or right > width - PAGE_SIDE_MARGIN_PT + 0.5:
                outside.append(f"page {page}: {match.group(3)!r} from {left:.0f} to {right:.0f} pt")
    assert page, "poppler found no pages"
    assert not outside, outside


def test_pdf_is_tagged_with_metadata_and_refused_urls_do_not_stop_it():
    rendered = pdf_from_html(HTML, title="Tees Valley briefing", author="City Digital Readiness")
    assert rendered.content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(rendered.content))
    assert rendered.page_count == len(reader.pages) == 1
    assert reader.metadata.title == "Tees Valley briefing"
    assert reader.metadata.author == "City Digital Readiness"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "Readiness index 42" in reader.pages[0].extract_text()


def test_the_collector_is_paused_for_a_render_and_restored_after_it_even_on_error():
    assert gc.isenabled()

    def failing_render() -> None:
        with cyclic_gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("a template error")

    with pytest.raises(RuntimeError):
        failing_render()
    assert gc.isenabled()
    pdf_from_html(HTML, title="t", author="a")
    assert gc.isenabled()

    gc.disable()  # a caller that already paused it keeps it paused
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
