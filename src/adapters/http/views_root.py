"""The original boilerplate's endpoints: hello, the anonymous token, and the restricted page."""

from __future__ import annotations

from flask import Blueprint, session
from spectree import SpecTree

from adapters.http.auth import SESSION_UID, requires_auth
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.response_headers import no_store
from adapters.http.schemas import MessageOut, TokenMessageOut
from adapters.http.services import services

TAGS = ["original"]


def root_blueprint(spec: SpecTree) -> Blueprint:
    """`GET /`, `GET /api/public`, `GET /api/restricted`."""
    blueprint = Blueprint("root", __name__)

    @blueprint.get("/")
    @spec.validate(resp=answers(HTTP_200=MessageOut), tags=TAGS)
    def hello() -> MessageOut:
        """Hello World."""
        return MessageOut(message="Hello World")

    @blueprint.get("/api/public")
    @no_store
    @spec.validate(resp=answers(HTTP_200=TokenMessageOut), tags=TAGS)
    def public() -> TokenMessageOut:
        """An anonymous token bound to the session cookie this response sets."""
        auth = services().auth_service()
        uid = session.get(SESSION_UID)
        if not isinstance(uid, str):
            uid = auth.new_session_uid()
            session[SESSION_UID] = uid
        issued = auth.issue_session_token(uid)
        return TokenMessageOut(message="this is a public url.", token=issued.token)

    @blueprint.get("/api/restricted")
    @requires_auth
    @spec.validate(resp=answers(401, HTTP_200=MessageOut), tags=TAGS, security=BEARER_AUTH)
    def restricted() -> MessageOut:
        """Needs a valid token, and the session it is bound to."""
        return MessageOut(message="this is a restricted url.")

    return blueprint
