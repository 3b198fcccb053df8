"""The names `resource new` accepts, and the refusal of an argument it will not act on."""

from __future__ import annotations

import keyword
import re

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 30  # index names (ix_<table>_<column>_id) stay within MySQL's 64 characters
#: Fields every entity holds already, and the listing's own parameters.
RESERVED_FIELDS = frozenset(
    {"id", "owner_id", "created_at", "updated_at", "version", "sort", "limit", "offset", "owner"}
)


class Refused(Exception):
    """An argument `resource new` will not act on; nothing has been written."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"{argument!r}: {reason}")
        self.argument = argument
        self.reason = reason


def check_identifier(text: str, *, what: str) -> str:
    """The text when it is a lower-case identifier that is no keyword; else Refused."""
    if not IDENTIFIER.match(text) or len(text) > MAX_NAME or text.endswith("_"):
        raise Refused(text, f"a {what} is a lower-case identifier of at most {MAX_NAME} characters")
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        raise Refused(text, f"a {what} may not be a Python keyword")
    return text
