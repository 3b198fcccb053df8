"""The title rule: NFC, trimmed, 1 to 80 characters, none of them invisible or reordering."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.titles import clean_title

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"
TECHNOLOGIST = "\U0001f469\U0001f3fd\u200d\U0001f4bb"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
KEYCAP_ONE = "1\ufe0f\u20e3"
HEAD_SHAKING = "\U0001f642\u200d\u2194\ufe0f"
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with its ZWNJ
DEVANAGARI_KSSA = "\u0915\u094d\u200d\u0937"  # a half form: virama, then ZWJ


def test_a_title_of_80_characters_inside_spaces_is_accepted_trimmed() -> None:
    assert clean_title("  " + "x" * 80 + " \t ") == "x" * 80


@pytest.mark.parametrize("title", ["x" * 81, "", "   ", "\u3000"])
def test_a_title_outside_1_to_80_characters_after_trimming_is_refused(title: str) -> None:
    with pytest.raises(ValidationError, match="invalid item") as error:
        clean_title(title)
    assert error.value.details == {"title": "must be 1 to 80 characters"}


def test_titles_are_stored_in_nfc_so_look_alikes_are_one_title() -> None:
    assert clean_title("Cafe\u0301") == clean_title("Caf\u00e9") == "Caf\u00e9"


def test_the_length_is_counted_after_normalisation() -> None:
    assert clean_title("e\u0301" * 80) == "\u00e9" * 80


@pytest.mark.parametrize(
    "title",
    [
        "zero\u200bwidth",
        "\ufeffbom",
        "evil\u202etxt.exe",
        "isolate\u2066d\u2069",
        "mark\u200eed",
        "arabic\u061cmark",
        "soft\u00adhyphen",
        "word\u2060joiner",
        "hangul\u3164filler",
        "mongolian\u180eseparator",
        "grapheme\u034fjoiner",
        "smuggled\U000e0041\U000e0042",
        "\U0001f3f4\U000e0067\U000e0062",  # a tag run never terminated
        "lone\u200djoiner",
        "\u200dleading",
        "latin\u200cnon-joiner",
        "doubled\ufe0f\ufe0f",
        "\ufe0fleading",
    ],
)
def test_invisible_and_reordering_characters_are_refused(title: str) -> None:
    with pytest.raises(ValidationError) as error:
        clean_title(title)
    assert "invisible" in error.value.details["title"]


@pytest.mark.parametrize(
    "title",
    [
        FAMILY,
        RAINBOW_FLAG,
        TECHNOLOGIST,
        ENGLAND + " England",
        KEYCAP_ONE,
        "\u2764\ufe0f",
        HEAD_SHAKING,
        PERSIAN,
        DEVANAGARI_KSSA,
        "$set the table",
        "$where",
        "na\u00efve caf\u00e9 \u65e5\u672c\u8a9e",
    ],
)
def test_emoji_sequences_and_the_joiners_scripts_need_are_kept(title: str) -> None:
    assert clean_title(title) == title


@pytest.mark.parametrize("title", ["tab\tinside", "nul\x00", "line\u2028break", "\ud800"])
def test_control_characters_are_refused(title: str) -> None:
    with pytest.raises(ValidationError) as error:
        clean_title(title)
    assert error.value.details == {"title": "must not contain control characters"}
