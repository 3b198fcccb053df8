"""Under the production server every refusal is the JSON envelope: gunicorn's own and the app's.

Malformed chunked bodies reach the app and answer 400; requests gunicorn's parser refuses answer
the status gunicorn gives them, as JSON (src/api/gunicorn_errors.py).
"""

from __future__ import annotations

import inspect
import logging
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from gunicorn.http import errors
from gunicorn.workers.base import Worker

from adapters.sql.database import db_create_all
from api.gunicorn_errors import JsonErrors
from tests.integration.processes import Service, gunicorn_service, service_env
from tests.integration.raw_http import RawAnswer, exchange

pytestmark = pytest.mark.integration

CHUNKED_POST = (
    "POST {path} HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n\r\n"
)
MALFORMED_CHUNKS = {
    "chunk size not hexadecimal": b"zz\r\n{}\r\n0\r\n\r\n",
    "chunk size with a 0x prefix": b"0x15\r\n" + b'{"username": "x"}    ' + b"\r\n0\r\n\r\n",
    "chunk without its terminator": b"2\r\n{}0\r\n\r\n",
    "trailer that is not a header": b"2\r\n{}\r\n0\r\nnot a header\r\n\r\n",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    directory = tmp_path_factory.mktemp("gunicorn-errors")
    db_create_all(f"sqlite:///{directory / 'app.db'}")
    with gunicorn_service(service_env(directory), directory / "run") as running:
        yield running


def assert_json_envelope(answer: RawAnswer, status: int) -> str:
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert (body["error"], body["success"]) == (status, False)
    assert isinstance(body["message"], str) and body["message"]
    assert b"<html" not in answer.body and b"Traceback" not in answer.body
    message: str = body["message"]
    return message


@pytest.mark.parametrize("path", ["/api/users", "/api/auth/token", "/api/items"])
@pytest.mark.parametrize("body", MALFORMED_CHUNKS.values(), ids=MALFORMED_CHUNKS.keys())
def test_a_malformed_chunked_body_is_a_400_on_any_post_route(
    service: Service, path: str, body: bytes
) -> None:
    answer = exchange(service.port, CHUNKED_POST.format(path=path).encode() + body)
    assert "could not be read" in assert_json_envelope(answer, 400)


def test_chunks_with_bare_line_feeds_are_a_400_once_the_client_stops_sending(
    service: Service,
) -> None:
    request = CHUNKED_POST.format(path="/api/users").encode() + b"2\n{}\n0\n\n"
    answer = exchange(service.port, request, half_close=True)
    assert "could not be read" in assert_json_envelope(answer, 400)


def test_no_malformed_body_created_a_user_or_crashed_a_worker(service: Service) -> None:
    for body in MALFORMED_CHUNKS.values():
        exchange(service.port, CHUNKED_POST.format(path="/api/users").encode() + body)
    assert service.call("GET", "/healthz").status == 200
    assert "Traceback" not in service.log()
    assert '"level": "ERROR"' not in service.log()


def test_gevent_patched_the_standard_library_before_the_service_imported_it(
    service: Service,
) -> None:
    # deploy/gunicorn.conf.py patches first; patched late, gevent warns of modules holding `ssl`.
    assert "Using worker: api.gunicorn_workers.GeventWorker" in service.log()
    assert "MonkeyPatchWarning" not in service.log()


PARSER_REFUSALS = {
    "garbage request line": (b"GARBAGE\r\n\r\n", 400),
    "unknown HTTP version": (b"GET / HTTP/9.9\r\nHost: api\r\n\r\n", 400),
    "header without a colon": (b"GET / HTTP/1.1\r\nHost: api\r\nno colon\r\n\r\n", 400),
    "request line over 4094 bytes": (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", 414),
    "header field over 8190 bytes": (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
    "more than 100 header fields": (
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(150)) + b"\r\n",
        431,
    ),
    "unknown transfer coding": (
        b"POST /api/users HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: br\r\n\r\n",
        501,
    ),
}


@pytest.mark.parametrize(("request_bytes", "status"), PARSER_REFUSALS.values(), ids=PARSER_REFUSALS)
def test_requests_gunicorn_refuses_answer_its_status_in_the_envelope(
    service: Service, request_bytes: bytes, status: int
) -> None:
    answer = exchange(service.port, request_bytes)
    assert_json_envelope(answer, status)
    assert answer.headers["connection"] == "close"
    assert answer.headers["x-content-type-options"] == "nosniff"


# Where the envelope deliberately differs from gunicorn's own status: a malformed PROXY header is
# the client's fault too.
DELIBERATE = {errors.InvalidProxyHeader: 400, errors.ParseException: 400}


class Probe(JsonErrors, Worker):  # type: ignore[misc]
    """gunicorn's base worker, with our error writer: enough to call both on a real socket."""


def every_gunicorn_error() -> list[BaseException]:
    found: list[BaseException] = [ssl.SSLError("handshake failed")]
    for kind in vars(errors).values():
        if inspect.isclass(kind) and issubclass(kind, errors.ParseException):
            required = [
                parameter
                for parameter in list(inspect.signature(kind.__init__).parameters.values())[1:]
                if parameter.default is parameter.empty
                and parameter.kind is parameter.POSITIONAL_OR_KEYWORD
            ]
            found.append(kind(*["x"] * len(required)))
    return found


def answer_of(handle_error: Any, worker: Worker, error: BaseException) -> bytes:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.shutdown(socket.SHUT_WR)  # the client has sent all it will: no lingering close
        handle_error(worker, None, ours, ("127.0.0.1", 4321), error)
        ours.close()
        received = b""
        while chunk := theirs.recv(65536):
            received += chunk
    return received


def test_the_envelope_gives_every_gunicorn_parser_error_the_status_gunicorn_gives_it() -> None:
    # Fails when gunicorn adds an error, changes a status or stops calling handle_error this way.
    config = Config()
    worker = Probe(0, 0, [], None, 30, config, Logger(config))
    logging.getLogger("gunicorn.error").disabled = True
    try:
        for error in every_gunicorn_error():
            gunicorn_answer = answer_of(Worker.handle_error, worker, error)
            gunicorn_status = int(gunicorn_answer.split()[1])
            our_answer = answer_of(Probe.handle_error, worker, error)
            head, _, body = our_answer.partition(b"\r\n\r\n")
            expected = DELIBERATE.get(type(error), gunicorn_status)
            assert int(head.split()[1]) == expected, (type(error).__name__, gunicorn_answer)
            assert b"Content-Type: application/json" in head
            assert body.startswith(b'{"error": %d, "message": ' % expected)
    finally:
        logging.getLogger("gunicorn.error").disabled = False
        worker.tmp.close()
