"""Benchmark request/response schema libraries for the Flask template; one command runs it all.

    python bench/schema_choice/run.py [--n 5000] [--rounds 3] [--startup-runs 5]

Checks that every candidate app behaves the same, then measures (interleaved round-robin
between candidates, median of the rounds) requests/s through Flask's test client and through
app.wsgi_app with a prebuilt environ, then import/construction time (fresh interpreters) and the
installed footprint beyond Flask. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from werkzeug.test import EnvironBuilder

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# key, label, module, distributions it adds on top of Flask
CANDIDATES = [
    ("F", "plain Flask, no validation", "app_plain", []),
    ("E", "Flask + hand pydantic v2", "app_pydantic", ["pydantic"]),
    ("A", "spectree + pydantic v2", "app_spectree", ["spectree", "pydantic"]),
    ("B", "flask-openapi3 + pydantic v2", "app_openapi3", ["flask-openapi3"]),
    ("C", "apiflask + marshmallow", "app_apiflask", ["apiflask"]),
    ("C'", "apiflask + pydantic v2", "app_apiflask_pyd", ["apiflask"]),
    ("D", "flask-smorest + marshmallow", "app_smorest", ["flask-smorest"]),
]
BODY = {"title": "benchmark item"}
FIELDS = {"id", "title", "owner_id", "created_at", "updated_at", "version"}
ENVELOPE = {"error", "message", "success", "details"}
VERSIONS = ["flask", "werkzeug", "pydantic", "spectree", "flask-openapi3", "flask-openapi3-swagger"]
VERSIONS += ["apiflask", "flask-smorest", "marshmallow", "webargs", "apispec"]


# ---------------------------------------------------------------- behaviour + docs checks
def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def _docs(spec: dict[str, Any]) -> dict[str, str]:
    schemes = spec.get("components", {}).get("securitySchemes", {})
    bearer = any(s.get("scheme") == "bearer" for s in schemes.values())
    resp = _resolve(spec, spec["paths"]["/items"]["post"]["responses"].get("422", {}))
    schema = _resolve(spec, resp.get("content", {}).get("application/json", {}).get("schema", {}))
    shape = "envelope"
    if schema.get("type") == "array":
        shape, schema = "array of envelope", _resolve(spec, schema.get("items", {}))
    if not ENVELOPE <= set(schema.get("properties", {})):
        shape = "other"
    return {"openapi": spec.get("openapi", "?"), "bearer": "yes" if bearer else "no", "422": shape}


def check(key: str, mod: Any, app: Any) -> tuple[str, dict[str, str]]:
    """Assert equivalent behaviour; return an existing item id and what the docs declare."""
    client = app.test_client()
    created = client.post("/items", json=BODY)
    assert created.status_code == 201, (key, created.status_code, created.data)
    out = created.get_json()
    assert set(out) == FIELDS and out["title"] == BODY["title"] and out["version"] == 1, out
    datetime.fromisoformat(out["created_at"])
    got = client.get(f"/items/{out['id']}")
    assert got.status_code == 200 and got.get_json() == out, (key, got.data)
    missing = client.get("/items/missing")
    assert missing.status_code == 404 and missing.get_json()["success"] is False, key
    if key != "F":
        for bad in ({"title": ""}, {"title": "x" * 81}, {}):
            res = client.post("/items", json=bad)
            body = res.get_json()
            assert res.status_code == 422 and set(body) == ENVELOPE and body["details"], key
    spec = client.get(getattr(mod, "SPEC_URL", "/openapi.json"))
    docs = _docs(spec.get_json()) if spec.status_code == 200 else {}
    return out["id"], docs


# ---------------------------------------------------------------- throughput
Runner = Callable[[int], float]  # run `count` requests, return the elapsed seconds


def tc_runner(app: Any, method: str, path: str, expect: int) -> Runner:
    client = app.test_client()
    call = client.post if method == "POST" else client.get
    kwargs = {"json": BODY} if method == "POST" else {}

    def run(count: int) -> float:
        bad = 0
        t0 = time.perf_counter()
        for _ in range(count):
            if call(path, **kwargs).status_code != expect:
                bad += 1
        elapsed = time.perf_counter() - t0
        assert not bad, (path, bad)
        return elapsed

    return run


def wsgi_runner(app: Any, method: str, path: str, expect: int) -> Runner:
    builder = EnvironBuilder(path=path, method=method, json=BODY if method == "POST" else None)
    base = builder.get_environ()  # built once per request shape
    body = base["wsgi.input"].read()
    builder.close()
    wsgi, statuses = app.wsgi_app, []

    def start_response(status: str, _headers: Any, _exc_info: Any = None) -> None:
        statuses.append(status)

    def run(count: int) -> float:
        statuses.clear()
        t0 = time.perf_counter()
        for _ in range(count):
            environ = base.copy()
            environ["wsgi.input"] = io.BytesIO(body)
            result = wsgi(environ, start_response)
            for _chunk in result:
                pass
            if hasattr(result, "close"):
                result.close()
        elapsed = time.perf_counter() - t0
        assert all(s.startswith(str(expect)) for s in statuses), (path, set(statuses))
        return elapsed

    return run


def throughput(
    apps: dict[str, Any], stores: dict[str, Any], ids: dict[str, str], args: Any
) -> dict[Any, list[float]]:
    """req/s per (mode, route, candidate) and round.

    Each round gives every candidate n requests per route, handed out round-robin in chunks
    (rotating who goes first) so that a burst of outside load hits all candidates alike.
    """
    res: dict[Any, list[float]] = defaultdict(list)
    keys = list(apps)
    for rnd in range(args.rounds):
        for mode, factory in (("tc", tc_runner), ("wsgi", wsgi_runner)):
            for route in ("POST", "GET"):
                runners = {
                    key: factory(
                        apps[key],
                        route,
                        "/items" if route == "POST" else f"/items/{ids[key]}",
                        201 if route == "POST" else 200,
                    )
                    for key in keys
                }
                spent = dict.fromkeys(keys, 0.0)
                for chunk in range(args.n // args.chunk):
                    turn = (rnd + chunk) % len(keys)
                    for key in keys[turn:] + keys[:turn]:
                        gc.collect()
                        spent[key] += runners[key](args.chunk)
                        stores[key].prune(ids[key])
                for key in keys:
                    res[mode, route, key].append(args.n // args.chunk * args.chunk / spent[key])
        print(f"  round {rnd + 1}/{args.rounds} done", file=sys.stderr)
    return res


# ---------------------------------------------------------------- startup + footprint
STARTUP = """
import sys, time
t0 = time.perf_counter()
mod = __import__(sys.argv[1])
t1 = time.perf_counter()
app = mod.create_app()
t2 = time.perf_counter()
app.test_client().get(getattr(mod, "SPEC_URL", "/openapi.json"))
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def startup(runs: int) -> dict[str, list[float]]:
    samples: dict[str, list[list[float]]] = defaultdict(list)
    for rnd in range(runs + 1):  # first pass warms the .pyc caches and is discarded
        for key, _label, module, _roots in CANDIDATES:
            cmd = [sys.executable, "-c", STARTUP, module]
            out = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, check=True)
            if rnd:
                samples[key].append([float(x) * 1000 for x in out.stdout.split()])
    return {k: [statistics.median(col) for col in zip(*v, strict=True)] for k, v in samples.items()}


