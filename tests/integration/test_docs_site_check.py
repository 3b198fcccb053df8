"""The site checker fails on a broken link, image or anchor, and passes a sound site."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripts.docs_site.check_site import check_links, serving

PAGE = '<html><body><h2 id="{anchor}">Part</h2><a href="{href}">next</a>{extra}</body></html>'


def site(folder: Path, *, href: str, anchor: str = "part", extra: str = "") -> Path:
    """A two-page site whose home page links to `href`."""
    (folder / "other").mkdir(parents=True)
    (folder / "index.html").write_text(PAGE.format(anchor="top", href=href, extra=extra))
    (folder / "other" / "index.html").write_text(PAGE.format(anchor=anchor, href="../", extra=""))
    return folder


def checked(folder: Path) -> None:
    with serving(folder) as root:
        check_links(root)


def test_a_sound_site_passes(tmp_path: Path) -> None:
    checked(site(tmp_path, href="other/#part"))


def test_a_link_to_a_missing_page_fails(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="broken link"):
        checked(site(tmp_path, href="missing/"))


def test_a_missing_image_fails(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="broken link"):
        checked(site(tmp_path, href="other/", extra='<img src="chart.png" alt="chart">'))


def test_a_link_to_a_missing_anchor_fails(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="broken link"):
        checked(site(tmp_path, href="other/#elsewhere"))
