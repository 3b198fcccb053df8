"""`make soak`: mixed reads and writes from N clients for a bounded time, then every write checked.

The service runs under gunicorn with its default settings (2 gevent workers, SQLite in a
temporary instance folder, production mode) on a loopback port. Each client has its own
anonymous session and mixes reads of any item, listings, creations and renames of its own
items. Afterwards every item answered 201 must read back with the last title answered 200,
and the total must equal the number of 201s. Worker RSS is sampled all along:

    python bench/soak.py [--clients 16] [--duration 120]

Exits 1 on any 5xx, any connection error, any lost or wrong write.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "serve"))

from servers import Server, production_env, serving  # noqa: E402

# How often each operation is drawn, out of 100.
MIX = {"get": 45, "list": 20, "restricted": 5, "create": 20, "rename": 10}
RSS_EVERY_SECONDS = 5.0


@dataclass
class Client:
    """One simulated client: its session, its items and what it saw."""

    number: int
    port: int
    headers: dict[str, str] = field(default_factory=dict)
    titles: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (title, version)
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)
    connection: HTTPConnection | None = None

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request on this client's connection (reopened when the server closes it)."""
        if self.connection is None:
            self.connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except OSError as error:
            self.connection.close()
            self.connection = None
            raise ConnectionError(f"{method} {path}: {error!r}") from error
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, json.loads(content) if content else None


def open_session(client: Client) -> None:
    """An anonymous token bound to a session of the client's own."""
    client.connection = HTTPConnection("127.0.0.1", client.port, timeout=30)
    client.connection.request("GET", "/api/public")
    response = client.connection.getresponse()
    body = json.loads(response.read())
    cookie = re.search(r"(session=[^;]+)", response.getheader("Set-Cookie", ""))
    assert response.status == 200 and cookie, body
    client.headers = {"Authorization": f"Bearer {body['token']}", "Cookie": cookie.group(1)}
    client.connection.close()
    client.connection = None


def step(client: Client, shared_ids: list[str], rng: random.Random) -> None:
    """One operation drawn from MIX; its status is counted."""
    operation = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    if operation == "create" or (operation in ("get", "rename") and not client.titles):
        title = f"soak {client.number}-{len(client.titles)}-{rng.getrandbits(32):08x}"
        status, body = client.call("POST", "/api/items", {"title": title})
        if status == 201:
            client.titles[body["id"]] = (title, body["version"])
            shared_ids.append(body["id"])
        operation = "create"
    elif operation == "get":
        status, _ = client.call("GET", f"/api/items/{rng.choice(shared_ids)}")
    elif operation == "list":
        status, _ = client.call("GET", f"/api/items?limit=20&offset={rng.randrange(0, 200)}")
    elif operation == "restricted":
        status, _ = client.call("GET", "/api/restricted")
    else:
        item_id = rng.choice(list(client.titles))
        _, version = client.titles[item_id]
        title = f"renamed {client.number}-{rng.getrandbits(48):012x}"
        status, body = client.call(
            "PATCH", f"/api/items/{item_id}", {"title": title, "version": version}
        )
        if status == 200:
            client.titles[item_id] = (title, body["version"])
    client.statuses[f"{operation} {status}"] += 1


def drive(client: Client, shared_ids: list[str], deadline: float, seed: int) -> None:
    """Run operations until the deadline; errors are recorded, never raised."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        try:
            step(client, shared_ids, rng)
        except ConnectionError as error:
            client.errors.append(str(error))
    if client.connection is not None:
        client.connection.close()


def sample_rss(service: Server, samples: list[dict[int, float]], stop: threading.Event) -> None:
    """Worker RSS every RSS_EVERY_SECONDS until stopped."""
    while not stop.wait(RSS_EVERY_SECONDS):
        pids = service.worker_pids()
        samples.append(dict(zip(pids, service.worker_rss_mib(), strict=True)))


def verify(clients: list[Client], port: int) -> tuple[int, list[str]]:
    """Read back every item created; (items checked, problems found)."""
    checker = Client(number=-1, port=port)
    problems = []
    expected = {item_id: title for c in clients for item_id, (title, _) in c.titles.items()}
    for item_id, title in expected.items():
        status, body = checker.call("GET", f"/api/items/{item_id}")
        if status != 200 or body["title"] != title:
            problems.append(f"{item_id}: {status} {body}")
    _, page = checker.call("GET", "/api/items?limit=1")
    if page["total"] != len(expected):
        problems.append(f"total {page['total']} != {len(expected)} created")
    if checker.connection is not None:
        checker.connection.close()
    return len(expected), problems


def report(
    clients: list[Client],
    seconds: float,
    checked: int,
    problems: list[str],
    rss: list[dict[int, float]],
) -> bool:
    """Print the figures; whether the soak passed."""
    statuses: collections.Counter[str] = collections.Counter()
    for client in clients:
        statuses.update(client.statuses)
    served = sum(statuses.values())
    server_errors = sum(n for key, n in statuses.items() if key.split()[1].startswith("5"))
    connection_errors = sum(len(client.errors) for client in clients)
    print(f"requests served: {served:,} in {seconds:.0f} s ({served / seconds:,.0f}/s)")
    for key, count in sorted(statuses.items()):
        print(f"  {key}: {count:,}")
    print(f"5xx: {server_errors}, connection errors: {connection_errors}")
    print(f"writes verified: {checked:,} items read back, problems: {len(problems)}")
    for problem in problems[:10]:
        print(f"  {problem}")
    stable = True
    if rss:
        first, middle, last = rss[0], rss[len(rss) // 2], rss[-1]
        for pid in sorted(first):
            if pid in last:
                growth = last[pid] - middle.get(pid, last[pid])
                stable = stable and growth < 5.0
                print(
                    f"worker {pid} RSS MiB: start {first[pid]:.1f}, "
                    f"middle {middle.get(pid, 0):.1f}, end {last[pid]:.1f} "
                    f"(second half {growth:+.1f})"
                )
            else:
                print(f"worker {pid} was replaced during the run")
                stable = False
    print("memory: " + ("stable in the second half" if stable else "STILL GROWING"))
    return server_errors == 0 and connection_errors == 0 and not problems and stable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=120.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hexapi-soak-") as temporary:
        folder = Path(temporary)
        env = production_env(folder / "instance")
        with serving("api.wsgi:app", env, folder / "service") as service:
            clients = [Client(number=n, port=service.port) for n in range(args.clients)]
            for client in clients:
                open_session(client)
            shared_ids: list[str] = []
            stop, rss = threading.Event(), []
            sampler = threading.Thread(target=sample_rss, args=(service, rss, stop))
            deadline = time.monotonic() + args.duration
            threads = [
                threading.Thread(target=drive, args=(client, shared_ids, deadline, n))
                for n, client in enumerate(clients)
            ]
            started = time.monotonic()
            sampler.start()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.monotonic() - started
            stop.set()
            sampler.join()
            checked, problems = verify(clients, service.port)
    passed = report(clients, seconds, checked, problems, rss)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
