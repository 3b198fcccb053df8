"""A resource's service is traced whatever its name, without a method of its own here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.observed_services import ObservedServices


class NoteService:
    def get(self, note_id: str) -> str:
        return f"note {note_id}"


class Registry:
    """The services of an app with one resource beyond the shipped ones."""

    def __init__(self) -> None:
        self.notes = NoteService()

    def note_service(self) -> NoteService:
        return self.notes

    def readiness_checks(self) -> Mapping[str, Any]:
        return {}


def observed(exporter: InMemorySpanExporter) -> Any:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return ObservedServices(Registry(), tracer=provider.get_tracer("test"), metrics=None)  # type: ignore[arg-type]


def test_any_resources_service_is_reached_and_traced() -> None:
    exporter = InMemorySpanExporter()
    services = observed(exporter)
    assert services.note_service().get("n1") == "note n1"
    assert [span.name for span in exporter.get_finished_spans()] == ["NoteService.get"]


def test_a_name_that_is_no_service_is_not_invented() -> None:
    with pytest.raises(AttributeError):
        _ = observed(InMemorySpanExporter()).note_repository
