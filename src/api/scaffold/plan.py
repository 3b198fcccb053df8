"""What `resource new` is asked for, read and checked before anything is written.

Each argument is refused with a message naming it: a name taken or reserved, an invalid
identifier, an unknown type or option, a bound that makes no sense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.scaffold.field_specs import parse_field
from api.scaffold.names import Refused, check_identifier
from core.fields import Field

#: Names a resource may not take: the API's own paths, and what the app already holds.
RESERVED_RESOURCES = frozenset(
    {"api", "auth", "users", "items", "public", "restricted", "docs", "openapi", "healthz",
     "readyz", "metrics", "static", "resources", "resource", "catalogue", "scaffold", "tokens",
     "alembic_version"}
)  # fmt: skip
SUFFIXES = ("_prefix", "_min", "_max")


@dataclass(frozen=True)
class Plan:
    """A resource to write: its names, fields and resource options."""

    name: str
    singular: str
    fields: tuple[Field, ...]
    owned: bool = True
    permission: str = ""
    public_reads: bool = True

    @property
    def entity(self) -> str:
        """The entity class's name: `BlogPost` for `blog_posts`."""
        return "".join(part.capitalize() for part in self.singular.split("_"))

    @property
    def article(self) -> str:
        """The article before the singular in a test's name: `an_event`, `a_bookmark`."""
        return "an" if self.singular[0] in "aeiou" else "a"

    @property
    def constant(self) -> str:
        """The resource's constant: `BLOG_POSTS`."""
        return self.name.upper()


def singular_of(name: str) -> str:
    """The English singular of a plural snake_case name, for the usual endings."""
    for plural, single in (
        ("ies", "y"),
        ("sses", "ss"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
    ):
        if name.endswith(plural):
            return name[: -len(plural)] + single
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def plan(
    name: str,
    specs: tuple[str, ...],
    *,
    taken: frozenset[str],
    singular: str | None = None,
    owned: bool = True,
    permission: str = "",
    public_reads: bool = True,
) -> Plan:
    """The checked plan of `resource new NAME FIELD:TYPE[:OPTION...]...`; Refused otherwise."""
    check_identifier(name, what="resource name")
    if name in RESERVED_RESOURCES:
        raise Refused(name, "that name is reserved by the API")
    if name in taken:
        raise Refused(name, "a resource of that name exists already")
    one = check_identifier(singular or singular_of(name), what="singular name")
    if one == name:
        raise Refused(name, "give a plural name (or --singular) so one entity has its own name")
    if not specs:
        raise Refused(name, "a resource needs at least one FIELD:TYPE")
    if permission and not re.fullmatch(r"[a-z][a-z0-9_.:-]{0,63}", permission):
        raise Refused(permission, "a permission is lower-case letters, digits and _.:-")
    fields = tuple(parse_field(spec) for spec in specs)
    names = [each.name for each in fields]
    for field, spec in zip(fields, specs, strict=True):
        if names.count(field.name) > 1:
            raise Refused(spec, f"the field {field.name} is given twice")
        if any(field.name == other + suffix for other in names for suffix in SUFFIXES):
            raise Refused(spec, "its name is a filter parameter of another field")
    if not owned and not permission:
        permission = f"{name}:write"
    return Plan(name, one, fields, owned=owned, permission=permission, public_reads=public_reads)
