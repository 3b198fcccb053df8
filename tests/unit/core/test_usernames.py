"""Usernames: RFC 8265 UsernameCaseMapped on an ASCII repertoire, one rule for every use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.usernames import prepare_username, username_key

# The rule registration applied before the profile: every stored name matches it.
EARLIER_NAMES = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{2,63}\Z")


@pytest.mark.parametrize("name", ["ann", "Ann.Lee_2-x", "007", "a" * 64])
def test_names_in_the_repertoire_are_kept_as_given(name: str) -> None:
    assert prepare_username(name) == name


@pytest.mark.parametrize(
    ("given_name", "prepared"),
    [
        ("\uff41\uff4e\uff4e", "ann"),
        ("\uff21nn", "Ann"),
        ("ann\uff0e\uff4c\uff45\uff45", "ann.lee"),
    ],
)
def test_fullwidth_letters_are_width_mapped(given_name: str, prepared: str) -> None:
    assert prepare_username(given_name) == prepared


@pytest.mark.parametrize(
    "name",
    [
        " ann",
        "ann ",
        "\u212aevin",  # KELVIN SIGN: case-folds to "k", yet it is no letter k
        "\u017fam",  # LATIN SMALL LETTER LONG S folds to "s"
        "\u0430nn",  # CYRILLIC SMALL LETTER A
        "\ufb00oo",  # the ligature "ff"
        "ann\u200b",
        "ann\x00",
        "ab",
        "a" * 65,
        "\uff41" * 65,
        ".ann",
        "",
    ],
)
def test_names_outside_the_profile_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        prepare_username(name)
    assert set(refused.value.details) == {"username"}


def test_names_are_compared_case_mapped() -> None:
    assert (
        username_key(prepare_username("Ann.Lee"))
        == username_key(prepare_username("\uff41NN.lee"))
        == "ann.lee"
    )


@given(EARLIER_NAMES)
def test_every_name_stored_before_is_still_its_own_name_with_its_old_key(name: str) -> None:
    assert prepare_username(name) == name
    assert username_key(name) == name.lower()  # the key the stores hold for it
