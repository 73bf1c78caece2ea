"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()
# What start-up loaded lives as long as the process: keep it out of the cyclic collector's full passes, which
# otherwise walk every Django object (30-50 ms a pass, a stall of the requests in flight; BENCHMARKS.md).
gc.freeze()
