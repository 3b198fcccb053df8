"""The project's migration chain as `resource new` continues it: the head and the next number.

Alembic is imported where the chain is read, as in adapters/sql/migrate.py: every process that
imports the CLI imports this module, and only `resource new` needs Alembic.
"""

from __future__ import annotations

from pathlib import Path

from api.scaffold.names import Refused

MIGRATIONS = Path("src/adapters/sql/migrations")


def next_revision(root: Path) -> tuple[str, str]:
    """(the new revision's id, the current head): `0002` after `0001`, in the house style."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(root / MIGRATIONS))
    config.set_main_option("path_separator", "os")
    heads = ScriptDirectory.from_config(config).get_heads()
    if len(heads) != 1:
        raise Refused(str(MIGRATIONS), f"the migrations have {len(heads)} heads; merge them first")
    head = heads[0]
    if not head.isdigit():
        raise Refused(head, "the head revision is not numbered in the house style (0001, ...)")
    return f"{int(head) + 1:04d}", head
