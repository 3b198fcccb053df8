"""What "after a place" means: the keyset the core hands every backend."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.seek import Compare, Keyset, Seek, Term, keyset

ORDER = [("title", True), ("created_at", False), ("id", False)]


def test_each_clause_holds_the_earlier_keys_equal_and_moves_one_key_its_own_way() -> None:
    found = keyset(ORDER, Seek(("b", 5, "x")))
    assert found == Keyset(
        bound=Term("title", Compare.LTE, "b"),
        clauses=(
            (Term("title", Compare.LT, "b"),),
            (Term("title", Compare.EQ, "b"), Term("created_at", Compare.GT, 5)),
            (
                Term("title", Compare.EQ, "b"),
                Term("created_at", Compare.EQ, 5),
                Term("id", Compare.GT, "x"),
            ),
        ),
    )


def test_going_back_turns_every_comparison_around() -> None:
    found = keyset(ORDER, Seek(("b", 5, "x"), backward=True))
    assert found.bound == Term("title", Compare.GTE, "b")
    assert [clause[-1].compare for clause in found.clauses] == [Compare.GT, Compare.LT, Compare.LT]


@pytest.mark.parametrize(
    ("entity", "after"),
    [
        ({"title": "a", "created_at": 0, "id": "a"}, True),  # a smaller title comes later
        ({"title": "b", "created_at": 6, "id": "a"}, True),
        ({"title": "b", "created_at": 5, "id": "y"}, True),
        ({"title": "b", "created_at": 5, "id": "x"}, False),  # the place itself
        ({"title": "b", "created_at": 4, "id": "z"}, False),
        ({"title": "c", "created_at": 9, "id": "z"}, False),
    ],
)
def test_an_entity_is_after_the_place_as_the_mixed_order_says(
    entity: dict[str, object], after: bool
) -> None:
    assert keyset(ORDER, Seek(("b", 5, "x"))).holds(entity.__getitem__) is after


def test_a_place_that_does_not_fit_the_order_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as refused:
        keyset(ORDER, Seek(("b", "x")))
    assert "cursor" in refused.value.details
