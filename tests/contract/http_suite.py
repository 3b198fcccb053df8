"""Every per-backend HTTP contract in one class: each backend's HTTP test module subclasses it."""

from __future__ import annotations

from tests.contract.http_auth_contract import HttpAuthContract
from tests.contract.http_conditional_contract import HttpConditionalContract
from tests.contract.http_contract import HttpContract
from tests.contract.http_headers_contract import HttpHeadersContract
from tests.contract.http_idempotency_contract import HttpIdempotencyContract
from tests.contract.http_input_contract import HttpInputContract
from tests.contract.http_precondition_contract import HttpPreconditionContract
from tests.contract.http_problems_contract import HttpProblemsContract
from tests.contract.http_resource_contract import HttpResourceContract
from tests.contract.http_titles_contract import HttpTitlesContract


class HttpSuite(
    HttpContract,
    HttpResourceContract,
    HttpAuthContract,
    HttpConditionalContract,
    HttpPreconditionContract,
    HttpInputContract,
    HttpTitlesContract,
    HttpHeadersContract,
    HttpIdempotencyContract,
    HttpProblemsContract,
):
    """The whole HTTP API; a subclass provides the `app` fixture."""
