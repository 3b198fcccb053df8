"""gunicorn configuration: `gunicorn -c deploy/gunicorn.conf.py api.wsgi:app` (`make serve`).

Every value comes from the service's settings (environment and `.env`, see the README), so
gunicorn and the app read one configuration.
"""

from api.gunicorn_metrics import metrics_hooks
from api.gunicorn_setup import gunicorn_options
from api.settings import load_settings

globals().update(gunicorn_options(load_settings()))
globals().update(metrics_hooks(load_settings()))
