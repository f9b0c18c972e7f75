"""HTML to PDF with WeasyPrint, loading only our own static files from disk.

A worker has no request to serve static files over HTTP, and a briefing carries staff text, so
the fetcher refuses file:// and every network URL: only STATIC_URL paths are read, from the
static finders (development) or STATIC_ROOT (after collectstatic), and the charts we embed as
SVG data URIs."""

import base64
import binascii
import gc
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments.charts import CHART_URI_PREFIX

# Relative URLs in briefing templates resolve against this; it is never fetched over a network.
BASE_URL = "https://briefing.invalid/"
# Tagged and accessible; rendering and writing both take it (it switches on the tags).
PDF_VARIANT = "pdf/ua-1"


class StaticOnlyURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(CHART_URI_PREFIX):
            try:
                svg = base64.b64decode(url.removeprefix(CHART_URI_PREFIX), validate=True)
            except binascii.Error as error:
                raise ValueError(f"not a chart: {error}") from None
            return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
        path = static_file_for_url(url)
        if path is None:
            raise ValueError(f"briefings may only load our own static files, not {url!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_file_for_url(url: str) -> Path | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path.removeprefix(settings.STATIC_URL)
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def pdf_from_html(html: str, *, title: str, author: str, language: str = "en-GB") -> RenderedPdf:
    """Render a briefing's HTML as a tagged PDF (PDF/UA-1) with its metadata."""
    with cyclic_gc_paused():
        document = weasyprint.HTML(
            string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()
        ).render(pdf_variant=PDF_VARIANT)
        document.metadata.title = title
        document.metadata.authors = [author]
        document.metadata.lang = language
        content = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    return RenderedPdf(content=content, page_count=len(document.pages))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """WeasyPrint makes millions of short-lived objects while it lays out a briefing; the cyclic
    collector, triggered every 700 allocations, walks them again and again (measured: about a
    fifth of the render time). Paused for one render, its garbage is collected once afterwards
    (the worker does it after each job, see reports.tasks), so memory stays flat."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
