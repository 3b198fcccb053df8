"""One traced POST /api/items: HTTP span, then the use case, then its SQL, on real databases."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

from adapters.sql.database import SqlDatabase, db_create_all
from tests.helpers import app_settings
from tests.integration.processes import gunicorn_service, service_env, wait_until
from tests.tracing import parent_of, traced_app

pytestmark = pytest.mark.integration
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    name = request.param
    database: SqlDatabase = request.getfixturevalue(f"{name}_database")
    yield database.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def postgresql_database(request: pytest.FixtureRequest) -> SqlDatabase:
    database: SqlDatabase = request.getfixturevalue("postgresql_server_database")
    return database


def test_a_created_item_is_traced_from_http_through_the_use_case_to_its_sql(
    database_url: str,
) -> None:
    exporter = InMemorySpanExporter()
    app = traced_app(app_settings(STORAGE_BACKEND="sql", DATABASE_URL=database_url), exporter)
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    exporter.clear()
    try:
        assert client.post("/api/items", json={"title": "traced"}, headers=auth).status_code == 201
    finally:
        app.extensions["container"].sql_database().dispose()
    spans = exporter.get_finished_spans()
    inserts = [span for span in spans if span.name.startswith("INSERT")]
    assert len(inserts) == 1, [span.name for span in spans]
    use_case = parent_of(inserts[0], spans)
    assert use_case.name == "ItemService.create"
    http = parent_of(use_case, spans)
    assert http.name == "POST /api/items"
    assert http.parent is None
    trace_ids = {span.context.trace_id for span in (inserts[0], use_case, http) if span.context}
    assert len(trace_ids) == 1


def test_a_sampled_traceparent_is_traced_down_to_sql_though_the_sampler_drops_new_traces(
    database_url: str,
) -> None:
    exporter = InMemorySpanExporter()
    sampler = ParentBased(TraceIdRatioBased(0))
    settings = app_settings(STORAGE_BACKEND="sql", DATABASE_URL=database_url)
    app = traced_app(settings, exporter, sampler=sampler)
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    try:
        # Each response is closed at once: OpenTelemetry's middleware ends a span with the body.
        assert client.post("/api/items", json={"title": "dropped"}, headers=auth).status_code == 201
        assert exporter.get_finished_spans() == ()
        sampled = auth | {"traceparent": f"00-{TRACE_ID}-{PARENT}-01"}
        assert client.post("/api/items", json={"title": "kept"}, headers=sampled).status_code == 201
        # The engine a dropped request's units run on dispatches no statement event at all.
        assert not app.extensions["container"].sql_database().engine._has_events
    finally:
        app.extensions["container"].sql_database().dispose()
    spans = exporter.get_finished_spans()
    (insert,) = [span for span in spans if span.name.startswith("INSERT")]
    use_case = parent_of(insert, spans)
    http = parent_of(use_case, spans)
    assert (use_case.name, http.name) == ("ItemService.create", "POST /api/items")
    assert http.parent is not None and format(http.parent.span_id, "016x") == PARENT
    assert {format(span.context.trace_id, "032x") for span in spans if span.context} == {TRACE_ID}


class Receiver(BaseHTTPRequestHandler):
    """An OTLP/HTTP trace receiver: decodes each export and keeps its spans."""

    spans: list[Any]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        export = ExportTraceServiceRequest()
        export.ParseFromString(body)
        for resource_spans in export.resource_spans:
            self.server.services.update(  # type: ignore[attr-defined]
                attribute.value.string_value
                for attribute in resource_spans.resource.attributes
                if attribute.key == "service.name"
            )
            for scope_spans in resource_spans.scope_spans:
                self.server.spans.extend(scope_spans.spans)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.spans = []  # type: ignore[attr-defined]
    server.services = set()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_spans_reach_an_otlp_http_receiver_from_gunicorn_with_the_trace_id_in_the_access_log(
    tmp_path: Path, receiver: ThreadingHTTPServer
) -> None:
    db_create_all(f"sqlite:///{tmp_path / 'app.db'}")
    env = service_env(
        tmp_path,
        OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{receiver.server_address[1]}",
        OTEL_SERVICE_NAME="hexapi-under-test",
        OTEL_BSP_SCHEDULE_DELAY="50",
    )
    with gunicorn_service(env, tmp_path / "run") as service:
        public = service.call("GET", "/api/public")
        cookie = public.headers["set-cookie"].split(";", 1)[0]
        headers = {"Authorization": f"Bearer {public.json()['token']}", "Cookie": cookie}
        created = service.call("POST", "/api/items", headers=headers, body={"title": "exported"})
        assert created.status == 201
        spans: list[Any] = receiver.spans  # type: ignore[attr-defined]

        def exported() -> bool:
            return any(span.name == "ItemService.create" for span in spans)

        wait_until(exported, timeout=15, what="the use-case span at the receiver")
        wait_until(
            lambda: any(span.name.startswith("INSERT") for span in spans),
            timeout=15,
            what="the SQL span at the receiver",
        )
    by_id = {span.span_id: span for span in spans}
    insert = next(span for span in spans if span.name.startswith("INSERT"))
    use_case = by_id[insert.parent_span_id]
    http = by_id[use_case.parent_span_id]
    assert (use_case.name, http.name) == ("ItemService.create", "POST /api/items")
    assert insert.trace_id == use_case.trace_id == http.trace_id
    assert receiver.services == {"hexapi-under-test"}  # type: ignore[attr-defined]
    access = [
        json.loads(line)
        for line in (tmp_path / "run" / "access.log").read_text().splitlines()
        if line.startswith("{") and '"/api/items"' in line
    ]
    assert [record["trace_id"] for record in access] == [http.trace_id.hex()]
