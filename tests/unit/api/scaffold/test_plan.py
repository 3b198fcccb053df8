"""What `resource new` accepts and what it refuses, each refusal naming the argument."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.scaffold.names import Refused
from api.scaffold.plan import plan, singular_of
from core.fields import Kind


def refusal(name: str, *fields: str, **options: object) -> Refused:
    with pytest.raises(Refused) as refused:
        plan(name, fields, taken=frozenset({"notes"}), **options)  # type: ignore[arg-type]
    return refused.value


def test_a_resource_of_every_kind_is_planned_with_its_bounds_and_options() -> None:
    chosen = plan(
        "gadgets",
        (
            "name:str:40:unique:filter:sort",
            "notes:text:optional",
            "rank:int:0..100:filter:default=5",
            "price:decimal:0..:optional:filter",
            "active:bool:default=true",
            "due:date:2026-01-01..2030-12-31:filter",
            "seen_at:datetime:optional",
            "kind:enum:tool,toy:filter",
            "tags:list:1..5",
            "reviewer:user:optional",
        ),
        taken=frozenset(),
    )
    fields = {field.name: field for field in chosen.fields}
    assert (chosen.singular, chosen.entity, chosen.owned) == ("gadget", "Gadget", True)
    assert fields["name"].max_length == 40 and fields["name"].unique
    assert (fields["rank"].minimum, fields["rank"].maximum, fields["rank"].default) == (0, 100, 5)
    assert fields["price"].minimum == Decimal(0) and fields["price"].maximum is None
    assert fields["active"].default is True
    assert fields["due"].maximum == date(2030, 12, 31)
    assert fields["kind"].choices == ("tool", "toy")
    assert fields["tags"].kind is Kind.LIST and fields["tags"].bounds == (1, 5)


def test_a_resource_nobody_owns_gets_a_write_permission_by_default() -> None:
    chosen = plan("labels", ("text:str:30",), taken=frozenset(), owned=False)
    assert (chosen.owned, chosen.permission) == (False, "labels:write")


@pytest.mark.parametrize(
    ("plural", "single"),
    [("notes", "note"), ("categories", "category"), ("boxes", "box"), ("addresses", "address")],
)
def test_the_singular_drops_the_plural_ending(plural: str, single: str) -> None:
    assert singular_of(plural) == single


@pytest.mark.parametrize(("name", "article"), [("events", "an"), ("bookmarks", "a")])
def test_a_test_names_the_singular_with_its_article(name: str, article: str) -> None:
    assert plan(name, ("title:str:40",), taken=frozenset()).article == article


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("notes", "exists already"),
        ("users", "reserved"),
        ("auth", "reserved"),
        ("api", "reserved"),
        ("items", "reserved"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("Notes", "identifier"),
        ("2notes", "identifier"),
        ("no-tes", "identifier"),
        ("x" * 31, "identifier"),
    ],
)
def test_a_taken_reserved_or_invalid_name_is_refused(name: str, reason: str) -> None:
    refused = refusal(name, "title:str:80")
    assert refused.argument == name
    assert reason in refused.reason


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("title", "NAME:TYPE"),
        ("title:string", "unknown type 'string'"),
        ("title:str:80:indexed", "unknown option 'indexed'"),
        ("title:str:0", "length"),
        ("title:str:256", "length"),
        ("title:str:many", "length"),
        ("rank:int:10..1", "lower bound 10 is above the upper bound 1"),
        ("rank:int:0..99999999999", "int bound"),
        ("rank:int:one..two", "not a int bound"),
        ("price:decimal:5..1", "above the upper bound"),
        ("due:date:2030-01-01..2020-01-01", "above the upper bound"),
        ("due:date:tomorrow..", "not a date bound"),
        ("tags:list:0..500", "0 to 20 items"),
        ("status:enum", "lists its values"),
        ("status:enum:a,a", "distinct"),
        ("status:enum:draft:default=gone", "the default 'gone' must be one of draft"),
        ("rank:int:0..10:default=11", "the default '11' must be 0 to 10"),
        ("done:bool:default=yes", "true or false"),
        ("body:text:unique", "cannot be unique"),
        ("title:str:80:unique:optional", "cannot be optional"),
        ("fee:decimal:optional:sort", "an optional field cannot be a sort key"),
        ("tags:list:filter", "cannot be filtered"),
        ("id:str:10", "every entity has already"),
        ("owner_id:user", "every entity has already"),
        ("sort:str:10", "listing parameter"),
        ("def:str:10", "keyword"),
        ("title:str:80:unique:unique", "given twice"),
        ("title:text:80", "no argument a text takes"),
    ],
)
def test_a_bad_field_is_refused_with_a_message_naming_it(spec: str, reason: str) -> None:
    refused = refusal("gadgets", spec)
    assert spec in str(refused) or refused.argument == spec.split(":")[0]
    assert reason in refused.reason


def test_a_field_given_twice_or_shadowing_a_filter_parameter_is_refused() -> None:
    assert "twice" in refusal("gadgets", "title:str", "title:text").reason
    assert "filter parameter" in refusal("gadgets", "title:str", "title_prefix:str").reason


def test_a_resource_without_fields_or_with_a_bad_permission_is_refused() -> None:
    assert "at least one" in refusal("gadgets").reason
    assert refusal("gadgets", "a:int", permission="Bad Perm").argument == "Bad Perm"
