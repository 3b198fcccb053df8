"""The core refuses values a document store could read as operators, whatever the backend."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.operator_guard import looks_like_operator, refuse_operators
from core.query import ItemQuery
from core.services.items import ItemService, clean_title
from tests.fakes import FakeClock, SequentialIds


@pytest.mark.parametrize("text", ["$where", "$gt", "$ne", "$_id", "$Regex", "$été"])
def test_a_dollar_before_a_letter_reads_as_an_operator(text: str) -> None:
    assert looks_like_operator(text)


@pytest.mark.parametrize("text", ["$5 deal", "$", "$ sign", "$$", "price $gt", "", "a$where"])
def test_other_dollars_are_ordinary_text(text: str) -> None:
    assert not looks_like_operator(text)


def test_every_refused_value_is_named() -> None:
    with pytest.raises(ValidationError) as refused:
        refuse_operators("invalid", title="$gt", owner_id={"$ne": None}, title_prefix=None)
    assert set(refused.value.details) == {"title", "owner_id"}


def test_a_title_is_checked_after_trimming() -> None:
    with pytest.raises(ValidationError, match="invalid item"):
        clean_title("   $where  ")
    assert clean_title(" $5 deal ") == "$5 deal"


@pytest.mark.parametrize(
    "query",
    [ItemQuery(title="$ne"), ItemQuery(title_prefix="$where"), ItemQuery(owner_id="$gt")],
)
def test_a_listing_filter_that_reads_as_an_operator_is_refused(query: ItemQuery) -> None:
    def no_storage() -> None:
        raise AssertionError("refused values must never reach a repository")

    service = ItemService(uow=no_storage, clock=FakeClock(), ids=SequentialIds())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="invalid query"):
        service.list(query)
