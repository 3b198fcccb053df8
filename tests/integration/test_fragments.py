"""A fragment of docs/scaffold.md goes into a generated file the way the page says it does."""

from __future__ import annotations

from pathlib import Path

from tests.integration.fragments import apply

GENERATED = """from core.query import Sort


@dataclass
class EventQuery:
    kind: str | None = None
    sort: tuple[Sort, ...] = ()


EVENTS = ResourceType(
    name="events",
)
RESOURCE = Resource.of(EVENTS)
"""
FRAGMENT = """from core.queryable import Filter


def archive_route() -> None:
    pass


@dataclass
class EventQuery:
    ...
    owner_id: str | None = None  # beside the generated filters


EVENTS = ResourceType(..., extra_filters=(Filter("owner_id"),))
RESOURCE = Resource.of(EVENTS, actions=(archive_route,))
"""


APPLIED = """from core.query import Sort
from core.queryable import Filter


@dataclass
class EventQuery:
    kind: str | None = None
    sort: tuple[Sort, ...] = ()
    owner_id: str | None = None  # beside the generated filters


EVENTS = ResourceType(
    name="events",
    extra_filters=(Filter("owner_id"),),
)


def archive_route() -> None:
    pass


RESOURCE = Resource.of(EVENTS, actions=(archive_route,))
"""


def test_a_fragment_goes_in_beside_the_generated_code_as_the_page_says(tmp_path: Path) -> None:
    (tmp_path / "events.py").write_text(GENERATED)
    apply(tmp_path, "events.py", FRAGMENT)
    assert (tmp_path / "events.py").read_text() == APPLIED
