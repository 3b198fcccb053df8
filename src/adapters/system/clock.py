"""The wall clock behind the Clock port."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Current UTC time, truncated to milliseconds so every backend stores it unchanged."""

    def now(self) -> datetime:
        """Now, aware, in UTC."""
        moment = datetime.now(UTC)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
