"""Instructions per request of one gunicorn worker, counted by callgrind: the service as served
(gevent, production settings, PostgreSQL with Redis), repeatable on a busy machine.

bench/route_instructions.py counts the app in process through Flask's test client; this counts
what the worker itself runs, gevent's waits on the database and Redis sockets and gunicorn's
parsing included. One worker, one keep-alive client sending one request at a time; callgrind's
counters are dumped after a warm-up and after `--requests` more, and again after as many:

    python bench/serve/worker_instructions.py [--tree PATH] [--requests 60] [--read PATH]
                                              [--reads-only] [--set NAME=VALUE ...] [--sqlite]

`--tree` serves another checkout's `src` and `deploy` (a `git worktree` of an earlier commit)
with this one's harness; `--read` sends that GET before each create, as `make bench` runs the
reads before the writes on the same pooled connections (`{item}` in it: a seeded item's id);
`--reads-only` sends that GET alone. `--set` adds a variable to the worker's environment, as
the overhead runs do (`OTEL_TRACES_SAMPLER=traceidratio`, say). It creates (and drops) the
database `hexapi_worker_instructions` on the server of BENCH_POSTGRES_URL and uses Redis db 12
of BENCH_REDIS_URL; with `--sqlite`, a SQLite file and sessions in files instead (the bench's
`sqlite` configuration). Slow: the worker imports the service under callgrind (minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.client import HTTPConnection
from pathlib import Path

from redis import Redis
from rounds import seed
from servers import REPO, Server, production_env
from sqlalchemy.engine import make_url

from adapters.sql.database import db_create_all, db_drop_all

HARNESS = Path(__file__).resolve().parent
POSTGRES = make_url(
    os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
).set(database="hexapi_worker_instructions")
# The server, as bench/pg_round_trips.py takes it, without a database number.
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379") + "/12"
WARM = 20


@contextmanager
def worker_under_callgrind(
    tree: Path, folder: Path, env: dict[str, str]
) -> Iterator[tuple[Server, int]]:
    """gunicorn with one worker under callgrind (counting from its first request); its pid."""
    command = ["valgrind", "--tool=callgrind", "--trace-children=yes", "--instr-atstart=no"]
    command += [f"--callgrind-out-file={folder}/cg.%p", sys.executable, "-m", "gunicorn"]
    command += ["-c", str(tree / "deploy" / "gunicorn.conf.py"), "api.wsgi:app"]
    log = folder / "gunicorn.log"
    # Booting under callgrind takes minutes: no worker timeout while it imports.
    env = env | {"WEB_CONCURRENCY": "1", "WORKER_TIMEOUT": "3600"}
    env["PYTHONPATH"] = f"{tree / 'src'}:{HARNESS}"
    with log.open("wb") as out:
        master = subprocess.Popen(
            command, env=env, cwd=folder, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        port = None
        while port is None:
            if master.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            port = int(found.group(1)) if found else None
            time.sleep(1)
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
        while not children.read_text().split():  # the worker is forked after the bind
            time.sleep(1)
        (worker,) = map(int, children.read_text().split())
        subprocess.run(
            ["callgrind_control", "-i", "on", str(worker)], check=True, capture_output=True
        )
        yield Server(process=master, port=port, log=log), worker
    finally:
        master.terminate()
        master.wait(timeout=300)


def dumped(worker: int, folder: Path) -> int:
    """Ask callgrind for a dump of the worker; the instructions since the last one."""
    before = set(folder.glob(f"cg.{worker}.*"))
    subprocess.run(["callgrind_control", "-d", str(worker)], check=True, capture_output=True)
    (dump,) = set(folder.glob(f"cg.{worker}.*")) - before
    for line in dump.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no total in {dump}")


def answered(connection: HTTPConnection, method: str, path: str, **kwargs: object) -> int:
    connection.request(method, path, **kwargs)  # type: ignore[arg-type]
    response = connection.getresponse()
    response.read()
    return response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=REPO)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--read", help="a GET path sent before each create")
    parser.add_argument("--reads-only", action="store_true", help="the GET alone, no create")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, sessions in files")
    arguments = parser.parse_args()
    if arguments.reads_only and not arguments.read:
        parser.error("--reads-only needs --read")
    folder = Path(tempfile.mkdtemp(prefix="worker-instructions-"))
    url = POSTGRES.render_as_string(hide_password=False)
    if arguments.sqlite:
        # The bench's `sqlite` configuration: the instance folder's file, no Redis.
        url = f"sqlite:///{folder / 'worker.db'}"
    db_drop_all(url, drop_db=True)
    db_create_all(url)
    redis = Redis.from_url(REDIS)
    redis.flushdb()
    stores = {"DATABASE_URL": url} | ({} if arguments.sqlite else {"REDIS_URL": REDIS})
    env = production_env(folder, **stores)
    env |= dict(setting.split("=", 1) for setting in arguments.set)
    try:
        with worker_under_callgrind(arguments.tree.resolve(), folder, env) as (server, worker):
            while True:
                with suppress(OSError):
                    probe = HTTPConnection("127.0.0.1", server.port, timeout=600)
                    if answered(probe, "GET", "/") == 200:
                        break
                time.sleep(2)
            auth, item_id = seed(server, count=WARM)
            read = (arguments.read or "").replace("{item}", item_id)
            headers = dict(auth) | {"Content-Type": "application/json"}
            client = HTTPConnection("127.0.0.1", server.port, timeout=600)
            titles = iter(range(10**9))

            def one() -> None:
                if read:
                    assert answered(client, "GET", read) == 200
                if arguments.reads_only:
                    return
                body = json.dumps({"title": f"counted {next(titles)}"})
                assert answered(client, "POST", "/api/items", body=body, headers=headers) == 201

            for _ in range(WARM):
                one()
            dumped(worker, folder)
            counts = []
            for _ in range(2):
                for _ in range(arguments.requests):
                    one()
                counts.append(dumped(worker, folder) / arguments.requests / 1e6)
            client.close()
        what = f"GET {arguments.read} and POST /api/items" if arguments.read else "POST /api/items"
        if arguments.reads_only:
            what = f"GET {arguments.read}"
        what += "".join(f" {setting}" for setting in arguments.set)
        figures = ", ".join(f"{count:.3f}" for count in counts)
        # The dumps stay in the folder, for callgrind_annotate.
        print(f"{arguments.tree}: {what}: {figures} M instructions per request ({folder})")  # noqa: T201
    finally:
        redis.flushdb()
        redis.close()
        db_drop_all(url, drop_db=True)


if __name__ == "__main__":
    main()
