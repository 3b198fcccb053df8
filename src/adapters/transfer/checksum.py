"""A content checksum of a resource that does not depend on the order rows are read in.

Backends order ids by their own collations, so the checksum is a sum (modulo 2**256) of each
row's SHA-256: any added, lost or changed row changes it, whatever the order of reading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from operator import methodcaller

MODULUS = 1 << 256
_DIGEST = methodcaller("digest")
_FROM_BYTES = partial(int.from_bytes, byteorder="big")


@dataclass
class Checksum:
    """Rows counted and summed as they stream past."""

    count: int = 0
    total: int = 0

    def add(self, line: str) -> None:
        """Take one row's canonical text into the sum."""
        digest = hashlib.sha256(line.encode()).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % MODULUS
        self.count += 1

    def add_lines(self, lines: Sequence[str]) -> None:
        """Take many rows' canonical texts into the sum: `add` of each, in one pass of C calls."""
        digests = map(_DIGEST, map(hashlib.sha256, map(str.encode, lines)))
        self.total = (self.total + sum(map(_FROM_BYTES, digests))) % MODULUS
        self.count += len(lines)

    def include(self, other: Checksum) -> None:
        """Take in the rows of another checksum: a sum, so any split of the rows gives the same."""
        self.total = (self.total + other.total) % MODULUS
        self.count += other.count

    @property
    def digest(self) -> str:
        """The sum as 64 hex digits."""
        return f"{self.total:064x}"

    def __str__(self) -> str:
        return f"{self.count} rows, sha256-sum {self.digest[:16]}"
