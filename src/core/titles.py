"""The rules of text fields, applied once: NFC, trimmed lines, no hidden or control characters."""

from __future__ import annotations

import unicodedata

from core.entities import TITLE_MAX_LENGTH
from core.errors import ValidationError
from core.visible_text import hidden_character

# Control characters, line/paragraph separators and lone surrogates (which no database can
# encode).
UNPRINTABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})


def normal_text(text: str) -> str:
    """The text in Unicode NFC: "é" as one code point or as two is then one spelling."""
    return unicodedata.normalize("NFC", text)


def clean_title(title: str) -> str:
    """The title in NFC and trimmed; ValidationError unless 1..80 visible characters remain."""
    return clean_line(title, field="title", max_length=TITLE_MAX_LENGTH, message="invalid item")


def clean_line(text: str, *, field: str, max_length: int, message: str) -> str:
    """One line of text in NFC and trimmed, 1 to `max_length` visible characters; else refused."""
    cleaned = normal_text(text).strip()
    if not 1 <= len(cleaned) <= max_length:
        raise ValidationError(message, {field: f"must be 1 to {max_length} characters"})
    if any(unicodedata.category(char) in UNPRINTABLE for char in cleaned):
        raise ValidationError(message, {field: "must not contain control characters"})
    _refuse_hidden(cleaned, field=field, message=message)
    return cleaned


def clean_text(text: str, *, field: str, max_length: int, message: str) -> str:
    """Long text in NFC, kept as written; line breaks and tabs allowed, other controls refused."""
    cleaned = normal_text(text)
    if len(cleaned) > max_length:
        raise ValidationError(message, {field: f"must be at most {max_length} characters"})
    if any(unicodedata.category(char) in UNPRINTABLE and char not in "\t\n\r" for char in cleaned):
        raise ValidationError(message, {field: "must not contain control characters"})
    _refuse_hidden(cleaned, field=field, message=message)
    return cleaned


def _refuse_hidden(text: str, *, field: str, message: str) -> None:
    hidden = hidden_character(text)
    if hidden is not None:
        raise ValidationError(
            message,
            {field: f"must not contain invisible or reordering characters (U+{ord(hidden):04X})"},
        )
