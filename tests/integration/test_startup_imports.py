"""What a process imports to serve: libraries only a CLI command needs stay out of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
# Alembic (with Mako and Pygments under it) for migrations and `resource new`, SQLAlchemy-Utils
# for creating and dropping databases (docs/performance.md, start-up).
COMMAND_ONLY = ("alembic", "mako", "pygments", "sqlalchemy_utils")

SERVE = """
import json, sys
from api import create_app
from tests.helpers import app_settings
url, command = sys.argv[1:3]
app = create_app(app_settings(STORAGE_BACKEND="sql", DATABASE_URL=url))
if command:
    assert app.test_cli_runner().invoke(args=command.split()).exit_code == 0
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[3:]))))
"""


def imported(url: str, *, command: str = "") -> list[str]:
    """Which COMMAND_ONLY packages a fresh interpreter holds once it built an app on `url` (and
    ran the CLI `command`)."""
    done = subprocess.run(
        [sys.executable, "-c", SERVE, url, command, *COMMAND_ONLY],
        cwd=REPO,
        env={"PYTHONPATH": f"{REPO}:{REPO / 'src'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names: list[str] = json.loads(done.stdout.splitlines()[-1])
    return names


def test_an_app_is_built_without_the_libraries_only_commands_need(tmp_path: Path) -> None:
    assert imported(f"sqlite:///{tmp_path / 'app.db'}") == []


def test_the_command_that_needs_them_imports_them(tmp_path: Path) -> None:
    # The same check after `db create`: it sees what is imported, and the command still works.
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert imported(url, command="db create") == sorted(COMMAND_ONLY)
