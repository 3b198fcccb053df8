"""RFC 9457 problem details for the errors storage gives, on every backend and resource."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.contract.http_contract import session_token
from tests.contract.http_resource_contract import ResourceClients
from tests.contract.http_resource_spec import Body, HttpResourceSpec

PROBLEM = {"Accept": "application/problem+json"}


def assert_problem(response: TestResponse, status: int, *, path: str) -> dict[str, Any]:
    """The answer is problem details (RFC 9457 §3.1) with this status, about this path."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["instance"] == path
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert not {"error", "success", "message"} & body.keys()
    assert "Accept" in response.headers.get("Vary", "")
    return body


class HttpProblemsContract(ResourceClients):
    """A client asking for problem details gets them for every error a resource gives."""

    def test_a_missing_one_is_a_404_problem(
        self, client: FlaskClient, resource: HttpResourceSpec
    ) -> None:
        url = f"{resource.url}/" + "0" * 32
        body = assert_problem(client.get(url, headers=PROBLEM), 404, path=url)
        assert body["title"] == "Not Found"

    def test_an_invalid_body_is_a_422_problem_naming_each_field_by_pointer(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        wrong = dict.fromkeys(resource.new(), 12345) | {"unexpected": True}
        answer = client.post(resource.url, json=wrong, headers=auth | PROBLEM)
        body = assert_problem(answer, 422, path=resource.url)
        pointers = {each["pointer"] for each in body["errors"]}
        assert pointers == {f"/{name}" for name in wrong}
        assert all(each["detail"] for each in body["errors"])
        assert client.get(resource.url).get_json()["total"] == 0

    def test_an_invalid_query_is_a_422_problem_naming_the_parameter(
        self, client: FlaskClient, resource: HttpResourceSpec
    ) -> None:
        answer = client.get(f"{resource.url}?limit=0&unknown=1", headers=PROBLEM)
        body = assert_problem(answer, 422, path=resource.url)
        assert {each["parameter"] for each in body["errors"]} == {"limit", "unknown"}

    def test_a_conflict_a_stale_version_and_a_stranger_are_problems_too(
        self,
        app: Flask,
        client: FlaskClient,
        auth: dict[str, str],
        resource: HttpResourceSpec,
        created: Body,
    ) -> None:
        url = self.url_of(resource, created)
        for field in resource.unique:
            repeated = resource.new() | {field: created[field]}
            answer = client.post(resource.url, json=repeated, headers=auth | PROBLEM)
            assert_problem(answer, 409, path=resource.url)
        stale = client.patch(
            url, json=resource.change(), headers=auth | PROBLEM | {"If-Match": '"v9"'}
        )
        assert_problem(stale, 412, path=url)
        stranger = app.test_client()
        theirs = stranger.delete(url, headers=session_token(stranger) | PROBLEM)
        assert_problem(theirs, 403, path=url)
        unauthenticated = client.post(resource.url, json=resource.new(), headers=PROBLEM)
        assert_problem(unauthenticated, 401, path=resource.url)
        assert "Bearer" in unauthenticated.headers["WWW-Authenticate"]
        assert client.get(url).get_json() == created

    def test_the_envelope_stays_for_a_client_that_asks_for_json_or_anything(
        self, client: FlaskClient, resource: HttpResourceSpec
    ) -> None:
        url = f"{resource.url}/" + "0" * 32
        for accept in (
            None,
            "*/*",
            "application/json",
            "application/json, application/problem+json;q=0.5",
        ):
            answer = client.get(url, headers={"Accept": accept} if accept else {})
            assert answer.mimetype == "application/json"
            assert answer.get_json()["error"] == 404
