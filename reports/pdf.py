"""HTML to PDF with WeasyPrint, loading only our own static files from disk.

A worker has no request to serve static files over HTTP, and a briefing carries staff text, so
the fetcher refuses file:// and every network URL: only STATIC_URL paths are read, from the
static finders (development) or STATIC_ROOT (after collectstatic)."""

import mimetypes
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in briefing templates resolve against this; it is never fetched over a network.
BASE_URL = "https://briefing.invalid/"


class StaticOnlyURLFetcher(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
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


def pdf_from_html(html: str, *, title: str, author: str, language: str = "en-GB") -> bytes:
    """Render a briefing's HTML as a tagged PDF (PDF/UA-1) with its metadata."""
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()
    ).render()
    document.metadata.title = title
    document.metadata.authors = [author]
    document.metadata.lang = language
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


def pdf_page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)
