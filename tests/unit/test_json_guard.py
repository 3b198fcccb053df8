"""The app's JSON parser refuses repeated keys and otherwise reads what json.loads reads."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from adapters.http.json_guard import UniqueKeysJSONProvider
from core.errors import ValidationError

PROVIDER = UniqueKeysJSONProvider(Flask(__name__))


@pytest.mark.parametrize(
    "text", ['{"a": 1, "a": 1}', '[{"b": {"a": 1, "a": 2}}]', b'{"x": 0, "y": 1, "x": 2}']
)
def test_a_repeated_key_at_any_depth_is_refused_naming_it(text: str | bytes) -> None:
    with pytest.raises(ValidationError) as error:
        PROVIDER.loads(text)
    assert list(error.value.details.values()) == ["must be given once"]


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": [1, 2, {"c": null}]}',
        b'{"title": "caf\xc3\xa9"}',
        '{"title": "caf\\u00e9"}',
        '"text"',
        "3.5",
        '{"A": 1, "a": 2}',
        "{}",
        "[]",
    ],
)
def test_anything_else_reads_as_json_loads_reads_it(text: str | bytes) -> None:
    assert PROVIDER.loads(text) == json.loads(text)


def test_utf16_bytes_and_explicit_options_read_as_json_loads_reads_them() -> None:
    encoded = '{"a": [1]}'.encode("utf-16")
    assert PROVIDER.loads(encoded) == {"a": [1]}
    assert PROVIDER.loads('{"a": 1.5}', parse_float=str) == {"a": "1.5"}
    with pytest.raises(ValidationError):
        PROVIDER.loads('{"a": 1, "a": 2}', parse_float=str)


@pytest.mark.parametrize("text", ['\ufeff{"a": 1}', '{"a": ', b'{"a": "\xff"}', "{'a': 1}"])
def test_malformed_text_fails_as_json_loads_fails(text: str | bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        PROVIDER.loads(text)
