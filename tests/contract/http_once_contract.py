"""The HTTP cases no storage can change: run once, on the memory backend, not once per backend.

Framework errors, unreadable bodies, query strings refused before any service runs, probes, CORS
and the headers of a crash answer are the HTTP adapter's alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient

from core.errors import Unavailable
from tests.contract.http_contract import HttpClients, assert_envelope
from tests.contract.http_problems_contract import assert_problem


class HttpOnceContract(HttpClients):
    """What clients can rely on before any storage is asked."""

    def test_malformed_json_is_400(self, client: FlaskClient, auth: dict[str, str]) -> None:
        response = client.post(
            "/api/items", data='{"title": ', content_type="application/json", headers=auth
        )
        assert_envelope(response, 400)

    def test_absurdly_nested_json_is_400(self, client: FlaskClient, auth: dict[str, str]) -> None:
        response = client.post(
            "/api/items", data="[" * 200_000, content_type="application/json", headers=auth
        )
        assert_envelope(response, 400)

    def test_invalid_utf8_is_400(self, client: FlaskClient, auth: dict[str, str]) -> None:
        response = client.post(
            "/api/items",
            data=b'{"title": "\xff\xfe"}',
            content_type="application/json",
            headers=auth,
        )
        assert_envelope(response, 400)

    def test_a_body_that_is_not_json_is_415(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        response = client.post("/api/items", data="title=x", headers=auth)
        assert_envelope(response, 415)

    def test_a_body_over_the_size_limit_is_413(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        big = '{"title": "' + "x" * (1024 * 1024) + '"}'
        response = client.post(
            "/api/items", data=big, content_type="application/json", headers=auth
        )
        assert_envelope(response, 413)

    @pytest.mark.parametrize(
        "query",
        [
            "limit=0",
            "limit=101",
            "limit=ten",
            "offset=-1",
            "limit=99999999999999999999999",
            "sort=password",
            "sort=title;drop",
            "color=red",
            "limit=1&limit=2",
        ],
    )
    def test_a_bad_listing_query_is_422(self, client: FlaskClient, query: str) -> None:
        assert_envelope(client.get(f"/api/items?{query}"), 422)

    @pytest.mark.parametrize(
        "query",
        [
            {"title[$ne]": "x"},
            {"title_prefix[$regex]": ".*"},
            {"$where": "true"},
            {"title": ["a", "b"]},
        ],
    )
    def test_an_operator_as_a_query_parameter_name_is_422(
        self, client: FlaskClient, auth: dict[str, str], query: dict[str, Any]
    ) -> None:
        self.create(client, auth, "visible")
        assert_envelope(client.get("/api/items", query_string=query), 422)

    def test_an_unknown_route_is_404(self, client: FlaskClient) -> None:
        assert_envelope(client.get("/no/such/route"), 404)

    def test_a_wrong_method_is_405_with_allow(self, client: FlaskClient) -> None:
        response = client.put("/api/items")
        assert_envelope(response, 405)
        assert "POST" in response.headers["Allow"]

    def test_an_unexpected_failure_is_a_bare_500(self, app: Flask, client: FlaskClient) -> None:
        class Exploding:
            def get(self, item_id: str) -> None:
                raise RuntimeError(f"secret detail about {item_id}")

        with app.extensions["container"].item_service.override(providers.Object(Exploding())):
            response = client.get("/api/items/anything")
        body = assert_envelope(response, 500)
        assert "secret" not in body["message"]

    def test_healthz_answers_while_the_process_runs(self, client: FlaskClient) -> None:
        assert client.get("/healthz").get_json() == {"status": "ok"}

    def test_cors_allows_only_configured_origins(self, client: FlaskClient) -> None:
        allowed = client.get("/", headers={"Origin": "http://allowed.example"})
        refused = client.get("/", headers={"Origin": "http://evil.example"})
        assert allowed.headers["Access-Control-Allow-Origin"] == "http://allowed.example"
        assert "Access-Control-Allow-Origin" not in refused.headers

    def test_cors_headers_only_answer_an_origin(self, client: FlaskClient) -> None:
        same_origin = client.get("/")
        assert not [name for name in same_origin.headers.keys() if name.startswith("Access-")]
        cross = client.get("/", headers={"Origin": "http://allowed.example"})
        assert cross.headers["Access-Control-Allow-Credentials"] == "true"

    def test_cors_headers_reach_error_answers_too(self, client: FlaskClient) -> None:
        missing = client.get("/api/items/nope", headers={"Origin": "http://allowed.example"})
        assert_envelope(missing, 404)
        assert missing.headers["Access-Control-Allow-Origin"] == "http://allowed.example"

    def test_cors_lets_scripts_read_the_etag_location_and_request_id(
        self, client: FlaskClient
    ) -> None:
        response = client.get("/", headers={"Origin": "http://allowed.example"})
        exposed = {
            name.strip().lower()
            for name in response.headers["Access-Control-Expose-Headers"].split(",")
        }
        assert {"etag", "location", "x-request-id", "retry-after"} <= exposed

    def test_cors_preflight_lists_methods_and_headers(self, client: FlaskClient) -> None:
        response = client.options(
            "/api/items",
            headers={
                "Origin": "http://allowed.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Content-Type",
            },
        )
        assert response.status_code == 200
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()

    def test_registration_and_login_refuse_a_repeated_key(self, client: FlaskClient) -> None:
        user = '{"username": "dupkey", "password": "correct horse", "password": "battery staple"}'
        registered = client.post("/api/users", data=user, content_type="application/json")
        assert_envelope(registered, 422)
        login = '{"username": "dupkey", "username": "other", "password": "correct horse"}'
        assert_envelope(
            client.post("/api/auth/token", data=login, content_type="application/json"), 422
        )

    @pytest.mark.parametrize(
        "query", ["title=a%00b", "title_prefix=%00", "title%00=x", "sort=title%00"]
    )
    def test_a_filter_holding_nul_is_422(self, client: FlaskClient, query: str) -> None:
        assert_envelope(client.get(f"/api/items?{query}"), 422)

    @pytest.mark.parametrize(
        "body",
        [
            {"username": "nul\u0000user", "password": "correct horse"},
            {"username": "someone", "password": "correct\u0000horse"},
            {"username\u0000": "someone", "password": "correct horse"},
        ],
    )
    def test_a_login_or_registration_holding_nul_is_422(
        self, client: FlaskClient, body: dict[str, str]
    ) -> None:
        assert_envelope(client.post("/api/auth/token", json=body), 422)
        assert_envelope(client.post("/api/users", json=body), 422)

    def test_a_crash_answer_forbids_content_sniffing_too(self, app: Flask) -> None:
        class Exploding:
            def get(self, item_id: str) -> None:
                raise RuntimeError(item_id)

        with app.extensions["container"].item_service.override(providers.Object(Exploding())):
            response = app.test_client().get("/api/items/<script>")
        assert_envelope(response, 500)
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    # RFC 9457: every error the HTTP adapter gives itself, as problem details on request.

    @pytest.mark.parametrize(
        ("method", "path", "data", "content_type", "status"),
        [
            ("POST", "/api/items", '{"title": ', "application/json", 400),
            ("POST", "/api/items", "title=x", "application/x-www-form-urlencoded", 415),
            (
                "POST",
                "/api/items",
                '{"title": "' + "x" * (1024 * 1024) + '"}',
                "application/json",
                413,
            ),
            ("POST", "/api/items", '{"title": "a", "title": "b"}', "application/json", 422),
            ("GET", "/api/nowhere", None, None, 404),
            ("PUT", "/api/items", None, None, 405),
            ("GET", "/api/restricted", None, None, 401),
        ],
    )
    def test_a_framework_error_is_a_problem_when_asked(
        self,
        client: FlaskClient,
        auth: dict[str, str],
        method: str,
        path: str,
        data: str | None,
        content_type: str | None,
        status: int,
    ) -> None:
        headers = {"Accept": "application/problem+json"} | (auth if method == "POST" else {})
        answer = client.open(
            path, method=method, data=data, content_type=content_type, headers=headers
        )
        assert_problem(answer, status, path=path)
        if status == 405:
            assert "POST" in answer.headers["Allow"]

    def test_a_crash_is_a_bare_500_problem(self, app: Flask, client: FlaskClient) -> None:
        class Exploding:
            def get(self, item_id: str) -> None:
                raise RuntimeError(f"secret detail about {item_id}")

        with app.extensions["container"].item_service.override(providers.Object(Exploding())):
            answer = client.get("/api/items/x", headers={"Accept": "application/problem+json"})
        body = assert_problem(answer, 500, path="/api/items/x")
        assert "secret" not in answer.get_data(as_text=True)
        assert body["title"] == "Internal Server Error"

    # Idempotency-Key: what the header must look like, and what is never kept.

    @pytest.mark.parametrize(
        "key",
        [
            "plain-token",
            '""',
            '"' + "k" * 256 + '"',
            '"key";p=1',
            '%"display"',
            '"key',
            ' "key" ',
            '"a", "b"',
        ],
    )
    def test_a_malformed_or_overlong_key_is_400_and_writes_nothing(
        self, client: FlaskClient, auth: dict[str, str], key: str
    ) -> None:
        answer = client.post(
            "/api/items", json={"title": "keyed"}, headers={**auth, "Idempotency-Key": key}
        )
        assert "Idempotency-Key" in assert_envelope(answer, 400)["message"]
        assert client.get("/api/items").get_json()["total"] == 0

    def test_the_longest_key_and_escaped_quotes_are_accepted(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        for key in ('"' + "k" * 255 + '"', r'"say \"hi\" \\ bye"'):
            headers = {**auth, "Idempotency-Key": key}
            first = client.post("/api/items", json={"title": key[-12:]}, headers=headers)
            again = client.post("/api/items", json={"title": key[-12:]}, headers=headers)
            assert first.status_code == again.status_code == 201, first.get_data(as_text=True)
            assert again.headers["Idempotent-Replayed"] == "true"
        assert client.get("/api/items").get_json()["total"] == 2

    def test_a_server_error_is_not_kept_so_the_retry_writes(
        self, app: Flask, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        container = app.extensions["container"]
        real = container.item_service()

        class Down:
            def create(self, **_fields: Any) -> None:
                raise Unavailable("storage is not answering")

        headers = {**auth, "Idempotency-Key": '"after-an-outage"'}
        with container.item_service.override(providers.Object(Down())):
            failed = client.post("/api/items", json={"title": "once"}, headers=headers)
        assert_envelope(failed, 503)
        with container.item_service.override(providers.Object(real)):
            retried = client.post("/api/items", json={"title": "once"}, headers=headers)
        assert retried.status_code == 201
        assert "Idempotent-Replayed" not in retried.headers
        assert client.get("/api/items").get_json()["total"] == 1
