"""What the OpenAPI document says beyond spectree: headers, links, operation ids, model names.

Generated clients name their classes after components and their functions after operation
ids, so both are plain and stable: a model is one component named after its class (never one
copy per parent), and an operation is named after its view function.
"""

from __future__ import annotations

from adapters.http.document.answers import Answers
from adapters.http.document.completion import ApiSpec
from adapters.http.document.headers import RATE_LIMIT_HEADERS
from adapters.http.document.names import ComponentNames

__all__ = ["RATE_LIMIT_HEADERS", "Answers", "ApiSpec", "ComponentNames"]
