"""With sessions in Redis, a traced request shows its Redis commands under its own span."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)

from tests.helpers import app_settings
from tests.integration.processes import redis_server
from tests.tracing import one_span, parent_of, traced_app

pytestmark = pytest.mark.integration


def test_the_session_stores_redis_commands_are_children_of_the_request_span(
    tmp_path: Path,
) -> None:
    exporter = InMemorySpanExporter()
    with redis_server(tmp_path) as server:
        app = traced_app(app_settings(SESSION_TYPE="redis", REDIS_URL=server.url), exporter)
        assert app.test_client().get("/api/public").status_code == 200
        app.extensions["container"].redis().close()
    spans = exporter.get_finished_spans()
    http = one_span(spans, "GET /api/public")
    commands = [span for span in spans if span.attributes and "db.system" in span.attributes]
    assert commands, [span.name for span in spans]
    assert all(parent_of(command, spans) is http for command in commands)


class AskedSampler(Sampler):
    """Drops every span it is asked about, and counts the questions."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def should_sample(self, *args: Any, **kwargs: Any) -> SamplingResult:
        self.asked.append(kwargs.get("name", args[2] if len(args) > 2 else ""))
        return SamplingResult(Decision.DROP)

    def get_description(self) -> str:
        return "asked"


def test_a_dropped_request_sends_its_redis_commands_without_asking_for_spans(
    tmp_path: Path,
) -> None:
    children = AskedSampler()
    sampler = ParentBased(ALWAYS_OFF, local_parent_not_sampled=children)
    with redis_server(tmp_path) as server:
        app = traced_app(
            app_settings(SESSION_TYPE="redis", REDIS_URL=server.url),
            InMemorySpanExporter(),
            sampler=sampler,
        )
        assert app.test_client().get("/api/public").status_code == 200
        client = app.extensions["container"].redis()
        # The session was written: the commands ran, through the client itself.
        stored = client.keys("*")
        client.close()
    assert stored
    assert children.asked == []
