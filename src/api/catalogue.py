"""Every declared resource the app serves and stores: `flask resource new` registers one here.

Registering is one import and one entry below; the storage, services and HTTP containers read
this tuple, so a resource reaches every backend and the API through it alone.
"""

from __future__ import annotations

from typing import Any

from api.resource import Resource

RESOURCES: tuple[Resource[Any, Any], ...] = (
    # one entry per declared resource
)
