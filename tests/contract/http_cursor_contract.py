"""Cursor pages of every resource's listing, from its spec alone, on every backend.

A walk by `next` must show what the offset walk shows on a quiet table, in every sort and both
ways, with the same pages in its `Link` header; a cursor taken to another listing is refused
with 400 and the envelope (an edited or cut one: `http_refusals_contract.py`, once).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.contract.http_contract import assert_envelope
from tests.contract.http_resource_spec import Body, HttpResourceSpec

LINK = re.compile(r'<([^>]*)>; rel="(next|prev)"')
WALK_LIMIT = 2


def links(response: TestResponse) -> dict[str, str]:
    """The RFC 8288 links of an answer, by relation."""
    return {rel: url for url, rel in LINK.findall(response.headers.get("Link", ""))}


def ids(page: Body) -> list[str]:
    return [entity["id"] for entity in page["items"]]


def offset_walk(client: FlaskClient, resource: HttpResourceSpec, sort: str) -> list[list[str]]:
    """Each page's ids, by offset."""
    pages, offset = [], 0
    while True:
        query = {"sort": sort, "limit": WALK_LIMIT, "offset": offset}
        page = client.get(resource.url, query_string=query).get_json()
        if not page["items"]:
            return pages
        pages.append(ids(page))
        offset += WALK_LIMIT


def cursor_walk(
    client: FlaskClient, resource: HttpResourceSpec, sort: str
) -> tuple[list[list[str]], Body]:
    """Each page's ids following `next` from the first page, and the last page."""
    response = client.get(resource.url, query_string={"sort": sort, "limit": WALK_LIMIT})
    page = response.get_json()
    pages = [ids(page)]
    while page["next"] is not None:
        assert links(response)["next"].endswith(f"cursor={page['next']}")
        query = {"sort": sort, "limit": WALK_LIMIT, "cursor": page["next"]}
        response = client.get(resource.url, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert (page["total"], page["offset"]) == (None, None)
        pages.append(ids(page))
    assert "next" not in links(response)
    return pages, page


class HttpCursorContract:
    """`cursor`, `next`, `prev` and `Link` on every resource's listing."""

    @staticmethod
    def post_new(client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec) -> Body:
        response = client.post(resource.url, json=resource.new(), headers=auth)
        assert response.status_code == 201, response.get_data(as_text=True)
        made: Body = response.get_json()
        return made

    def test_a_cursor_walk_through_every_sort_equals_the_offset_walk(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        made = {self.post_new(client, auth, resource)["id"] for _ in range(5)}
        for key in resource.sorts:
            for sort in (key, f"-{key}"):
                by_offset = offset_walk(client, resource, sort)
                by_cursor, last = cursor_walk(client, resource, sort)
                assert by_cursor == by_offset, sort
                assert {each for page in by_cursor for each in page} == made
                # And back again by `prev`, page by page, to the first page.
                back, page = [], last
                while page["prev"] is not None:
                    query = {"sort": sort, "limit": WALK_LIMIT, "cursor": page["prev"]}
                    page = client.get(resource.url, query_string=query).get_json()
                    back.append(ids(page))
                assert back == by_offset[-2::-1], sort

    def test_the_link_header_leads_to_the_pages_next_and_prev_name(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for _ in range(5):
            self.post_new(client, auth, resource)
        first = client.get(resource.url, query_string={"limit": WALK_LIMIT})
        assert set(links(first)) == {"next"} and first.get_json()["prev"] is None
        second = client.get(links(first)["next"])
        assert set(links(second)) == {"next", "prev"}
        assert parse_qs(urlsplit(links(second)["prev"]).query)["limit"] == [str(WALK_LIMIT)]
        body = second.get_json()
        by_body = client.get(resource.url, query_string={"limit": 2, "cursor": body["next"]})
        assert client.get(links(second)["next"]).get_json() == by_body.get_json()
        assert ids(client.get(links(second)["prev"]).get_json()) == ids(first.get_json())

    def test_a_cursor_keeps_working_with_another_limit(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for _ in range(4):
            self.post_new(client, auth, resource)
        whole = ids(client.get(resource.url, query_string={"limit": 10}).get_json())
        first = client.get(resource.url, query_string={"limit": 1}).get_json()
        rest = client.get(resource.url, query_string={"limit": 10, "cursor": first["next"]})
        assert ids(first) + ids(rest.get_json()) == whole
        assert rest.get_json()["next"] is None

    def test_a_cursor_taken_to_another_sort_or_filter_is_400(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        made = [self.post_new(client, auth, resource) for _ in range(3)]
        key = resource.sorts[0]
        cursor = client.get(resource.url, query_string={"limit": 1, "sort": key}).get_json()["next"]
        elsewhere = [{"sort": f"-{key}"}] + [
            {"sort": key, parameter: value_of(made[0])}
            for parameter, value_of in (resource.filters or {}).items()
        ]
        for query in elsewhere:
            answer = client.get(resource.url, query_string={**query, "cursor": cursor})
            assert_envelope(answer, 400)
        # The same listing, its parameters in another order, takes it.
        same = client.get(f"{resource.url}?cursor={cursor}&limit=1&sort={key}")
        assert same.status_code == 200, same.get_data(as_text=True)

    def test_an_offset_page_keeps_its_total_and_offset_and_names_its_neighbours(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for _ in range(3):
            self.post_new(client, auth, resource)
        page = client.get(resource.url, query_string={"limit": 1, "offset": 1}).get_json()
        assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
        assert page["next"] is not None and page["prev"] is not None
        last = client.get(resource.url, query_string={"limit": 2, "offset": 1}).get_json()
        assert last["next"] is None
