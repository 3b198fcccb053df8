"""Usernames: RFC 8265's UsernameCaseMapped profile, on a repertoire of ASCII letters and digits.

The profile maps fullwidth and halfwidth forms to their ordinary letters, refuses everything
outside the repertoire, and compares names case-mapped. PRECIS lets an application narrow the
IdentifierClass; this one allows only ASCII letters, digits, `.`, `_` and `-`, because
look-alike letters from other scripts would let two names that read the same belong to two
accounts. Registration, login and every repository lookup go through this one module.
"""

from __future__ import annotations

import re
import unicodedata

from core.entities import USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH
from core.errors import ValidationError

REPERTOIRE = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9._-]{{{USERNAME_MIN_LENGTH - 1},{USERNAME_MAX_LENGTH - 1}}}",
    re.ASCII,
)
RULE = (
    f"must be {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} letters, digits, '.', '_' or '-', "
    "starting with a letter or digit"
)
# Decompositions of fullwidth and halfwidth forms: each maps one character to one character.
_WIDTH_FORMS = ("<wide>", "<narrow>")


def prepare_username(raw: str) -> str:
    """The name as given, width-mapped (RFC 8265 UsernameCasePreserved); ValidationError if outside.

    Nothing is trimmed: " ann" and "ann" are different strings, and only the second is a name.
    """
    if len(raw) > USERNAME_MAX_LENGTH:
        raise ValidationError("invalid username", {"username": RULE})
    prepared = "".join(_width_mapped(character) for character in raw)
    # The repertoire is ASCII, so NFC and the bidi rule of the profile change nothing here.
    if not REPERTOIRE.fullmatch(prepared):
        raise ValidationError("invalid username", {"username": RULE})
    return prepared


def username_key(name: str) -> str:
    """The form two names are compared in: case-mapped (unique and looked up by this).

    On the repertoire this is RFC 8265's toLowerCase; casefold is kept so that keys stored
    before the profile existed stay the keys of their names.
    """
    return name.casefold()


def _width_mapped(character: str) -> str:
    if character.isascii():
        return character
    decomposition = unicodedata.decomposition(character)
    if decomposition.startswith(_WIDTH_FORMS):
        return chr(int(decomposition.split()[1], 16))
    return character
