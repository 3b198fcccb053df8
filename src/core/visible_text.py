"""Which characters of a text a reader cannot see, or that silently reorder what they do see.

Such characters make two texts that look the same compare different ("pay" and "pa\u200by") and
can hide or reverse text (the right-to-left override, tag characters smuggling ASCII). Refused:
every format character (Unicode category Cf: bidi controls, zero-width space, BOM, tags, ...) and
every Default_Ignorable_Code_Point (Hangul fillers, variation selectors, ...), except where a
writing system or an emoji needs one:

- the zero-width joiner after a virama (Indic conjuncts, RFC 5892 A.2) or between emoji
  (family, profession and flag sequences);
- the zero-width non-joiner after a virama or between two letters of a script without case
  (Persian, Arabic, Indic: RFC 5892 A.1, without the Joining_Type data Python lacks);
- a variation selector right after a visible character (text or emoji style, keycaps);
- tag characters only inside an emoji tag sequence (the flags of England, Scotland, Wales).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

ZWNJ, ZWJ = "\u200c", "\u200d"
VIRAMA = 9  # canonical combining class of a virama
# Default_Ignorable_Code_Point ranges outside category Cf (Unicode 15 DerivedCoreProperties.txt).
_IGNORABLE = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),
)
_STARTS = [start for start, _ in _IGNORABLE]
_VARIATION_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_EMOJI_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_WAVING_BLACK_FLAG = "\U0001f3f4"
_EMOJI_BEFORE_JOINER = frozenset({"So", "Sk"})  # pictographs, skin-tone modifiers
# Sm: arrows such as U+2194 in newer sequences; Cn: emoji newer than Python's Unicode data.
_EMOJI_AFTER_JOINER = frozenset({"So", "Sm", "Cn"})
_CASELESS_LETTERS = frozenset({"Lo", "Lm", "Mn", "Mc"})


def hidden_character(text: str) -> str | None:
    """The first invisible or reordering character of `text` out of place, or None."""
    # A valid emoji tag sequence is one visible flag: check it as its base alone.
    checked = _EMOJI_TAG_SEQUENCE.sub(_WAVING_BLACK_FLAG, text)
    for index, char in enumerate(checked):
        if not _invisible(char):
            continue
        before = checked[index - 1] if index else ""
        after = checked[index + 1] if index + 1 < len(checked) else ""
        if not _needed(char, before, after):
            return char
    return None


def _invisible(char: str) -> bool:
    if unicodedata.category(char) == "Cf":
        return True
    code = ord(char)
    slot = bisect_right(_STARTS, code) - 1
    return slot >= 0 and code <= _IGNORABLE[slot][1]


def _needed(char: str, before: str, after: str) -> bool:
    if not before:
        return False
    if char in (ZWJ, ZWNJ) and unicodedata.combining(before) == VIRAMA:
        return True
    if char == ZWJ:
        emoji_before = unicodedata.category(before) in _EMOJI_BEFORE_JOINER or _selects(before)
        return emoji_before and bool(after) and unicodedata.category(after) in _EMOJI_AFTER_JOINER
    if char == ZWNJ:
        return bool(after) and {unicodedata.category(before), unicodedata.category(after)} <= (
            _CASELESS_LETTERS
        )
    if _selects(char):
        return not _invisible(before) and unicodedata.category(before)[0] not in "CZ"
    return False


def _selects(char: str) -> bool:
    code = ord(char)
    return any(start <= code <= end for start, end in _VARIATION_SELECTORS)
