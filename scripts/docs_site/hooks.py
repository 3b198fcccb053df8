"""MkDocs hooks: pages written from the code at build time, and the benchmark charts."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
# MkDocs loads this file by path; its package is imported from the repository like the tests do.
sys.path.insert(0, str(REPOSITORY))

from scripts.docs_site.openapi_page import reference, served_document  # noqa: E402
from scripts.docs_site.settings_page import settings_fields, settings_table  # noqa: E402

# The charts stay where the benchmarks write them; the site takes them from there.
IMAGES = ("bench/results.png", "bench/docs.png")
MERMAID_URI = "assets/vendor/mermaid.min.js"
GENERATED: dict[str, Callable[[], str]] = {
    "<!-- generated: openapi reference -->": lambda: reference(served_document()),
    "<!-- generated: settings table -->": lambda: settings_table(settings_fields()),
}


def on_files(files: Any, config: Any) -> Any:
    """Add the benchmark charts under their repository paths, and Mermaid's script."""
    from mkdocs.structure.files import File

    site, directory_urls = config["site_dir"], config["use_directory_urls"]
    for image in IMAGES:
        files.append(File(image, str(REPOSITORY), site, directory_urls))
    mermaid = Path(os.environ.get("MERMAID_JS", "")).resolve()
    if not mermaid.is_file():
        raise SystemExit("MERMAID_JS names no file: build the site with `make docs`")
    files.append(
        File(mermaid.name, str(mermaid.parent), site, directory_urls, dest_uri=MERMAID_URI)
    )
    return files


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace each generation marker with what it names, written from the running code."""
    for marker, write in GENERATED.items():
        if marker in markdown:
            markdown = markdown.replace(marker, write())
    return markdown
