"""A fingerprint of what a briefing looks like: the content of the files its PDF is made of.

It is part of a briefing's content hash (reports.selectors.briefing_content), so a change to the
PDF template or the print CSS makes the next request render a new file instead of serving one
cached for the old design; nobody has to remember to bump a version."""

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings

# The PDF template (templates/reports/pdf/briefing.html, which includes and extends nothing)
# and the print CSS it links (which imports and loads no other file). Charts are drawn in code
# and embedded as data URIs, so they are not files here.
BRIEFING_DESIGN_FOLDERS = ("templates/reports/pdf", "static/reports/print")


def files_fingerprint(*, root: Path, folders: Iterable[str]) -> str:
    """sha256 over every file under `folders` (relative to `root`), in order of their relative
    paths, each as its path and its bytes: the same files give the same fingerprint anywhere."""
    files = sorted(
        (path.relative_to(root).as_posix(), path)
        for folder in folders
        for path in (root / folder).rglob("*")
        if path.is_file()
    )
    digest = hashlib.sha256()
    for relative, path in files:
        content = path.read_bytes()
        digest.update(f"{relative}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


@cache
def briefing_design_fingerprint() -> str:
    """Read once per process: the files change only with a deployment."""
    return files_fingerprint(root=Path(settings.BASE_DIR), folders=BRIEFING_DESIGN_FOLDERS)