def closure(roots: list[str]) -> dict[str, metadata.Distribution]:
    todo, seen, dists = [(canonicalize_name(r), "") for r in roots], set(), {}
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        try:
            dist = dists.get(name) or metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        dists[name] = dist
        for raw in dist.requires or []:
            req = Requirement(raw)
            if (
                req.marker is None
                and extra
                or req.marker
                and not req.marker.evaluate({"extra": extra})
            ):
                continue
            sub = canonicalize_name(req.name)
            todo += [(sub, "")] + [(sub, e) for e in req.extras]
    return dists


def footprint(roots: list[str]) -> tuple[int, float]:
    base = closure(["flask"])
    extra = {k: d for k, d in closure(["flask", *roots]).items() if k not in base}
    size = sum(
        os.path.getsize(p)
        for d in extra.values()
        for f in d.files or []
        if (p := f.locate()).is_file()
    )
    return len(extra), size / 1e6


# ---------------------------------------------------------------- report
def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def spread(values: list[float]) -> str:
    """Half the range across rounds, as a percentage of the median."""
    return f"±{(max(values) - min(values)) / 2 / statistics.median(values):.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="requests per batch")
    parser.add_argument("--chunk", type=int, default=500, help="requests per interleaving turn")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=9)
    args = parser.parse_args()

    apps, stores, ids, docs = {}, {}, {}, {}
    for key, _label, module, _roots in CANDIDATES:
        mod = importlib.import_module(module)
        stores[key] = importlib.import_module("common").Store()
        apps[key] = mod.create_app(stores[key])
        ids[key], docs[key] = check(key, mod, apps[key])
    print("behaviour checks passed for all candidates", file=sys.stderr)
    gc.collect()
    gc.freeze()  # keep the long-lived setup objects out of the timed collections
    raw = throughput(apps, stores, ids, args)
    st = startup(args.startup_runs)

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    py = f"Python {platform.python_version()} ({platform.system()} {platform.machine()})"
    print(f"Machine: nproc={cpus}, {py}.\n")
    print(f"Load: {args.n} requests per route per candidate per round, handed out round-robin in")
    print(f"chunks of {args.chunk}; median of {args.rounds} rounds (±spread = half the range).")
    print("×F and +µs are computed per round against plain Flask (F) in that round, then the")
    print("median is taken.\n")
    print("Versions: " + ", ".join(f"{v}=={version(v)}" for v in VERSIONS) + "\n")
    for mode, title in (("tc", "Flask test client"), ("wsgi", "app.wsgi_app, prebuilt environ")):
        print(f"### Throughput: {title} (req/s, ×F = ratio to plain Flask)\n")
        print("| candidate | POST req/s ±spread | POST ×F | GET req/s ±spread | GET ×F |", end="")
        print(" +µs/req vs F (POST / GET) |")
        print("|---|---:|---:|---:|---:|---:|")
        for key, label, _m, _r in CANDIDATES:
            cells = []
            for route in ("POST", "GET"):
                mine, floor = raw[mode, route, key], raw[mode, route, "F"]
                ratio = statistics.median(c / f for c, f in zip(mine, floor, strict=True))
                extra = statistics.median(
                    1e6 / c - 1e6 / f for c, f in zip(mine, floor, strict=True)
                )
                cells += [
                    f"{statistics.median(mine):,.0f} {spread(mine)}",
                    f"{ratio:.2f}",
                    f"{extra:+.0f}",
                ]
            print(f"| {key} {label} | {cells[0]} | {cells[1]} | {cells[3]} | {cells[4]} |", end="")
            print(f" {cells[2]} / {cells[5]} |")
        print()
    print("### Startup, footprint, docs\n")
    print(
        "| candidate | import ms | create_app ms | 1st spec ms | extra dists | extra MB |", end=""
    )
    print(" OpenAPI | bearer | 422 documented as |")
    print("|---|---:|---:|---:|---:|---:|---|---|---|")
    for key, label, _module, roots in CANDIDATES:
        imp, build, spec = st[key]
        count, size = footprint(roots)
        d = docs[key] or {"openapi": "—", "bearer": "—", "422": "—"}
        spec_ms = f"{spec:.1f}" if docs[key] else "—"
        print(
            f"| {key} {label} | {imp:.0f} | {build:.1f} | {spec_ms} | {count} | {size:.1f} |"
            f" {d['openapi']} | {d['bearer']} | {d['422']} |"
        )


if __name__ == "__main__":
    main()
