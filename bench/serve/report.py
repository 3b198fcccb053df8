"""The bench's table (Markdown, for docs/performance.md) and chart (PNG, with matplotlib)."""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path
from typing import Any


def machine() -> str:
    """CPU model, cores, memory and OS of this machine, in one line."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory_kib = int(line.split()[1])
    gib = memory_kib / 1024 / 1024
    return (
        f"{model}, {os.cpu_count()} cores, {gib:.0f} GiB, {platform.system()} {platform.release()}"
    )


BACKEND_TITLES = {
    "sqlite": "SQLite, file sessions, counters in process",
    "postgresql": "PostgreSQL, sessions and rate limits in Redis",
}


def print_tables(results: dict[str, Any]) -> None:
    """The run's conditions, one Markdown table per backend, then the in-process figures."""
    load = results.get("load_average", {})
    print(
        f"{results['server']} {results['server_version']} ({results.get('worker', 'gevent')} "
        f"workers), Python {results['python']}, {results['connections']} connections, "
        f"{results['rounds']} rounds of {results['duration_seconds']:.0f} s per route (medians), "
        f"{results['machine']}, load average {load.get('start', 0):.1f} at the start and "
        f"{load.get('end', 0):.1f} at the end"
    )
    for backend, figures in results["backends"].items():
        print()
        print(f"**{BACKEND_TITLES.get(backend, backend)}** (`{backend}`)")
        print()
        print(
            "| route | req/s | p50 ms | p99 ms | bare req/s | ratio | limit app req/s "
            "| limit_ratio | worker CPU ms/req: service, bare, limit | errors |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in figures["routes"]:
            print(
                f"| `{row['route']}` | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
                f"| {row['p99_ms']:.2f} | {row['bare_requests_per_second']:,.0f} "
                f"| {row['ratio']:.2f} | {row['limit_requests_per_second']:,.0f} "
                f"| {row['limit_ratio']:.2f} | {row['worker_cpu_ms_per_request']:.2f}, "
                f"{row['bare_worker_cpu_ms_per_request']:.2f}, "
                f"{row['limit_worker_cpu_ms_per_request']:.2f} | {row['errors']} |"
            )
        rss = figures["worker_rss_mib"]
        print()
        print(
            "worker RSS after the run (MiB): "
            + "; ".join(
                f"{name} " + ", ".join(f"{value:.0f}" for value in values)
                for name, values in rss.items()
            )
        )
    tokens, startup = results["tokens_per_second"], results["startup"]
    print()
    print(
        f"tokens in process: issue {tokens['issue']:,}/s, verify {tokens['verify']:,}/s, "
        f"verify (cached) {tokens['verify_cached']:,}/s"
    )
    print(
        f"start-up: import api {startup['import_seconds']:.2f} s, "
        f"create_app() {startup['create_app_seconds'] * 1000:.0f} ms"
    )


def print_observability(results: dict[str, Any]) -> None:
    """The observability overhead's table, when the run measured it."""
    if not results.get("observability_overhead"):
        return
    from overhead import print_overhead  # overhead.py imports load.py, which report.py needs not

    print()
    rounds = results.get("observability_overhead_rounds", results["rounds"])
    duration = results.get("observability_overhead_duration_seconds", results["duration_seconds"])
    print(
        f"Observability overhead, on `{results['observability_overhead_backend']}`, "
        f"{rounds} rounds of {duration:g} s (medians):"
    )
    print_overhead(results["observability_overhead"])


def write_chart(results: dict[str, Any], path: Path) -> None:
    """Requests/s of each route on each backend: bare app, service and limit app side by side,
    the service's bar labelled with its ratio and limit_ratio."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is missing (pip install -e '.[bench]'): no chart at {path}")
        return
    backends = results["backends"]
    figure, panels = plt.subplots(
        len(backends), 1, figsize=(11, 4.5 * len(backends)), squeeze=False
    )
    for axes, (backend, figures) in zip(panels[:, 0], backends.items(), strict=True):
        rows = figures["routes"]
        positions = range(len(rows))
        bars = {}
        for offset, (label, key) in zip(
            (-0.27, 0.0, 0.27),
            (("bare Flask", "bare_"), ("service", ""), ("limit app", "limit_")),
            strict=True,
        ):
            bars[label] = axes.bar(
                [p + offset for p in positions],
                [r[f"{key}requests_per_second"] for r in rows],
                0.27,
                label=label,
            )
        for bar, row in zip(bars["service"], rows, strict=True):
            axes.annotate(
                f"{row['ratio']:.2f}x / {row['limit_ratio']:.2f}x",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        axes.set_xticks(list(positions), [row["route"] for row in rows], rotation=10)
        axes.set_ylabel("requests/s")
        axes.set_title(
            f"{BACKEND_TITLES.get(backend, backend)}: the service's ratio to bare / to limit app",
            fontsize=9,
        )
        axes.legend(fontsize=8)
    figure.suptitle(
        f"{results['server']} {results['server_version']}, 2 workers: {results['machine']}",
        fontsize=9,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print(f"chart: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description="The tables of a bench run, from its JSON.")
    parser.add_argument(
        "--markdown", action="store_true", help="the whole tables (else: the ratios, a line each)"
    )
    parser.add_argument("--results", type=Path, default=Path(__file__).parents[1] / "results.json")
    parser.add_argument("--chart", type=Path, help="also draw the chart to this PNG")
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    if "backends" not in results:
        raise SystemExit(f"{args.results} is from an older bench (no per-backend figures)")
    if args.markdown:
        print_tables(results)
        print_observability(results)
    else:
        for backend, figures in results["backends"].items():
            for row in figures["routes"]:
                print(
                    f"{backend} {row['route']}: ratio {row['ratio']:.2f}, "
                    f"limit_ratio {row['limit_ratio']:.2f}"
                )
    if args.chart:
        write_chart(results, args.chart)


if __name__ == "__main__":
    main()
