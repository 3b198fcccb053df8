"""Conditional headers are read by RFC 9110's grammar, and only our own tags name a version."""

from __future__ import annotations

import pytest

from adapters.http.etags import NO_MATCH, Condition, expected_version, parse_condition
from core.errors import StaleVersion


def never(_: object = None) -> int:
    raise AssertionError("the current version is not needed here")


def test_an_absent_header_is_no_condition() -> None:
    assert parse_condition(None) is None


def test_a_star_matches_any_tag() -> None:
    assert parse_condition(" * ") == Condition(any=True, strong=frozenset(), weak=frozenset())


def test_strong_and_weak_tags_of_ours_are_told_apart() -> None:
    condition = parse_condition('"v3", W/"v4", "other", W/"x"')
    assert condition == Condition(any=False, strong=frozenset({3}), weak=frozenset({4}))


@pytest.mark.parametrize(
    "header", ["v1", '"v1', '"v1" "v2"', '*, "v1"', "", '"v1";', 'w/"v1"', '"v\x7f1"']
)
def test_a_header_that_is_no_list_of_tags_names_nothing(header: str) -> None:
    assert parse_condition(header) == Condition(any=False, strong=frozenset(), weak=frozenset())


@pytest.mark.parametrize(
    "opaque", ["v01", "v0", "v¹", "v١", "v1x", "v-1", "v 1", "V1", "v12345678901"]
)
def test_only_the_exact_spelling_the_service_issues_names_a_version(opaque: str) -> None:
    assert parse_condition(f'"{opaque}"') == Condition(
        any=False, strong=frozenset(), weak=frozenset()
    )


def test_five_thousand_digits_name_nothing_instead_of_failing() -> None:
    assert expected_version('"v' + "9" * 5000 + '"', stated=None, current=never) == NO_MATCH


def test_one_tag_names_its_version_without_reading_the_current_one() -> None:
    assert expected_version('"v2"', stated=None, current=never) == 2


def test_a_list_matches_when_the_current_version_is_in_it() -> None:
    assert expected_version('"v2", "v5"', stated=None, current=lambda: 5) == 5
    assert expected_version('"v2", "v5"', stated=None, current=lambda: 3) == NO_MATCH


def test_no_header_or_a_star_leaves_the_body_version() -> None:
    assert expected_version(None, stated=4, current=never) == 4
    assert expected_version("*", stated=None, current=never) is None


def test_a_header_and_a_body_version_that_disagree_are_stale() -> None:
    with pytest.raises(StaleVersion):
        expected_version('"v2"', stated=3, current=never)
