"""The original boilerplate's endpoints: hello, the anonymous token, and the restricted page."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, session

from adapters.http.auth import SESSION_UID, requires_auth
from adapters.http.services import services


def root_blueprint() -> Blueprint:
    """`GET /`, `GET /api/public`, `GET /api/restricted`."""
    blueprint = Blueprint("root", __name__)

    @blueprint.get("/")
    def hello() -> Response:
        return jsonify(message="Hello World")

    @blueprint.get("/api/public")
    def public() -> Response:
        auth = services().auth_service()
        uid = session.get(SESSION_UID)
        if not isinstance(uid, str):
            uid = auth.new_session_uid()
            session[SESSION_UID] = uid
        issued = auth.issue_session_token(uid)
        return jsonify(message="this is a public url.", token=issued.token)

    @blueprint.get("/api/restricted")
    @requires_auth
    def restricted() -> Response:
        return jsonify(message="this is a restricted url.")

    return blueprint
