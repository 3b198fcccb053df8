"""A resource's query as a Mongo filter and sort, translated from the core's description.

Strings compare by code point everywhere: MongoDB without a collation compares UTF-8 bytes,
whose order is code point order, as Python's is. Only this module writes operators, and only
around values that `equals` compares literally, `plain` checked or `re.escape` quoted.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from adapters.mongo.client import Document
from adapters.mongo.documents import stored_value, timestamp_fields
from adapters.mongo.guard import equals
from adapters.mongo.resource import MICROS, MongoResource
from core.queryable import Filter, ListQuery, Match
from core.seek import Compare, Keyset, Term

ASCENDING, DESCENDING = 1, -1
COMPARE = {Match.MIN: ("$gt", "$gte"), Match.MAX: ("$lt", "$lte")}
OPERATOR = {
    Compare.GT: "$gt",
    Compare.LT: "$lt",
    Compare.GTE: "$gte",
    Compare.LTE: "$lte",
}
# A strict comparison of a timestamp's milliseconds, then its microseconds as the term says.
MILLIS_FIRST = {
    Compare.GT: "$gt",
    Compare.GTE: "$gt",
    Compare.LT: "$lt",
    Compare.LTE: "$lt",
}


def mongo_filter(resource: MongoResource[Any], query: ListQuery) -> Document:
    """The filter selecting the entities the query matches; exact matches by `$eq`."""
    exact: Document = {}
    conditions: list[Document] = []
    for each, value in resource.queryable.active(query):
        checked = stored_value(resource, each.field, value, label=each.param)
        if isinstance(checked, datetime):
            conditions.append(_timestamp_condition(each, checked))
        elif each.match is Match.PREFIX:
            # Anchored and case-sensitive, so the field's index serves it; escaped, so "a.c"
            # or "a%" match literally.
            conditions.append({each.field: {"$regex": "^" + re.escape(str(checked))}})
        elif each.match in COMPARE:
            conditions.append({each.field: {COMPARE[each.match][1]: checked}})
        else:
            exact[each.field] = equals(checked, field=each.param)
    found = resource.queryable.keyset(query)
    if found is not None:
        conditions.append(_keyset_condition(resource, found))
    return {**exact, "$and": conditions} if conditions else exact


def _keyset_condition(resource: MongoResource[Any], found: Keyset) -> Document:
    # The bound on the first key alone (milliseconds of a timestamp) lets its index serve it.
    bound = found.bound
    name = "_id" if bound.field == "id" else bound.field
    value = stored_value(resource, bound.field, bound.value, label="cursor")
    if isinstance(value, datetime):
        value = timestamp_fields(name, value)[name]
    clauses = [
        {"$and": [_term_condition(resource, term) for term in clause]} for clause in found.clauses
    ]
    return {"$and": [{name: {OPERATOR[bound.compare]: value}}, {"$or": clauses}]}


def _term_condition(resource: MongoResource[Any], term: Term) -> Document:
    name = "_id" if term.field == "id" else term.field
    value = stored_value(resource, term.field, term.value, label="cursor")
    if name not in resource.shape.datetimes:
        if term.compare is Compare.EQ:
            return {name: equals(value, field="cursor")}
        return {name: {OPERATOR[term.compare]: value}}
    stored = timestamp_fields(name, value)
    millis, micros = stored[name], stored[name + MICROS]
    if term.compare is Compare.EQ:
        return {name: {"$eq": millis}, name + MICROS: {"$eq": micros}}
    return {
        "$or": [
            {name: {MILLIS_FIRST[term.compare]: millis}},
            {name: {"$eq": millis}, name + MICROS: {OPERATOR[term.compare]: micros}},
        ]
    }


def _timestamp_condition(each: Filter, moment: datetime) -> Document:
    # Stored as milliseconds plus the microseconds within them: compare the pair.
    stored = timestamp_fields(each.field, moment)
    millis, micros = stored[each.field], stored[each.field + MICROS]
    if each.match not in COMPARE:
        return {name: equals(value, field=each.param) for name, value in stored.items()}
    strict, inclusive = COMPARE[each.match]
    return {
        "$or": [
            {each.field: {strict: millis}},
            {each.field: millis, each.field + MICROS: {inclusive: micros}},
        ]
    }


def mongo_sort(resource: MongoResource[Any], query: ListQuery) -> list[tuple[str, int]]:
    """The sort keys the query reads in, each timestamp with its microseconds, then `_id`."""
    keys: list[tuple[str, int]] = []
    for name, descending in resource.queryable.fetch_order(query):
        direction = DESCENDING if descending else ASCENDING
        keys.append(("_id" if name == "id" else name, direction))
        if name in resource.shape.datetimes:
            keys.append((name + MICROS, direction))
    return keys
