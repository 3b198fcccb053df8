"""The bench's table (Markdown, for docs/performance.md) and chart (PNG, with matplotlib)."""

from __future__ import annotations

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


def print_table(results: dict[str, Any]) -> None:
    """The whole run as one Markdown table plus the in-process figures."""
    print(
        f"{results['server']} {results['server_version']}, Python {results['python']}, "
        f"{results['connections']} connections, {results['rounds']} rounds of "
        f"{results['duration_seconds']:.0f} s per route (medians), {results['machine']}"
    )
    print()
    print(
        "| route | req/s | p50 ms | p99 ms | bare Flask req/s | ratio "
        "| worker CPU ms/req (bare) | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in results["routes"]:
        print(
            f"| `{row['route']}` | {row['requests_per_second']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {row['bare_requests_per_second']:,.0f} "
            f"| {row['ratio']:.2f} | {row['worker_cpu_ms_per_request']:.2f} "
            f"({row['bare_worker_cpu_ms_per_request']:.2f}) | {row['errors']} |"
        )
    tokens, startup = results["tokens_per_second"], results["startup"]
    rss = results["worker_rss_mib"]
    print()
    print(
        f"tokens in process: issue {tokens['issue']:,}/s, verify {tokens['verify']:,}/s, "
        f"verify (cached) {tokens['verify_cached']:,}/s"
    )
    print(
        f"start-up: import api {startup['import_seconds']:.2f} s, "
        f"create_app() {startup['create_app_seconds'] * 1000:.0f} ms"
    )
    print(
        "worker RSS after the run (MiB): service "
        + ", ".join(f"{value:.0f}" for value in rss["service"])
        + "; bare Flask "
        + ", ".join(f"{value:.0f}" for value in rss["bare"])
    )


def write_chart(results: dict[str, Any], path: Path) -> None:
    """Requests/s of each route beside the bare app's, with the ratio written on top."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is missing (pip install -e '.[bench]'): no chart at {path}")
        return
    rows = results["routes"]
    names = [row["route"] for row in rows]
    positions = range(len(rows))
    figure, axes = plt.subplots(figsize=(10, 5))
    axes.bar(
        [p - 0.2 for p in positions],
        [r["bare_requests_per_second"] for r in rows],
        0.4,
        label="bare Flask",
    )
    bars = axes.bar(
        [p + 0.2 for p in positions], [r["requests_per_second"] for r in rows], 0.4, label="service"
    )
    for bar, row in zip(bars, rows, strict=True):
        axes.annotate(
            f"{row['ratio']:.2f}x",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
        )
    axes.set_xticks(list(positions), names, rotation=15)
    axes.set_ylabel("requests/s")
    axes.set_title(
        f"{results['server']} {results['server_version']}, 2 workers: {results['machine']}",
        fontsize=9,
    )
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print(f"chart: {path}")
