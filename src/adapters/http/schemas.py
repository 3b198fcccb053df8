"""Request and response schemas (pydantic v2); they live here, never in the core."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    create_model,
)
from pydantic.json_schema import SkipJsonSchema

from core.entities import (
    TITLE_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    USERNAME_MIN_LENGTH,
    User,
)
from core.query import DEFAULT_LIMIT, MAX_LIMIT
from core.services.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

# The title rule (NFC, trimmed, 1 to 80 visible characters) is the core's, applied once there: a
# schema length would count the spaces trimming removes. The document states it in words.
TITLE_RULE = (
    f"1 to {TITLE_MAX_LENGTH} characters once surrounding spaces are trimmed, stored in Unicode "
    "NFC; no control characters, and no invisible or direction-changing ones (zero-width space, "
    "BOM, bidi controls, tags outside emoji sequences)"
)
# A filter is normalised to NFC like titles: room for a fully decomposed spelling of the longest.
TITLE_FILTER_MAX = 4 * TITLE_MAX_LENGTH
MAX_OFFSET = 10_000_000
_SORT_KEY = r"-?(title|created_at|updated_at)"
SORT_PATTERN = rf"^{_SORT_KEY}(,{_SORT_KEY}){{0,2}}$"


def _absent(value: object) -> bool:
    return value is None


class Answer(BaseModel):
    """A response body: every field is sent, so the document marks each one required.

    A field that may be left out is declared `Field(exclude_if=_absent)` (omitted when None),
    and only such a field is optional in the document.
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class FieldError(Answer):
    """One invalid field of a request."""

    field: str
    message: str


class ErrorOut(Answer):
    """The error envelope every failure answers with."""

    error: int
    message: str
    success: Literal[False] = False
    details: list[FieldError] | None = Field(default=None, exclude_if=_absent)


class FieldProblem(BaseModel):
    """One invalid member of a request: `pointer` into its body, or the `parameter` it names."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 2})

    detail: str
    pointer: str | SkipJsonSchema[None] = Field(
        default=None, description="RFC 6901 JSON pointer into the body (`/title`, `/tags/0`)"
    )
    parameter: str | SkipJsonSchema[None] = Field(
        default=None, description="the query or path parameter"
    )


class ProblemOut(BaseModel):
    """RFC 9457 problem details (`application/problem+json`), on `Accept` or by configuration.

    `type` is `about:blank`, so `title` is the status's phrase; `errors` lists each invalid
    field of a 422. Other members (`dependencies` of `/readyz`) extend it, as RFC 9457 allows.
    """

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | SkipJsonSchema[None] = None


class MessageOut(Answer):
    """A plain message, as the original's endpoints answer."""

    message: str


class TokenMessageOut(MessageOut):
    """`GET /api/public`: a message and the anonymous session-bound token."""

    token: str


class DependencyState(Answer):
    """Whether one dependency answers."""

    status: Literal["ok", "unavailable"]
    message: str | None = Field(default=None, exclude_if=_absent)


class HealthOut(Answer):
    """`GET /healthz`."""

    status: Literal["ok"]


class ReadyOut(Answer):
    """`GET /readyz` when every dependency answers."""

    status: Literal["ok"]
    dependencies: dict[str, DependencyState]


class NotReadyOut(ErrorOut):
    """`GET /readyz` when a dependency does not answer."""

    dependencies: dict[str, DependencyState]


def _integral(value: object) -> object:
    # JSON has one kind of number, and JSON Schema's `integer` is any number without a
    # fraction: 1.0 is the integer 1 there, so it is here. True, "1" and 1.5 stay refused.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: Reads an integer of a JSON body as JSON Schema's `integer` does (1 and 1.0 alike); it goes
#: after the field's bounds, which pydantic would otherwise leave out of the document.
JSON_INTEGER = BeforeValidator(_integral)


class Strict(BaseModel):
    """Unknown fields are errors, and numbers are not silently read from strings in bodies."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ItemCreate(Strict):
    """Body of `POST /api/items`."""

    title: Annotated[StrictStr, Field(description=TITLE_RULE)]


class ItemChange(Strict):
    """Body of `PATCH /api/items/<id>`; `version`, when given, must be the stored one."""

    title: Annotated[StrictStr | None, Field(description=TITLE_RULE)] = None
    version: Annotated[StrictInt, Field(ge=1, le=2**31 - 1), JSON_INTEGER] | None = None


class ItemListQuery(BaseModel):
    """Query string of `GET /api/items`."""

    model_config = ConfigDict(extra="forbid")

    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0
    sort: Annotated[str, Field(pattern=SORT_PATTERN)] = "created_at"
    title: Annotated[str | None, Field(max_length=TITLE_FILTER_MAX)] = None
    title_prefix: Annotated[str | None, Field(max_length=TITLE_FILTER_MAX)] = None


class LoginIn(Strict):
    """Body of `POST /api/auth/token`: any strings, so a wrong one is 401 like any other."""

    username: Annotated[StrictStr, Field(max_length=256)]
    password: Annotated[StrictStr, Field(max_length=PASSWORD_MAX_LENGTH)]


class UserCreate(Strict):
    """Body of `POST /api/users`; the password must also differ from the username."""

    # Which names are usernames is the core's rule (core/usernames.py), checked there once.
    username: Annotated[
        StrictStr, Field(min_length=USERNAME_MIN_LENGTH, max_length=USERNAME_MAX_LENGTH)
    ]
    password: Annotated[
        StrictStr,
        Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH),
    ]


@cache
def registration_schema(min_password_length: int) -> type[UserCreate]:
    """UserCreate with the configured minimum password length, so the document tells it."""
    if min_password_length == PASSWORD_MIN_LENGTH:
        return UserCreate
    field = Annotated[
        StrictStr, Field(min_length=min_password_length, max_length=PASSWORD_MAX_LENGTH)
    ]
    model: type[UserCreate] = create_model("UserCreate", __base__=UserCreate, password=(field, ...))
    return model


class RefreshIn(Strict):
    """Body of `POST /api/auth/refresh`."""

    refresh_token: Annotated[StrictStr, Field(max_length=16 * 1024)]


class UserOut(Answer):
    """A user as the API shows it (never the password hash)."""

    id: str
    username: str
    permissions: list[str]
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        """The schema of a domain user."""
        return cls(
            id=user.id,
            username=user.username,
            permissions=sorted(user.permissions),
            created_at=user.created_at,
        )


class TokenOut(Answer):
    """An access token and the refresh token that renews it."""

    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
