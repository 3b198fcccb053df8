"""A resource the product does not ship, on the resource blueprint: the HTTP contracts pass on it.

Badges (a unique label, an owner, versions) are declared here as a team would declare a new
resource over HTTP: three schemas and one `HttpResource`. Their service keeps them in a dict.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated

import pytest
from dependency_injector import providers
from flask import Flask
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from adapters.http.resources.declaration import HttpResource
from adapters.http.resources.schemas import entity_schema, page_schema
from adapters.http.schemas import Strict
from adapters.http.views.items import ITEMS
from api import create_app
from api.app import build_container
from api.settings import load_settings
from core.errors import Conflict, Forbidden, NotFound, StaleVersion
from core.paging import listing
from core.principal import Principal
from core.query import DEFAULT_LIMIT, MAX_LIMIT, Page, Sort
from core.queryable import Filter, Queryable
from core.seek import Seek
from tests.contract.http_conditional_contract import HttpConditionalContract
from tests.contract.http_contract import assert_envelope, session_token
from tests.contract.http_precondition_contract import HttpPreconditionContract
from tests.contract.http_refusals_contract import HttpResourceRefusalsContract
from tests.contract.http_resource_contract import HttpResourceContract
from tests.contract.http_resource_spec import HttpResourceSpec
from tests.helpers import app_settings, unique
from tests.shared_apps import SharedApp


@dataclass(frozen=True, slots=True)
class Badge:
    id: str
    label: str
    owner_id: str
    created_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class BadgeQuery:
    label: str | None = None
    sort: tuple[Sort, ...] = (Sort.parse("created_at"),)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    seek: Seek | None = None


# What a badge listing means; the core's `listing` applies it, seeks included.
BADGE_QUERY = Queryable(filters=(Filter("label"),), sorts=frozenset({"created_at"}))


class BadgeService:
    """Badges in a dict: unique labels, owners, versions."""

    def __init__(self) -> None:
        self._badges: dict[str, Badge] = {}
        self._lock = threading.Lock()

    def create(self, *, label: str, owner: Principal) -> Badge:
        badge = Badge(uuid.uuid4().hex, label, owner.subject, datetime.now(UTC))
        with self._lock:
            self._refuse_taken(label)
            self._badges[badge.id] = badge
        return badge

    def get(self, badge_id: str) -> Badge:
        if badge_id not in self._badges:
            raise NotFound("no such badge")
        return self._badges[badge_id]

    def list(self, query: BadgeQuery) -> Page[Badge]:
        if not 1 <= query.limit <= MAX_LIMIT:
            raise ValueError("the blueprint validates the limit")
        return listing(BADGE_QUERY, list(self._badges.values()), query)

    def update(
        self,
        badge_id: str,
        *,
        actor: Principal,
        label: str | None = None,
        expected_version: int | None = None,
    ) -> Badge:
        with self._lock:
            badge = self._writable(badge_id, actor, expected_version)
            if label is None or label == badge.label:
                return badge
            self._refuse_taken(label)
            changed = replace(badge, label=label, version=badge.version + 1)
            self._badges[badge_id] = changed
        return changed

    def delete(
        self, badge_id: str, *, actor: Principal, expected_version: int | None = None
    ) -> None:
        with self._lock:
            self._writable(badge_id, actor, expected_version)
            del self._badges[badge_id]

    def _writable(self, badge_id: str, actor: Principal, expected_version: int | None) -> Badge:
        badge = self.get(badge_id)
        if badge.owner_id != actor.subject:
            raise Forbidden("only the owner may change this badge")
        if expected_version is not None and expected_version != badge.version:
            raise StaleVersion("stale")
        return badge

    def _refuse_taken(self, label: str) -> None:
        if any(each.label == label for each in self._badges.values()):
            raise Conflict("label taken")


# What a team writes for the HTTP half of a resource: three schemas and one declaration.
Label = Annotated[StrictStr, Field(min_length=1, max_length=40)]


class BadgeCreate(Strict):
    label: Label


class BadgeChange(Strict):
    label: Label | None = None
    version: Annotated[StrictInt, Field(ge=1)] | None = None


class BadgeListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0)] = 0
    sort: Annotated[str, Field(pattern=r"^-?created_at$")] = "created_at"
    label: Annotated[str | None, Field(max_length=40)] = None


BadgeOut = entity_schema(Badge, name="BadgeOut", doc="A badge.")
BADGES: HttpResource[Badge] = HttpResource(
    name="badges",
    singular="badge",
    service="badge_service",
    create=BadgeCreate,
    change=BadgeChange,
    list_query=BadgeListQuery,
    query=BadgeQuery,
    out=BadgeOut,
    page=page_schema(BadgeOut, doc="A page of badges."),
)

BADGES_SPEC = HttpResourceSpec(
    name="badges",
    url="/api/badges",
    id_parameter="badge_id",
    new=lambda: {"label": unique("badge")},
    change=lambda: {"label": unique("renamed")},
    same=lambda badge: {"label": badge["label"]},
    unique=("label",),
    filters={"label": lambda badge: badge["label"]},
    sorts=("created_at",),
)


class TestBadgesOnTheResourceBlueprint(
    SharedApp,
    HttpResourceContract,
    HttpResourceRefusalsContract,
    HttpConditionalContract,
    HttpPreconditionContract,
):
    """The resource, refusal, conditional and precondition contracts, run on badges."""

    @pytest.fixture
    def resource(self) -> HttpResourceSpec:
        return BADGES_SPEC

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        settings = app_settings(STORAGE_BACKEND="memory")
        container = build_container(load_settings(settings))
        container.set_provider("badge_service", providers.Singleton(BadgeService))
        container.resources.override(providers.Object([ITEMS, BADGES]))
        return create_app(settings, container=container)

    def test_the_document_describes_the_badges_like_the_items(self, app: Flask) -> None:
        document = app.test_client().get("/openapi.json").get_json()
        operations = document["paths"]["/api/badges/{badge_id}"]
        assert operations["patch"]["operationId"] == "change_badge"
        assert set(operations["get"]["responses"]["200"]["headers"]) >= {"ETag"}
        assert "BadgePageOut" in document["components"]["schemas"]


def test_a_cursor_of_the_items_is_refused_by_the_badges() -> None:
    settings = app_settings(STORAGE_BACKEND="memory")
    container = build_container(load_settings(settings))
    container.set_provider("badge_service", providers.Singleton(BadgeService))
    container.resources.override(providers.Object([ITEMS, BADGES]))
    client = create_app(settings, container=container).test_client()
    auth = session_token(client)
    for n in range(2):
        client.post("/api/items", json={"title": f"title {n}"}, headers=auth)
    cursor = client.get("/api/items", query_string={"limit": 1}).get_json()["next"]
    assert client.get("/api/items", query_string={"cursor": cursor}).status_code == 200
    assert_envelope(client.get("/api/badges", query_string={"cursor": cursor}), 400)
