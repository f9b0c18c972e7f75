"""The briefing's design fingerprint: derived from the files, so a design change is a new key."""

import re
import shutil
from pathlib import Path

from django.conf import settings

from reports.fingerprint import (
    BRIEFING_DESIGN_FOLDERS,
    briefing_design_fingerprint,
    files_fingerprint,
)

ROOT = Path(settings.BASE_DIR)


def _copy_design(tmp_path: Path) -> Path:
    for folder in BRIEFING_DESIGN_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_the_fingerprint_is_stable_and_read_once():
    first = briefing_design_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert briefing_design_fingerprint() == first
    assert briefing_design_fingerprint.cache_info().currsize == 1


def test_a_copy_of_the_same_files_has_the_same_fingerprint(tmp_path):
    root = _copy_design(tmp_path)
    assert files_fingerprint(root=root, folders=BRIEFING_DESIGN_FOLDERS) == (
        briefing_design_fingerprint()
    )


def test_changing_one_byte_of_the_print_css_changes_the_fingerprint(tmp_path):
    root = _copy_design(tmp_path)
    before = files_fingerprint(root=root, folders=BRIEFING_DESIGN_FOLDERS)
    css = root / "static/reports/print/briefing.css"
    content = bytearray(css.read_bytes())
    content[-2] ^= 1
    css.write_bytes(bytes(content))
    assert files_fingerprint(root=root, folders=BRIEFING_DESIGN_FOLDERS) != before


def test_renaming_or_adding_a_file_changes_the_fingerprint(tmp_path):
    root = _copy_design(tmp_path)
    before = files_fingerprint(root=root, folders=BRIEFING_DESIGN_FOLDERS)
    (root / "templates/reports/pdf/briefing.html").rename(root / "templates/reports/pdf/b.html")
    renamed = files_fingerprint(root=root, folders=BRIEFING_DESIGN_FOLDERS)
    (root / "static/reports/print/extra.css").write_text("")
    added = files_fingerprint(root=root, folders=BRIEFING_DESIGN_FOLDERS)
    assert len({before, renamed, added}) == 3


def test_the_folders_hold_every_file_the_pdf_template_loads():
    """The fingerprint covers the design only if the template and its CSS load nothing else."""
    folders = [ROOT / folder for folder in BRIEFING_DESIGN_FOLDERS]
    templates = list((ROOT / "templates/reports/pdf").rglob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"{%\s*(?:include|extends)\s+['\"]([^'\"]+)['\"]", text):
            assert (ROOT / "templates" / tag).parent in folders, f"{template.name} loads {tag}"
        for path in re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]", text):
            file = ROOT / "static" / path
            assert file.is_file(), path
            assert any(folder in file.parents for folder in folders), f"{path} is not covered"
    for css in (ROOT / "static/reports/print").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(", text), f"{css.name} loads another file"
