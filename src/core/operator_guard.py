"""Values a document store could read as operators, refused by the core for every backend."""

from __future__ import annotations

from core.errors import ValidationError

OPERATOR_HINT = "must not start with '$' followed by a letter"


def looks_like_operator(text: str) -> bool:
    """Whether the text starts as a Mongo operator or field path does: `$` then a letter or `_`."""
    return len(text) > 1 and text[0] == "$" and (text[1].isalpha() or text[1] == "_")


def refuse_operators(message: str, **values: object) -> None:
    """ValidationError naming each given value that is not text or that reads as an operator.

    `None` values are skipped (an absent filter). "$5 deal" passes: a digit after `$` is no
    operator, so prices stay writable.
    """
    problems: dict[str, str] = {}
    for field, value in values.items():
        if value is None:
            continue
        if not isinstance(value, str):
            problems[field] = "must be text"
        elif looks_like_operator(value):
            problems[field] = OPERATOR_HINT
    if problems:
        raise ValidationError(message, problems)
