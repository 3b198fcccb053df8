"""spectree validation on our plugin: query and JSON models checked, header models honoured,
answers serialized or validated as spectree would."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from pydantic import BaseModel, Field

from adapters.http.errors import register_error_handlers
from adapters.http.openapi import answers, api_spec


class Query(BaseModel):
    limit: int


class Body(BaseModel):
    title: str


class Headers(BaseModel):
    x_tenant: str = Field(alias="X-Tenant")


class Greeting(BaseModel):
    message: str
    count: int = Field(ge=0)


class Loud(Greeting):
    shout: bool = True


def app_with_routes() -> Flask:
    app = Flask("validation")
    register_error_handlers(app)
    spec = api_spec(title="t", version="1")

    @app.post("/things")
    @spec.validate(query=Query, json=Body)
    def create() -> dict[str, Any]:
        context = request.context  # type: ignore[attr-defined]
        return {"limit": context.query.limit, "title": context.json.title}

    @app.get("/tenant")
    @spec.validate(headers=Headers)
    def tenant() -> dict[str, Any]:
        return {"tenant": request.context.headers.x_tenant}  # type: ignore[attr-defined]

    @app.get("/greeting/<kind>")
    @spec.validate(resp=answers(HTTP_200=Greeting, HTTP_201=Greeting))
    def greeting(kind: str) -> Any:
        shapes: dict[str, Any] = {
            "model": Greeting(message="hi", count=1),
            "subclass": Loud(message="hi", count=1),
            "dict": {"message": "hi", "count": 2},
            "invalid": {"message": "hi", "count": -1},
            "created": (Greeting(message="hi", count=3), 201),
            "tagged": (Greeting(message="hi", count=4), 200, {"ETag": '"v4"'}),
            "headers only": (Greeting(message="hi", count=5), {"X-Extra": "yes"}),
        }
        return shapes[kind]

    return app


def test_query_and_body_are_validated_into_the_context() -> None:
    client = app_with_routes().test_client()
    answer = client.post("/things?limit=3", json={"title": "a"})
    assert answer.get_json() == {"limit": 3, "title": "a"}
    assert client.post("/things?limit=x", json={"title": "a"}).status_code == 422
    assert client.post("/things?limit=3", json={"name": "a"}).status_code == 422


def test_a_route_with_a_header_model_still_gets_it_checked() -> None:
    client = app_with_routes().test_client()
    assert client.get("/tenant", headers={"X-Tenant": "t1"}).get_json() == {"tenant": "t1"}
    assert client.get("/tenant").status_code == 422


def test_a_view_returning_its_model_answers_with_the_models_json() -> None:
    client = app_with_routes().test_client()
    answer = client.get("/greeting/model")
    assert (answer.status_code, answer.mimetype) == (200, "application/json")
    assert answer.get_json() == {"message": "hi", "count": 1}
    created = client.get("/greeting/created")
    assert (created.status_code, created.get_json()) == (201, {"message": "hi", "count": 3})
    tagged = client.get("/greeting/tagged")
    assert (tagged.status_code, tagged.headers["ETag"]) == (200, '"v4"')
    assert tagged.get_json() == {"message": "hi", "count": 4}


def test_other_answers_still_go_through_spectrees_validation() -> None:
    client = app_with_routes().test_client()
    assert client.get("/greeting/dict").get_json() == {"message": "hi", "count": 2}
    assert client.get("/greeting/subclass").get_json() == {
        "message": "hi",
        "count": 1,
        "shout": True,
    }
    extra = client.get("/greeting/headers only")
    assert (extra.headers["X-Extra"], extra.get_json()["count"]) == ("yes", 5)
    assert client.get("/greeting/invalid").status_code == 500
