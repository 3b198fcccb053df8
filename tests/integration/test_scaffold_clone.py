"""Three resources generated in a clean clone, then lint and their tests green, with no hand edit.

The clone is of the project's committed HEAD; it reuses this environment's tools, its own `src`
first on the path. Its tests run on memory, mongomock, SQLite, PostgreSQL and MariaDB (the
servers the environment names; CI names both), selected to the generated resources: the first
one's by the very command `resource new` prints (timed: the figure of docs/scaffold.md), the
other two's beside the migrations of all three. Before the lint, docs/scaffold.md's fragments
of "Going on by hand" are applied to the events and bookmarks as the page shows them, so the
lint and their tests (the fragments' own among them) prove the page's rule, query, action and
relation work; the bookmarks' HTTP contracts run again on memory, the relation's rule in place.

A project that has generated a resource of one of these names itself (its catalogue holds it)
gets the three under a prefix instead, its fragments renamed to match: `page_events`, class
`PageEvent`, `/api/page_events`. The template's own clone runs the page verbatim.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.catalogue import RESOURCES as REGISTERED
from tests.integration.fragments import apply, fragments
from tests.integration.servers import SERVERS, server_url

PROJECT = Path(__file__).resolve().parents[2]
PAGE = "docs/scaffold.md"
BIN = Path(sys.executable).parent
#: list + unique + an optional reference; enum + date range filter + optional decimal; nobody's,
#: written with a permission
RESOURCES = {
    "bookmarks": [
        "url:str:200:unique:filter",
        "title:str:120:sort",
        "tags:list:0..10",
        "event_id:str:32:optional:filter",
    ],
    "events": [
        "kind:enum:talk,workshop,meetup:filter:sort",
        "happens_on:date:2020-01-01..2040-12-31:filter:sort",
        "fee:decimal:0..10000:optional:filter",
        "summary:text:optional",
        "archived:bool:filter:default=false",
    ],
    "countries": [
        "code:str:2:unique:filter:sort",
        "name:str:80:sort",
        "--not-owned",
        "--permission",
        "countries:write",
    ],
}
PREFIX = "page_" if {each.name for each in REGISTERED} & set(RESOURCES) else ""
# Each word of the page's resources (events, Event, EVENTS, event_id, test_events), prefixed.
_WORDS = re.compile(r"(?<![A-Za-z0-9])(event|bookmark|countr)|(?<![A-Z0-9])(Event|Bookmark|Countr)")


def named(text: str) -> str:
    """The text with the page's resources renamed as this project generates them."""
    if not PREFIX:
        return text

    def prefixed(word: re.Match[str]) -> str:
        if word[1]:
            return PREFIX + word[1]
        return PREFIX.title().replace("_", "") + word[2]

    upper = re.sub(
        r"(?<![A-Za-z0-9])(EVENT|BOOKMARK|COUNTR)", lambda word: PREFIX.upper() + word[1], text
    )
    return _WORDS.sub(prefixed, upper)


NAMES = {named(name): [named(each) for each in fields] for name, fields in RESOURCES.items()}
FIRST, *OTHERS = NAMES
# The other resources' Repository and HTTP resource contracts, and the migrations; their
# conditional-request contracts, the same code for every resource, ran on the first one. Of
# the first one, after the fragments: its own tests and its HTTP contracts on memory.
SELECTED = (
    f"({' or '.join(OTHERS)} or migrat or test_{FIRST} or ({FIRST} and test_http_declared))"
    " and not if_match and not if_none_match"
)
TESTS = [
    "tests/unit/resources",
    "tests/unit/adapters/test_declared_resources.py",
    "tests/unit/test_http_declared.py",
    "tests/integration/test_declared_mongomock.py",
    "tests/integration/test_declared_sql.py",
    "tests/integration/test_migrations.py",
]


def run(clone: Path, *command: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(clone / "src")}
    done = subprocess.run(  # noqa: S603 - our own tools
        command, cwd=clone, env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for variable in SERVERS.values():
        server_url(variable)  # skips here, or fails in CI, without the servers
    target = tmp_path_factory.mktemp("clone") / "project"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT), str(target)], check=True)  # noqa: S607
    return target


def new(clone: Path, name: str) -> str:
    output = run(clone, str(BIN / "flask"), "--app", "api", "resource", "new", name, *NAMES[name])
    assert f"wrote src/core/resources/{name}.py" in output
    return output


def green(report: str) -> None:
    assert " passed" in report and "failed" not in report and "skipped" not in report, report


def test_the_page_generates_the_resources_its_fragments_extend() -> None:
    page = (PROJECT / PAGE).read_text().replace("\\\n    ", "")
    for name in ("events", "bookmarks"):
        assert f"resource new {name} {' '.join(RESOURCES[name])}\n" in page


def test_three_generated_resources_pass_lint_and_their_tests_on_every_backend(clone: Path) -> None:
    started = time.perf_counter()
    printed = new(clone, FIRST).split("its tests: ", 1)[1].strip()
    command = shlex.split(printed.replace(".venv/bin/", f"{BIN}/", 1))
    report = run(clone, *command, "-p", "no:cacheprovider")
    elapsed = time.perf_counter() - started
    green(report)
    # The figure docs/scaffold.md reports (noisy: the machine is shared).
    print(f"{FIRST}, command to green: {elapsed:.0f} s; {report.splitlines()[-1]}")  # noqa: T201
    for name in OTHERS:
        new(clone, name)
    listed = run(clone, str(BIN / "flask"), "--app", "api", "resource", "list")
    assert all(f"{name} at /api/{name}" in listed for name in NAMES)
    applied = [(named(path), named(source)) for path, source in fragments(clone / PAGE)]
    extended = [named(name) for name in ("events", "bookmarks")]
    services = {f"src/core/services/{name}.py" for name in extended}
    tests = {f"tests/unit/resources/test_{name}.py" for name in extended}
    assert {path for path, _ in applied} >= services | tests
    for path, source in applied:
        apply(clone, path, source)
    # Imports go in beside the others; ruff puts them in order, as an editor would.
    touched = sorted({path for path, _ in applied})
    run(clone, str(BIN / "ruff"), "check", "--fix", "--select", "I", *touched)
    run(clone, str(BIN / "ruff"), "format", *touched)
    run(clone, str(BIN / "ruff"), "check", ".")
    run(clone, str(BIN / "ruff"), "format", "--check", ".")
    if (PROJECT / ".mypy_cache").is_dir():
        # mypy checks again each module whose text differs from the cached one's, so a copy
        # of the project's cache spares it only the modules the clone did not change.
        shutil.copytree(PROJECT / ".mypy_cache", clone / ".mypy_cache")
    run(clone, str(BIN / "mypy"))
    run(clone, str(BIN / "lint-imports"))
    report = run(
        clone, str(BIN / "pytest"), "-q", "-rA", "-p", "no:cacheprovider", "-k", SELECTED, *TESTS
    )
    green(report)
    for path, source in applied:
        for name in re.findall(r"^def (test_\w+)", source, re.M):
            assert f"PASSED {path}::{name}" in report, name
