"""The total of a SQL page: read off a page with no row past its limit, counted otherwise."""

from __future__ import annotations

import pytest

from adapters.sql.repository import page_total


class Count:
    def __init__(self, value: int) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> int:
        self.calls += 1
        return self.value


@pytest.mark.parametrize(
    ("fetched", "limit", "offset", "total", "counted"),
    [
        (3, 20, 0, 3, False),  # the only page
        (5, 20, 40, 45, False),  # the last page
        (0, 20, 0, 0, False),  # nothing at all
        (20, 20, 0, 20, False),  # a full page with nothing past its limit is the last
        (21, 20, 0, 99, True),  # a row past the limit: more behind it
        (0, 20, 200, 99, True),  # past the end: where the end is needs a count
    ],
)
def test_page_total(fetched: int, limit: int, offset: int, total: int, counted: bool) -> None:
    count = Count(99)
    assert page_total(fetched, limit=limit, offset=offset, count=count) == total
    assert count.calls == int(counted)
