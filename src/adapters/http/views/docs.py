"""The OpenAPI document and an interactive Swagger UI page whose assets the service serves."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import cast

from flask import Blueprint, Response, abort, current_app, request
from spectree import SpecTree

from adapters.http.document import Answers
from adapters.http.rate_limits.limits import RateLimits
from adapters.http.schemas import ErrorOut

TAGS = ["docs"]
ASSET_PACKAGE = "offapi"  # Swagger UI 5 as files, maintained as spectree's offline extra
ASSETS = {
    "swagger-ui.css": "offapi/swagger_style.css",
    "swagger-ui-bundle.js": "offapi/swagger_bundle.js",
    "swagger-ui-standalone-preset.js": "offapi/swagger_preset.js",
}
ASSET_MAX_AGE = 24 * 3600

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} — API documentation</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
"""

# Kept out of the page so the page runs under a CSP that allows no inline script.
INIT_SCRIPT = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    persistAuthorization: false
  });
};
"""

# Only the service's own origin: the page works with the network closed, and nothing else runs.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


MIMETYPES = {".css": "text/css", ".js": "text/javascript"}


@cache
def asset(name: str) -> tuple[bytes, str]:
    """The bytes of a Swagger UI asset from its installed package, and their digest."""
    if name == "init.js":
        data = INIT_SCRIPT.encode()
    else:
        path = Path(str(metadata.distribution(ASSET_PACKAGE).locate_file(ASSETS[name])))
        data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:32]


def docs_blueprint(spec: SpecTree, limits: RateLimits, *, title: str) -> Blueprint:
    """`GET /openapi.json`, `GET /docs` and the page's assets under `/docs/assets/`."""
    blueprint = Blueprint("docs", __name__)

    @blueprint.get("/openapi.json")
    @limits.exempt
    @spec.validate(resp=Answers(HTTP_200=None), tags=TAGS)
    def openapi() -> Response:
        """This API's OpenAPI 3.1 document."""
        return cast(Response, current_app.json.response(spec.spec))

    @blueprint.get("/docs")
    @limits.exempt
    @spec.validate(resp=Answers(HTTP_200=None), tags=TAGS)
    def docs() -> Response:
        """An interactive page to read and try the API (Swagger UI, served locally)."""
        page = Response(PAGE.format(title=title), mimetype="text/html")
        page.headers["Content-Security-Policy"] = CSP
        return page

    @blueprint.get("/docs/assets/<name>")
    @limits.exempt
    @spec.validate(resp=Answers(HTTP_200=None, HTTP_404=ErrorOut), tags=TAGS)
    def docs_asset(name: str) -> Response:
        """A file of the documentation page."""
        if name not in ASSETS and name != "init.js":
            abort(404)
        data, digest = asset(name)
        response = Response(data, mimetype=MIMETYPES[Path(name).suffix])
        response.set_etag(digest)
        response.cache_control.public = True
        response.cache_control.max_age = ASSET_MAX_AGE
        return cast(Response, response.make_conditional(request))

    return blueprint
