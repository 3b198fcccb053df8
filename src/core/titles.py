"""The rule of an item's title, applied once: NFC, trimmed, 1 to 80 visible characters."""

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
    cleaned = normal_text(title).strip()
    if not 1 <= len(cleaned) <= TITLE_MAX_LENGTH:
        raise ValidationError(
            "invalid item", {"title": f"must be 1 to {TITLE_MAX_LENGTH} characters"}
        )
    if any(unicodedata.category(char) in UNPRINTABLE for char in cleaned):
        raise ValidationError("invalid item", {"title": "must not contain control characters"})
    hidden = hidden_character(cleaned)
    if hidden is not None:
        raise ValidationError(
            "invalid item",
            {"title": f"must not contain invisible or reordering characters (U+{ord(hidden):04X})"},
        )
    return cleaned
