"""gunicorn configuration: `gunicorn -c deploy/gunicorn.conf.py api.wsgi:app` (`make serve`).

Every value comes from the service's settings (environment and `.env`, docs/configuration.md),
so gunicorn and the app read one configuration.
"""

import os
import sys

from dotenv import dotenv_values

# gevent must patch the standard library before anything imports it: importing `api` loads
# pymongo and redis, which keep references to an unpatched `ssl`. Decided from the same
# sources the settings read, before they are read.
if (os.environ.get("GUNICORN_WORKER") or dotenv_values(".env").get("GUNICORN_WORKER")) in (
    None,
    "gevent",
):
    from gevent import monkey

    monkey.patch_all()

from api.gunicorn_metrics import metrics_hooks  # noqa: E402
from api.gunicorn_setup import gunicorn_options  # noqa: E402
from api.settings import SettingsError, load_settings  # noqa: E402

try:
    settings = load_settings()
except SettingsError as error:
    # The message names the setting; gunicorn would bury it under its config-loading traceback.
    sys.exit(f"hexapi refuses to start: {error}")
globals().update(gunicorn_options(settings))
globals().update(metrics_hooks(settings))
