"""gunicorn settings for `make serve` and the systemd unit (docs/deploy.md); each can be set from the environment.

Workers from the core count (2 × cores + 1, gthread with 4 threads each, as the page benchmarks run);
the application is loaded once in the master (preload), so a configuration error stops the start with its
message instead of a loop of failing workers, and the workers share the loaded code copy-on-write.
"""

from __future__ import annotations

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GONGKAI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GONGKAI_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("GONGKAI_THREADS", "4"))
preload_app = True
timeout = int(os.environ.get("GONGKAI_TIMEOUT", "120"))  # long work runs as background jobs
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then (bounded memory growth)
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# X-Forwarded-Proto is believed only from the proxy (the app reads the client address the same way:
# GONGKAI_TRUSTED_PROXIES, core/middleware.py).
forwarded_allow_ips = os.environ.get("GONGKAI_TRUSTED_PROXIES", "127.0.0.1")
