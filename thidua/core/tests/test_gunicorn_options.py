"""`thidua serve --production`: the gunicorn settings it runs with, as gunicorn itself reads them."""

from __future__ import annotations

from django.conf import settings
from gunicorn.config import Config

from thidua.core.management.commands.serve import gunicorn_options


def test_gunicorn_takes_every_option_and_workers_live_long_on_a_preloaded_app():
    options = gunicorn_options("127.0.0.1:8123")
    config = Config()
    for key, value in options.items():
        config.set(key, value)  # an unknown key or a bad value raises here
    assert config.bind == ["127.0.0.1:8123"] and config.workers == settings.WEB_WORKERS
    assert config.preload_app  # a replaced worker starts at once, without importing Django again
    # A replaced worker pays its caches again (templates, the dashboard's figures): not every minute.
    assert config.max_requests == 20000 and config.max_requests_jitter == 2000
    assert options["logconfig_dict"]["loggers"]["gunicorn.access"]["level"] == "CRITICAL"
