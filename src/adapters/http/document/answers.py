"""A route's documented responses, with the headers it reads and sends and its links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spectree import Response

from adapters.http.document.headers import REQUEST_HEADERS, RESPONSE_HEADERS


class Answers(Response):
    """spectree's documented responses, with the headers a route reads and sends.

    `reads`: request headers the route honours (`requires`: those of them it demands);
    `sends`: status -> response headers it adds;
    `links`: status -> {target operation id: {parameter: runtime expression}}.
    """

    def __init__(
        self,
        *codes: str,
        reads: Sequence[str] = (),
        requires: Sequence[str] = (),
        sends: Mapping[int, Sequence[str]] | None = None,
        links: Mapping[int, Mapping[str, Mapping[str, str]]] | None = None,
        **code_models: Any,
    ) -> None:
        super().__init__(*codes, **code_models)
        sent = {name for names in (sends or {}).values() for name in names}
        unknown = ({*reads} - REQUEST_HEADERS.keys()) | (sent - RESPONSE_HEADERS.keys())
        if unknown:
            raise ValueError(f"undeclared headers: {sorted(unknown)}")
        if not {*requires} <= {*reads}:
            raise ValueError(f"required headers it does not read: {sorted({*requires} - {*reads})}")
        self.reads = tuple(reads)
        self.requires = frozenset(requires)
        self.sends = {str(status): tuple(names) for status, names in (sends or {}).items()}
        self.links = {str(status): dict(targets) for status, targets in (links or {}).items()}
