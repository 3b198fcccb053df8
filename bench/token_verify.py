"""Token verification per second: the service's verify() against the bare jwcrypto calls.

Both open the same token in the same process, interleaved, median of the rounds:

    python bench/token_verify.py [--count 5000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from jwcrypto import jwt

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import TokenKeys, generate_token_keys
from adapters.auth.revocations import InMemoryRevocationList
from adapters.system.clock import SystemClock


def service_for(keys: TokenKeys, *, cache_size: int) -> JweTokenService:
    clock = SystemClock()
    return JweTokenService(
        keys=keys,
        clock=clock,
        revocations=InMemoryRevocationList(clock),
        issuer="hexapi",
        audience="api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=14),
        cache_size=cache_size,
    )


def bare_jwcrypto(keys: TokenKeys) -> Callable[[str], object]:
    """What an application calling jwcrypto directly would do, with its default claim checks."""
    wrapping, signing = keys.wrapping[-1], keys.signing[-1]

    def verify(token: str) -> object:
        outer = jwt.JWT(jwt=token, key=wrapping, expected_type="JWE")
        inner = jwt.JWT(jwt=outer.claims, key=signing, expected_type="JWS")
        return json.loads(inner.claims)

    return verify


def per_second(verify: Callable[[str], object], token: str, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        verify(token)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    keys = generate_token_keys()
    uncached, cached = service_for(keys, cache_size=0), service_for(keys, cache_size=4096)
    token = uncached.issue(subject="bench", permissions=frozenset({"items:admin"})).token
    contenders: dict[str, Callable[[str], object]] = {
        "bare jwcrypto (JWE + JWS, default claim checks)": bare_jwcrypto(keys),
        "JweTokenService.verify, no cache": uncached.verify,
        "JweTokenService.verify, verified-token cache": cached.verify,
        "JweTokenService.issue": lambda _token: uncached.issue(subject="bench"),
    }
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name, verify in contenders.items():
            rates[name].append(per_second(verify, token, args.count))
    floor = statistics.median(rates["bare jwcrypto (JWE + JWS, default claim checks)"])
    print(f"{args.count:,} calls x {args.rounds} rounds, median")
    print("| operation | per second | ratio to bare jwcrypto verify |")
    print("|---|---:|---:|")
    for name, values in rates.items():
        rate = statistics.median(values)
        print(f"| {name} | {rate:,.0f} | {rate / floor:.2f} |")


if __name__ == "__main__":
    main()
