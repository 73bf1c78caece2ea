"""Public pages cached whole in the shared cache, retired by generation bumps, so none is ever served stale.

- ``public_page(scope=…, params=…)`` (decorator.py): the view decorator; ``PageCacheMiddleware``
  (middleware.py): the fast path, a kept page answered before URL resolution; ``copies.py``: what both share.
- ``bump(scopes)`` / ``bump_everything()`` (generations.py): what a publishing service calls (through
  ``orgs.public_pages``, which knows which organisations' pages show a change).
- ``count_view`` / ``register_view_counter`` / ``not_cacheable`` (counting.py): page views counted on every copy
  served; a rendering that must not be kept.
- ``local_date()``: today in the site's time zone, cheaply (worked out once a day per process).
- ``remembered(name, vary, compute)`` (memo.py): what a miss's rendering reuses from an earlier one in this
  process (an organisation's chrome, tree, filter options), under the page's generations: retired with it.
- ``local.py``: the copies this process keeps ready to send, so a hit reads only generations from the cache.

Settings: ``GONGKAI_PAGE_CACHE`` (on with ``REDIS_URL``), ``GONGKAI_PAGE_CACHE_SECONDS`` (how long a copy is
kept, 3600), ``GONGKAI_PAGE_MAX_AGE`` (seconds a browser or CDN may serve without asking, 0),
``GONGKAI_PAGE_CACHE_ALIAS`` (the Django cache, ``default`` unless ``GONGKAI_PAGE_CACHE_URL`` names another),
``GONGKAI_PAGE_CACHE_PATHS`` (the function giving a path's scopes, for the middleware),
``GONGKAI_PAGE_LOCAL_BYTES`` (the copies a process keeps ready to send, 32 MiB; 0: none).
"""

from .copies import local_date
from .counting import count_view, not_cacheable, register_view_counter
from .decorator import public_page
from .generations import EVERYTHING, bump, bump_everything, current
from .memo import generations_now, remembered, rendering_generations

__all__ = [
    "public_page",
    "bump",
    "bump_everything",
    "current",
    "EVERYTHING",
    "count_view",
    "register_view_counter",
    "not_cacheable",
    "local_date",
    "remembered",
    "rendering_generations",
    "generations_now",
]
