"""Every HTTP contract in one class: each backend's HTTP test module subclasses it unchanged."""

from __future__ import annotations

from tests.contract.http_auth_contract import HttpAuthContract
from tests.contract.http_conditional_contract import HttpConditionalContract
from tests.contract.http_contract import HttpContract
from tests.contract.http_input_contract import HttpInputContract


class HttpSuite(HttpContract, HttpAuthContract, HttpConditionalContract, HttpInputContract):
    """The whole HTTP API; a subclass provides the `app` fixture."""
