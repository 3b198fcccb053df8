"""Serve the built site on loopback and check it: links and anchors, then optionally screenshots.

    python scripts/docs_site/check_site.py [--site site] [--screenshots docs/images] [--skip-links]

Links: linkchecker crawls every page from the home page, internal links only, anchors included
(a missing page, image, script or `#anchor` fails). Screenshots: Debian's headless Chromium renders
the home and architecture pages, Mermaid included, with the site as the only thing it can reach.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=15000",
    "--window-size=1280,1400",
]
SCREENSHOTS = {"home.png": "", "architecture.png": "architecture/"}


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, *_: object) -> None:
        return


class QuietServer(ThreadingHTTPServer):
    """A checker that stops reading a page early is no error of the site's."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """The site on a free loopback port, served from a background thread; yields its root URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    with QuietServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def check_links(root: str) -> None:
    """linkchecker over every page reachable from the home page; exits non-zero on a broken link."""
    binary = Path(sys.executable).with_name("linkchecker")
    command = [str(binary), "--config", str(HERE / "linkcheckerrc"), "--no-status", root]
    if subprocess.run(command, check=False).returncode != 0:
        raise SystemExit("linkchecker found a broken link, image, script or anchor (above)")


def chromium(*args: str) -> str:
    """Run headless Chromium once, with a profile of its own; its standard output."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
        return done.stdout


def take_screenshots(root: str, folder: Path) -> None:
    """Screenshots of the home and architecture pages, after checking that Mermaid drew."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, page in SCREENSHOTS.items():
        dom = chromium("--dump-dom", root + page)
        if 'class="mermaid"' in dom and "<svg" not in dom:
            raise SystemExit(f"{root + page}: a Mermaid diagram did not render")
        chromium(f"--screenshot={(folder / name).resolve()}", root + page)
        print(f"{root + page} -> {folder / name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument("--skip-links", action="store_true", help="only the screenshots")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site} holds no built site: run make docs")
    with serving(args.site) as root:
        if not args.skip_links:
            check_links(root)
        if args.screenshots:
            take_screenshots(root, args.screenshots)


if __name__ == "__main__":
    main()
